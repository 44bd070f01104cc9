using ArcBridgeDashboard.Web.Tests.Support;

namespace ArcBridgeDashboard.Web.Tests.Secrets;

/// <summary>The database, its WAL files, the data folder and a key folder are owner-only, at creation and on every start.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
// SQLite only: the owner-only modes of the .db, -wal and -shm files; a PostgreSQL database has no file of the dashboard's.
public sealed class FilePermissionTests
{
    private const UnixFileMode OwnerFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    [Fact]
    public void NewDatabase_FolderAndFilesOwnerOnly_AndLoosenedModesAreResetOnStart()
    {
        var directory = Path.Combine(Path.GetTempPath(), "arcbridge-tests", Guid.NewGuid().ToString("N"));
        var keys = Path.Combine(directory, "keys");
        var settings = new Dictionary<string, string?> { ["ArcBridge:BuiltInAgentEnabled"] = "false", ["ArcBridge:DataProtection:KeysDirectory"] = keys };
        using (var first = new ArcBridgeAppFactory(settings, directory))
        {
            first.CreateClient().Dispose();
            var data = Path.GetDirectoryName(first.DatabasePath)!;
            // Another test clearing the (process-wide) connection pools deletes the WAL with the last connection;
            // a reader holds it open, as the running dashboard does, so the WAL's own mode is checked too.
            using var reader = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={first.DatabasePath};Pooling=False");
            reader.Open();
            using (var command = reader.CreateCommand())
            {
                command.CommandText = "SELECT count(*) FROM sqlite_master";
                command.ExecuteScalar();
            }
            Assert.Equal(OwnerFolder, File.GetUnixFileMode(data));
            foreach (var file in Directory.EnumerateFiles(data))
                Assert.True(File.GetUnixFileMode(file) == OwnerFile, $"{file}: {File.GetUnixFileMode(file)}");
            Assert.Contains(Directory.EnumerateFiles(data), f => f.EndsWith("-wal", StringComparison.Ordinal));
            Assert.Equal(OwnerFolder, File.GetUnixFileMode(keys));
        }
    }

    [Fact]
    public async Task ExistingDatabaseWorldReadable_IsOwnerOnlyAfterStart()
    {
        using var app = new ArcBridgeAppFactory(new Dictionary<string, string?> { ["ArcBridge:BuiltInAgentEnabled"] = "false" });
        var data = Path.GetDirectoryName(app.DatabasePath)!;
        Directory.CreateDirectory(data);
        File.SetUnixFileMode(data, OwnerFolder | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        await TestDatabase.MigrateAsync(app.DatabasePath);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.SetUnixFileMode(app.DatabasePath, OwnerFile | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        app.CreateClient().Dispose();

        Assert.Equal(OwnerFolder, File.GetUnixFileMode(data));
        Assert.Equal(OwnerFile, File.GetUnixFileMode(app.DatabasePath));
    }
}
