using ArcBridgeDashboard.Agent.Run;
using ArcBridgeDashboard.Probes.Contracts;
using Microsoft.Extensions.Logging.Abstractions;

namespace ArcBridgeDashboard.Agent.Tests.Run;

public sealed class OutboxTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "arcbridge-outbox-tests", Guid.NewGuid().ToString("N"));

    private string DbPath => Path.Combine(_folder, "outbox.db");

    [Fact]
    public async Task Remove_OnlyAckedAndRejectedIds_OthersStayForTheNextBatch()
    {
        await using var outbox = await Outbox.OpenAsync(DbPath, 100, NullLogger<Outbox>.Instance);
        var results = Enumerable.Range(0, 5).Select(Result).ToList();
        await outbox.AddAsync(results);

        await outbox.RemoveAsync([results[0].Id, results[2].Id], [results[4].Id]);

        var left = await outbox.PeekAsync(10);
        Assert.Equal([results[1].Id, results[3].Id], left.Select(r => r.Id));
        var stats = await outbox.StatsAsync();
        Assert.Equal(new OutboxStats(2, 5, 2, 1, 0), stats);
    }

    [Fact]
    public async Task Add_BeyondMaxRows_DropsOldestAndCountsThem()
    {
        await using var outbox = await Outbox.OpenAsync(DbPath, 10, NullLogger<Outbox>.Instance);
        var results = Enumerable.Range(0, 14).Select(Result).ToList();

        await outbox.AddAsync(results[..8]);
        await outbox.AddAsync(results[8..]);

        var left = await outbox.PeekAsync(100);
        Assert.Equal(results[4..].Select(r => r.Id), left.Select(r => r.Id));
        Assert.Equal(4, (await outbox.StatsAsync()).Dropped);
    }

    [Fact]
    public async Task Open_AfterRestart_KeepsUnsentResultsInOrderWithTheirContent()
    {
        var results = Enumerable.Range(0, 3).Select(Result).ToList();
        await using (var outbox = await Outbox.OpenAsync(DbPath, 100, NullLogger<Outbox>.Instance))
            await outbox.AddAsync(results);

        await using var reopened = await Outbox.OpenAsync(DbPath, 100, NullLogger<Outbox>.Instance);
        var left = await reopened.PeekAsync(2);

        Assert.Equal(results[..2], left, (a, b) => a.Id == b.Id && a.TargetKey == b.TargetKey && a.Verdict == b.Verdict && a.StartedAt == b.StartedAt);
        Assert.Equal(3, (await reopened.StatsAsync()).Produced);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_folder))
            Directory.Delete(_folder, recursive: true);
    }

    private static ProbeResult Result(int i) => new()
    {
        EndpointKey = "mcr.microsoft.com:443/tcp", TargetKey = $"127.0.0.{i + 1}:443/tcp", Service = "test", Host = $"127.0.0.{i + 1}",
        Port = 443, Protocol = TransportProtocol.Tcp, Sources = Sources.ApplianceVm, Verdict = i % 2 == 0 ? Verdict.Pass : Verdict.Fail,
        Phase = Phase.None, Reason = ReasonCode.Ok, Message = "ok", StartedAt = new DateTimeOffset(2026, 11, 29, 6, 0, i, TimeSpan.Zero),
    };
}
