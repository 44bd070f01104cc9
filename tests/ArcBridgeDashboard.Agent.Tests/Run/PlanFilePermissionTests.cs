using ArcBridgeDashboard.Agent.Run;
using ArcBridgeDashboard.Probes.Contracts;

namespace ArcBridgeDashboard.Agent.Tests.Run;

/// <summary>The cached plan may carry the proxy password: it is owner-only however it got onto the disk.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class PlanFilePermissionTests : IDisposable
{
    private readonly string _state = Directory.CreateTempSubdirectory("arcbridge-plan-mode-").FullName;

    [Fact]
    public void PlanFile_WorldReadableFromBefore_IsOwnerOnlyAfterLoadAndAfterEachWrite()
    {
        var options = new RunOptions { Server = new Uri("https://127.0.0.1:9"), Name = "a", Role = Sources.ApplianceVm, StateDirectory = _state };
        var plan = new AgentPlan { Version = "v1", AgentId = 7, Role = Sources.ApplianceVm, ProxyPassword = "p" };
        new PlanStore(options).Update(plan, "\"v1\"");
        const UnixFileMode worldReadable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        File.SetUnixFileMode(options.PlanPath, worldReadable);
        File.WriteAllText(options.PlanPath + ".tmp", "left over");
        File.SetUnixFileMode(options.PlanPath + ".tmp", worldReadable);

        var store = new PlanStore(options);
        store.LoadFromDisk();
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(options.PlanPath));
        Assert.Equal(7, store.Plan!.AgentId);

        store.Update(plan with { Version = "v2" }, "\"v2\"");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(options.PlanPath));
    }

    public void Dispose() => Directory.Delete(_state, recursive: true);
}
