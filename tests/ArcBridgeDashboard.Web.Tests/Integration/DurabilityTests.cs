using ArcBridgeDashboard.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace ArcBridgeDashboard.Web.Tests.Integration;

/// <summary>
/// A batch acknowledged to an agent is deleted from its outbox, so the commit must survive a power loss: every
/// connection the dashboard opens runs synchronous=FULL (2) unless the operator chooses Normal (1) knowingly.
/// </summary>
// SQLite only: ArcBridge:SqliteSynchronous is SQLite's PRAGMA synchronous; PostgreSQL has no such per-connection setting of ours.
public sealed class DurabilityTests
{
    [Theory]
    [InlineData(null, 2)]
    [InlineData("Normal", 1)]
    [InlineData("Full", 2)]
    public async Task EveryConnection_RunsTheConfiguredSyncLevel(string? configured, long expected)
    {
        var settings = new Dictionary<string, string?> { ["ArcBridge:BuiltInAgentEnabled"] = "false" };
        if (configured is not null)
            settings["ArcBridge:SqliteSynchronous"] = configured;
        using var app = new ArcBridgeAppFactory(settings);
        app.CreateClient().Dispose();
        await using var db = app.CreateDbContext();
        await db.Database.OpenConnectionAsync();
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = "PRAGMA synchronous";

        Assert.Equal(expected, (long)(await command.ExecuteScalarAsync())!);
    }

    [Fact]
    public void UnknownSyncLevel_StopsStartupNamingTheKey()
    {
        using var app = new ArcBridgeAppFactory(new Dictionary<string, string?> { ["ArcBridge:SqliteSynchronous"] = "Sometimes" });

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        Assert.Contains("ArcBridge:SqliteSynchronous", error.ToString(), StringComparison.Ordinal);
    }
}
