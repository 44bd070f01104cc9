using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Web.Monitoring;
using ArcBridgeDashboard.Web.Monitoring.Queries;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace ArcBridgeDashboard.Web.Tests.Integration;

/// <summary>The memory of closed hours behind the overview's trend and bars: what it keeps, and what makes it forget.</summary>
public sealed class CheckHourCacheTests : IDisposable
{
    private static readonly DateTimeOffset Hour = new(2026, 11, 29, 3, 0, 0, TimeSpan.Zero);
    private static readonly CheckHourRow[] Rows = [new(1, Sources.ManagementMachine, true, Sources.ManagementMachine, Hour, 12, 0, 0)];

    private readonly LiveStatusNotifier _notifier = new(NullLogger<LiveStatusNotifier>.Instance);
    private readonly FakeTimeProvider _time = new(Hour.AddHours(3));
    private readonly CheckHourCache _cache;

    public CheckHourCacheTests() => _cache = new CheckHourCache(_notifier, _time);

    public void Dispose() => _cache.Dispose();

    [Fact]
    public void AReadThatOverlapsAResultForItsHour_IsNotKept()
    {
        var generation = _cache.Generation; // the read starts
        Announce(Hour.AddMinutes(59)); // a late result for that hour is committed meanwhile
        _cache.Store(Hour, "scope", Rows, generation);

        Assert.False(_cache.TryGet(Hour, "scope", out _));

        _cache.Store(Hour, "scope", Rows, _cache.Generation); // a read that started after it
        Assert.True(_cache.TryGet(Hour, "scope", out var rows));
        Assert.Equal(Rows, rows);
    }

    [Fact]
    public void AResultForAnotherHour_LeavesTheHourKept()
    {
        var generation = _cache.Generation;
        Announce(Hour.AddHours(1));
        _cache.Store(Hour, "scope", Rows, generation);

        Assert.True(_cache.TryGet(Hour, "scope", out _));
        Announce(Hour.AddMinutes(5));
        Assert.False(_cache.TryGet(Hour, "scope", out _));
    }

    [Fact]
    public void AnotherScopeOrAnOldEntry_IsAMiss()
    {
        _cache.Store(Hour, "agents 1,2", Rows, _cache.Generation);

        Assert.False(_cache.TryGet(Hour, "agents 1", out _)); // an agent revoked or a role changed since
        _time.Advance(CheckHourCache.MaxAge - TimeSpan.FromSeconds(1));
        Assert.True(_cache.TryGet(Hour, "agents 1,2", out _));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(_cache.TryGet(Hour, "agents 1,2", out _));
    }

    private void Announce(DateTimeOffset startedAt) => _notifier.NotifyResultArrived(new ResultArrivedEvent(0, 1, 1, new ProbeResult
    {
        EndpointKey = "e", TargetKey = "t", Service = "s", Host = "127.0.0.1", Port = 443, Protocol = TransportProtocol.Tcp,
        Sources = Sources.ManagementMachine, Verdict = Verdict.Fail, Phase = Phase.Tcp, Reason = ReasonCode.TcpRefused, Message = "refused", StartedAt = startedAt,
    }));
}
