using ArcBridgeDashboard.Web.Tests.Support;

namespace ArcBridgeDashboard.Web.Tests.Integration;

/// <summary>ArcBridge:Database is checked at start: a wrong provider or connection string stops the app with a message naming the key.</summary>
// No provider to vary: a bad database setting stops the app before it opens any database.
public sealed class DatabaseProviderTests
{
    [Theory]
    [InlineData("MySql", null, "ArcBridge:Database:Provider must be Sqlite or PostgreSql (was 'MySql')")]
    [InlineData("1", null, "ArcBridge:Database:Provider must be Sqlite or PostgreSql (was '1')")]
    [InlineData("Sqlite,PostgreSql", null, "ArcBridge:Database:Provider must be Sqlite or PostgreSql (was 'Sqlite,PostgreSql')")]
    [InlineData("PostgreSql", null, "ArcBridge:Database:ConnectionString is required when ArcBridge:Database:Provider is PostgreSql")]
    [InlineData("postgresql", " ", "ArcBridge:Database:ConnectionString is required when ArcBridge:Database:Provider is PostgreSql")]
    [InlineData("PostgreSql", "Host=db;Password=hunter2;Colour=blue", "ArcBridge:Database:ConnectionString is not a valid PostgreSQL connection string")]
    [InlineData("PostgreSql", "Host=db;Password=hunter2;Port=eighty", "ArcBridge:Database:ConnectionString is not a valid PostgreSQL connection string")]
    [InlineData("PostgreSql", "Database=arcbridge;Password=hunter2", "ArcBridge:Database:ConnectionString names no Host")]
    public void BadDatabaseConfiguration_StopsStartupWithAClearMessage(string provider, string? connectionString, string expected)
    {
        using var app = new ArcBridgeAppFactory(new Dictionary<string, string?>
        {
            ["ArcBridge:BuiltInAgentEnabled"] = "false",
            ["ArcBridge:Database:Provider"] = provider,
            ["ArcBridge:Database:ConnectionString"] = connectionString,
        });

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        // The whole exception in the failure message: a start that fails for another reason must say which.
        Assert.True(error.ToString().Contains(expected, StringComparison.Ordinal), $"Expected \"{expected}\" in:\n{error}");
        Assert.DoesNotContain("hunter2", error.ToString(), StringComparison.Ordinal); // the message never echoes a password
        Assert.False(File.Exists(app.DatabasePath)); // nothing was created
    }
}
