using ArcBridgeDashboard.Web.Configuration;
using ArcBridgeDashboard.Web.Tests.Agents;

namespace ArcBridgeDashboard.Web.Tests.Support;

/// <summary>
/// The app as it starts on an empty folder: migrated, the default catalog seeded, built-in agent off (nothing probes).
/// One instance serves every class of <see cref="DefaultAppCollection"/>.
/// </summary>
public class DefaultAppFactory : ArcBridgeAppFactory
{
    public DefaultAppFactory()
        : this(DatabaseProvider.Sqlite)
    {
    }

    protected DefaultAppFactory(DatabaseProvider provider)
        : base(new Dictionary<string, string?> { ["ArcBridge:BuiltInAgentEnabled"] = "false" }, provider: provider)
    {
    }
}

/// <summary>The same default app on PostgreSQL (a copy of the migrated template), for <see cref="PostgreSqlDefaultAppCollection"/>.</summary>
public sealed class PostgreSqlDefaultAppFactory() : DefaultAppFactory(DatabaseProvider.PostgreSql);

/// <summary>
/// Tests that read the default app, or change nothing in it (previews, refused imports, rejected settings), share one
/// <see cref="DefaultAppFactory"/>: one app start instead of one per test. A test that writes settings or a catalog,
/// moves the fake clock, or needs a database of its own makes its own app, and says why.
/// </summary>
[CollectionDefinition(Name)]
public sealed class DefaultAppCollection : ICollectionFixture<DefaultAppFactory>
{
    public const string Name = "default app";
}

/// <summary>The classes of <see cref="DefaultAppCollection"/> that touch the database, again on PostgreSQL.</summary>
[CollectionDefinition(Name)]
public sealed class PostgreSqlDefaultAppCollection : ICollectionFixture<PostgreSqlDefaultAppFactory>
{
    public const string Name = "default app (PostgreSQL)";
}

/// <summary>
/// The agent API tests share one <see cref="AgentsAppFactory"/>: each enrols agents of its own (unique names) and reads
/// back only what they stored, so they do not see each other. One app start instead of one per class.
/// </summary>
[CollectionDefinition(Name)]
public sealed class AgentsAppCollection : ICollectionFixture<AgentsAppFactory>
{
    public const string Name = "agents app";
}

/// <summary>The agent API tests that touch the database, again on PostgreSQL: one <see cref="PostgreSqlAgentsAppFactory"/> for them all.</summary>
[CollectionDefinition(Name)]
public sealed class PostgreSqlAgentsAppCollection : ICollectionFixture<PostgreSqlAgentsAppFactory>
{
    public const string Name = "agents app (PostgreSQL)";
}
