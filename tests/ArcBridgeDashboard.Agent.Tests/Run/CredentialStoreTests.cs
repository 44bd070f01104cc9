using ArcBridgeDashboard.Agent.Run;

namespace ArcBridgeDashboard.Agent.Tests.Run;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // file modes: the Linux service case
public sealed class CredentialStoreTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "arcbridge-cred-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public void Save_NewFile_IsOwnerReadWriteOnlyAndLoadsBack()
    {
        var path = Path.Combine(_folder, "credential.json");
        var credential = new AgentCredential { Server = "http://127.0.0.1:5000/", AgentId = 7, Name = "vm", Credential = "abc_7_secret" };

        CredentialStore.Save(path, credential);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(credential, CredentialStore.Load(path));
    }

    [Fact]
    public void Save_OverAWorldReadableFile_TightensItToOwnerOnly()
    {
        var path = Path.Combine(_folder, "credential.json");
        Directory.CreateDirectory(_folder);
        File.WriteAllText(path, "{}");
        File.SetUnixFileMode(path, (UnixFileMode)0b110_100_100); // 0644

        CredentialStore.Save(path, new AgentCredential { Server = "http://127.0.0.1:5000/", AgentId = 1, Name = "a", Credential = "abc_1_x" });

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    [Fact]
    public void Load_Garbage_ThrowsUsageExceptionSayingToEnrolAgain()
    {
        var path = Path.Combine(_folder, "credential.json");
        Directory.CreateDirectory(_folder);
        File.WriteAllText(path, "not json");

        var error = Assert.Throws<UsageException>(() => CredentialStore.Load(path));
        Assert.Contains("enrol again", error.Message);
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
            Directory.Delete(_folder, recursive: true);
    }
}
