using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Web.Components.Shared;
using ArcBridgeDashboard.Web.Monitoring.Changes;

namespace ArcBridgeDashboard.Web.Components.Pages.Changes;

/// <summary>The window presets of What changed.</summary>
public enum ChangeWindowPreset
{
    SinceLastAnnotation,
    LastHour,
    Last24Hours,
    Custom,
}

/// <summary>One confirmed change as a line of the What changed table.</summary>
public sealed record ChangeLine(
    long Id, DateTimeOffset At, string Service, string Host, string TargetKey, int EndpointId, string Agent, string Source,
    string From, string To, Verdict ToVerdict, ReasonCode Reason, ReasonCode? FromReason, string Message, bool ByCheckNow)
{
    /// <summary>A failure whose reason changed ("still failing, now 407 instead of 403").</summary>
    public bool ReasonChanged => From == To && FromReason is { } before && before != Reason;

    public string Change => ReasonChanged ? $"still failing, now {Reason} instead of {FromReason}" : $"{From} → {To}";
}

/// <summary>Everything the What changed view shows.</summary>
public sealed record ChangesViewModel(
    DateTimeOffset From, DateTimeOffset To, ChangeWindowPreset Preset, IReadOnlyList<ChangeLine> Lines, IReadOnlyList<AnnotationNote> Annotations,
    IReadOnlyList<string> Services, IReadOnlyList<(int Id, string Name)> Agents, AnnotationNote? LastAnnotation)
{
    public static ChangesViewModel Empty { get; } = new(DateTimeOffset.MinValue, DateTimeOffset.MinValue, ChangeWindowPreset.Last24Hours, [], [], [], [], null);
}

public static class ChangesMapper
{
    public static ChangeLine ToLine(ChangeRow r) => new(
        r.Id, r.At, r.Service, r.Host, r.TargetKey, r.EndpointId, r.AgentRevoked ? $"{r.AgentName} (revoked agent)" : r.AgentName,
        r.AgentRole.DisplayName(), r.From.DisplayName(), ((Verdict?)r.To).DisplayName(), r.To, r.Reason, r.FromReason, r.Message, r.ByCheckNow);

    public static string DisplayName(this ChangeWindowPreset preset) => preset switch
    {
        ChangeWindowPreset.SinceLastAnnotation => "Since last annotation",
        ChangeWindowPreset.LastHour => "Last hour",
        ChangeWindowPreset.Last24Hours => "24 h",
        _ => "Custom",
    };
}
