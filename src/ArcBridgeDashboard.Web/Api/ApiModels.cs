using System.Text.Json.Serialization;
using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Web.Monitoring.Queries;
using ArcBridgeDashboard.Web.Monitoring.Status;

namespace ArcBridgeDashboard.Web.Api;

// The REST API's own shapes: the pages' models carry EF entities and UI details that a public contract should not
// freeze. Enums travel as their names ("Fail", "ApplianceVm"), which scripts can compare without a lookup table.

/// <summary>Readiness over the required endpoint × source checks, as the overview banner shows it.</summary>
public sealed record ReadinessDto(bool Ready, int Passing, int Failing, int Unknown, int Total, IReadOnlyList<string> Gaps, string Text)
{
    public static ReadinessDto From(Readiness r) => new(r.AllPass, r.Passing, r.Failing, r.Unknown, r.Total, r.Gaps, r.Text);
}

/// <summary>The latest state of one target from one agent.</summary>
public sealed record AgentCheckDto(
    int AgentId, string Agent, [property: JsonConverter(typeof(JsonStringEnumConverter<Verdict>))] Verdict Verdict,
    [property: JsonConverter(typeof(JsonStringEnumConverter<Phase>))] Phase Phase,
    [property: JsonConverter(typeof(JsonStringEnumConverter<ReasonCode>))] ReasonCode Reason,
    string Message, string Remedy, DateTimeOffset At, bool Stale);

/// <summary>One source role's column of a row: its agents merged, worst first.</summary>
public sealed record RoleStatusDto(
    [property: JsonConverter(typeof(JsonStringEnumConverter<Sources>))] Sources Role,
    [property: JsonConverter(typeof(JsonStringEnumConverter<DisplayStatus>))] DisplayStatus Status,
    [property: JsonConverter(typeof(JsonStringEnumConverter<ReasonCode>))] ReasonCode? Reason,
    string? Message, string? Remedy, DateTimeOffset? At, IReadOnlyList<AgentCheckDto> Agents);

/// <summary>One target of the catalog with its status per source role.</summary>
public sealed record TargetStatusDto(
    int EndpointId, int TargetId, string Service, string Target, string? Host, int Port,
    [property: JsonConverter(typeof(JsonStringEnumConverter<TransportProtocol>))] TransportProtocol Protocol,
    bool Required, IReadOnlyList<RoleStatusDto> Roles);

/// <summary><c>GET /api/v1/status</c>: readiness and every target's current status.</summary>
public sealed record StatusDto(
    DateTimeOffset GeneratedAt, string CatalogVersion, int IntervalMinutes, DateTimeOffset? LastSweepAt,
    ReadinessDto Readiness, IReadOnlyList<TargetStatusDto> Targets)
{
    public static StatusDto From(OverviewModel model, DateTimeOffset now) => new(
        now, model.CatalogVersion, (int)model.Interval.TotalMinutes, model.LastSweepAt, ReadinessDto.From(model.Readiness),
        model.Rows.Select(row => new TargetStatusDto(
            row.EndpointId, row.TargetId, row.Service, row.TargetKey, row.Host, row.Port, row.Protocol, row.Required,
            row.Cells.Values.Select(cell => new RoleStatusDto(
                cell.Role, cell.Status, cell.Reason, cell.Message, cell.Remedy, cell.At,
                cell.Agents.Select(a => new AgentCheckDto(a.AgentId, a.AgentName, a.Verdict, a.Phase, a.Reason, a.Message, a.Remedy, a.At, a.IsStale)).ToList()))
            .ToList()))
        .ToList());
}

/// <summary>One stored result, with its phase timings.</summary>
public sealed record ResultDto(
    Guid Id, long? SweepId, int AgentId, string Agent, int TargetId, string Target, DateTimeOffset StartedAt,
    [property: JsonConverter(typeof(JsonStringEnumConverter<Verdict>))] Verdict Verdict,
    [property: JsonConverter(typeof(JsonStringEnumConverter<Phase>))] Phase Phase,
    [property: JsonConverter(typeof(JsonStringEnumConverter<ReasonCode>))] ReasonCode Reason,
    string Message, string Remedy, double TotalMs, IReadOnlyDictionary<string, double> TimingsMs)
{
    public static ResultDto From(ResultView r) => new(
        r.ResultId, r.SweepId, r.AgentId, r.AgentName, r.TargetId, r.TargetKey, r.StartedAt, r.Verdict, r.Phase, r.Reason,
        r.Message, r.Remedy, r.TotalMs, r.TimingsMs);
}

/// <summary>A page of results, newest first.</summary>
public sealed record ResultPageDto(IReadOnlyList<ResultDto> Items, int Page, int PageSize, bool HasMore);

/// <summary>A state change of one target seen by one agent.</summary>
public sealed record StateChangeDto(
    DateTimeOffset At, int AgentId, string Agent, int TargetId,
    [property: JsonConverter(typeof(JsonStringEnumConverter<Verdict>))] Verdict? From,
    [property: JsonConverter(typeof(JsonStringEnumConverter<Verdict>))] Verdict To,
    [property: JsonConverter(typeof(JsonStringEnumConverter<ReasonCode>))] ReasonCode Reason, string Message);

/// <summary><c>GET /api/v1/endpoints/{id}</c>: one catalog endpoint, its current status per agent and its changes.</summary>
public sealed record EndpointDto(
    int Id, string Key, string Service, string HostPattern, int Port,
    [property: JsonConverter(typeof(JsonStringEnumConverter<TransportProtocol>))] TransportProtocol Protocol,
    string Purpose, bool InActiveCatalog, IReadOnlyList<int> TargetIds, IReadOnlyList<AgentCheckDto> Current,
    IReadOnlyList<StateChangeDto> Changes)
{
    public static EndpointDto From(EndpointDetail d) => new(
        d.Endpoint.Id, d.Endpoint.Key, d.Endpoint.Service, d.Endpoint.HostPattern, d.Endpoint.Port, d.Endpoint.Protocol,
        d.Endpoint.Purpose, d.Endpoint.InActiveCatalog, d.Targets.Select(t => t.Id).ToList(),
        d.Current.Select(a => new AgentCheckDto(a.AgentId, a.AgentName, a.Verdict, a.Phase, a.Reason, a.Message, "", a.At, a.IsStale)).ToList(),
        d.Timeline.Select(t => new StateChangeDto(t.At, t.AgentId, t.AgentName, t.TargetId, t.From, t.To, t.Reason, t.Message)).ToList());
}

/// <summary>One pass of one agent over its targets.</summary>
public sealed record SweepDto(
    long Id, int AgentId, string Agent,
    [property: JsonConverter(typeof(JsonStringEnumConverter<Data.SweepTrigger>))] Data.SweepTrigger Trigger,
    DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, int TargetCount, int Pass, int Warn, int Fail, string? Error)
{
    public static SweepDto From(SweepRow s) => new(
        s.Id, s.AgentId, s.AgentName, s.Trigger, s.StartedAt, s.FinishedAt, s.TargetCount, s.PassCount, s.WarnCount, s.FailCount, s.Error);
}

/// <summary>A page of sweeps, newest first.</summary>
public sealed record SweepPageDto(IReadOnlyList<SweepDto> Items, int Page, int PageSize, bool HasMore);

/// <summary><c>GET /api/v1/sweeps/{id}</c>: the sweep and every result it holds.</summary>
public sealed record SweepDetailDto(SweepDto Sweep, IReadOnlyList<ResultDto> Results);
