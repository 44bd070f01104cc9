using System.Text.Json;

namespace ArcBridgeDashboard.Agent.Run;

/// <summary>What enrolment gave this agent. The credential is a bearer secret: the file is owner-only.</summary>
public sealed record AgentCredential
{
    public required string Server { get; init; }
    public required int AgentId { get; init; }
    public required string Name { get; init; }
    public required string Credential { get; init; }
}

public static class CredentialStore
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static AgentCredential? Load(string path)
    {
        if (!File.Exists(path))
            return null;
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(path), AgentJson.Default.AgentCredential)
                ?? throw new UsageException($"{path}: empty credential file; delete it and enrol again with --enroll-token");
        }
        catch (JsonException ex)
        {
            throw new UsageException($"{path}: not a credential file ({ex.Message.ReplaceLineEndings(" ")}); delete it and enrol again with --enroll-token");
        }
    }

    /// <summary>Writes to a temp file created owner-only, then renames: the secret is never readable by others, even briefly.</summary>
    public static void Save(string path, AgentCredential credential)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = OwnerOnly;
        using (var stream = new FileStream(temp, options))
            JsonSerializer.Serialize(stream, credential, AgentJson.Default.AgentCredential);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(temp, OwnerOnly); // UnixCreateMode is ignored when the file already existed
        File.Move(temp, path, overwrite: true);
    }
}
