namespace ArcBridgeDashboard.Web.Data;

/// <summary>
/// Owner-only permissions for the data folder (0700) and the files holding results, settings and keys (0600), so
/// other local accounts cannot read the database or the key ring. Unix only: on Windows the folder's ACL applies.
/// </summary>
public static class OwnerOnlyFiles
{
    public const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Creates the folder owner-only, or makes an existing one owner-only.</summary>
    public static void CreateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }
        Directory.CreateDirectory(path, FolderMode);
        File.SetUnixFileMode(path, FolderMode);
    }

    /// <summary>Makes the file owner-only when it exists.</summary>
    public static void RestrictFile(string path)
    {
        if (!OperatingSystem.IsWindows() && File.Exists(path))
            File.SetUnixFileMode(path, FileMode);
    }

    /// <summary>The SQLite database and its WAL and shared-memory files.</summary>
    public static void RestrictDatabase(string databasePath)
    {
        foreach (var suffix in (string[])["", "-wal", "-shm", "-journal"])
            RestrictFile(databasePath + suffix);
    }

    /// <summary>Every file in the folder (a key ring folder).</summary>
    public static void RestrictFilesIn(string folder)
    {
        if (OperatingSystem.IsWindows() || !Directory.Exists(folder))
            return;
        foreach (var file in Directory.EnumerateFiles(folder))
            File.SetUnixFileMode(file, FileMode);
    }
}
