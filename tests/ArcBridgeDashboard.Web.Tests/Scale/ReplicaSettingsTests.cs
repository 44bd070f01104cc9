using ArcBridgeDashboard.Web.Agents;
using ArcBridgeDashboard.Web.Tests.Support;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ArcBridgeDashboard.Web.Tests.Scale;

/// <summary>What a replica checks at start, and the check-now sequence that has to keep growing across replicas.</summary>
// SQLite only: start-up checks of the Redis setting and an in-memory sequence; nothing here reads or writes data.
public sealed class ReplicaSettingsTests
{
    [Theory]
    [InlineData("127.0.0.1:6379,ssl=maybe", "ArcBridge:Redis:Configuration is not a valid StackExchange.Redis configuration string")]
    [InlineData("abortConnect=false", "ArcBridge:Redis:Configuration names no Redis server")]
    public void Startup_BadRedisConfiguration_FailsNamingTheKey(string value, string expected)
    {
        using var app = new ArcBridgeAppFactory(new Dictionary<string, string?>
        {
            ["ArcBridge:BuiltInAgentEnabled"] = "false",
            ["ArcBridge:Redis:Configuration"] = value,
        }); // its own: a bad configuration

        var error = Assert.Throws<OptionsValidationException>(() => app.CreateClient());

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Startup_RedisNotAnswering_TheReplicaStillStartsAndServes()
    {
        using var app = new ArcBridgeAppFactory(new Dictionary<string, string?>
        {
            ["ArcBridge:BuiltInAgentEnabled"] = "false",
            ["ArcBridge:Redis:Configuration"] = $"127.0.0.1:{ArcBridgeDashboard.Testing.Ports.FreeTcp()},connectTimeout=500",
        }); // its own: Redis is missing

        var client = app.CreateClient(); // signs in through the form: antiforgery, cookies and the database all work

        using var response = await client.GetAsync("/agents");
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public void Startup_PostgreSqlWithoutConnectionString_FailsNamingTheKey()
    {
        using var app = new ArcBridgeAppFactory(new Dictionary<string, string?>
        {
            ["ArcBridge:BuiltInAgentEnabled"] = "false",
            ["ArcBridge:Database:Provider"] = "PostgreSql",
        }); // its own: a bad configuration

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        Assert.Contains("ArcBridge:Database:ConnectionString is required", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void CheckNowSequence_KeepsGrowingAcrossReplicas_EvenWhenOnesClockIsBehind()
    {
        var now = DateTimeOffset.Parse("2026-03-02T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var a = new AgentPresence(new FakeTimeProvider(now));
        var b = new AgentPresence(new FakeTimeProvider(now - TimeSpan.FromMinutes(5))); // a replica whose clock is behind
        long? relayed = null;
        a.CheckNowRequested += (agentId, sequence) => { if (agentId == 7) relayed = sequence; };

        var first = a.RequestCheckNow(7);
        Assert.Equal(first, relayed);
        b.RecordCheckNow(7, first); // what the relay does on the other replica

        // The agent reconnecting to b catches up on a's request, and b's next request is newer than a's.
        Assert.Equal(first, b.CheckNowSequence(7));
        var second = b.RequestCheckNow(7);
        Assert.True(second > first, $"{second} after {first}");
        Assert.True(a.RequestCheckNow(7) > first);

        // A restarted dashboard (a fresh presence on the same clock) still asks with a newer sequence than before.
        Assert.True(new AgentPresence(new FakeTimeProvider(now + TimeSpan.FromSeconds(1))).RequestCheckNow(7) > first);
    }
}
