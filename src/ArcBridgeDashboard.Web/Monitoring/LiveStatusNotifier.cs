using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Web.Data;

namespace ArcBridgeDashboard.Web.Monitoring;

public sealed record SweepStartedEvent(long SweepId, int AgentId, SweepTrigger Trigger, DateTimeOffset StartedAt, int TargetCount)
{
    /// <summary>Raised on another replica and relayed here (<see cref="Scale.ReplicaEventRelay"/>): shown, never acted on twice.</summary>
    public bool FromPeer { get; init; }
}


public sealed record ResultArrivedEvent(long SweepId, int AgentId, int TargetId, ProbeResult Result)
{
    /// <summary>Raised on another replica and relayed here (<see cref="Scale.ReplicaEventRelay"/>): shown, never acted on twice.</summary>
    public bool FromPeer { get; init; }
}


public sealed record SweepFinishedEvent(SweepSummary Summary)
{
    /// <summary>Raised on another replica and relayed here (<see cref="Scale.ReplicaEventRelay"/>): shown, never acted on twice.</summary>
    public bool FromPeer { get; init; }
}


/// <summary>
/// A confirmed verdict change of one agent × target: raised once per change, after flap damping, when its row is
/// committed. <see cref="From"/> is null for the first verdict ever confirmed. Notifications subscribe to this.
/// </summary>
public sealed record ConfirmedChangeEvent(
    long ChangeId, int AgentId, string AgentName, Sources AgentRole, int TargetId, string Service, string Host,
    bool Required, Verdict? From, Verdict To, ReasonCode Reason, string Message, DateTimeOffset At)
{
    /// <summary>Raised on another replica and relayed here (<see cref="Scale.ReplicaEventRelay"/>): shown, never acted on twice.</summary>
    public bool FromPeer { get; init; }
}


/// <summary>
/// Pushes live sweep progress into open Blazor circuits (eShop's OrderStatusNotificationService pattern).
/// Components subscribe in OnInitialized, unsubscribe in Dispose, and marshal with InvokeAsync(StateHasChanged).
/// Handlers run on the sweep's thread: they must be quick and must not throw.
/// With several replicas (ArcBridge:Redis), events of the other replicas arrive here too, marked FromPeer: what shows
/// them follows every replica; what acts on them (notifications, metrics) skips them, since their own replica acts.
/// </summary>
public sealed partial class LiveStatusNotifier(ILogger<LiveStatusNotifier> logger)
{
    public event Action<SweepStartedEvent>? SweepStarted;
    public event Action<ResultArrivedEvent>? ResultArrived;
    public event Action<SweepFinishedEvent>? SweepFinished;
    public event Action<IReadOnlyList<ConfirmedChangeEvent>>? ChangesConfirmed;

    public void NotifySweepStarted(SweepStartedEvent e) => Raise(SweepStarted, e);
    public void NotifyResultArrived(ResultArrivedEvent e) => Raise(ResultArrived, e);
    public void NotifySweepFinished(SweepFinishedEvent e) => Raise(SweepFinished, e);
    public void NotifyChangesConfirmed(IReadOnlyList<ConfirmedChangeEvent> changes) => Raise(ChangesConfirmed, changes);

    // One failing subscriber (a disconnected circuit) must not stop the others or the sweep.
    private void Raise<T>(Action<T>? handlers, T e)
    {
        if (handlers is null)
            return;
        foreach (var handler in handlers.GetInvocationList().Cast<Action<T>>())
        {
            try
            {
                handler(e);
            }
            catch (Exception ex)
            {
                LogSubscriberFailed(ex, typeof(T).Name);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A live status subscriber failed handling {EventName}")]
    private partial void LogSubscriberFailed(Exception exception, string eventName);
}
