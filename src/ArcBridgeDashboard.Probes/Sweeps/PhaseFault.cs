using ArcBridgeDashboard.Probes.Contracts;

namespace ArcBridgeDashboard.Probes.Sweeps;

/// <summary>Why a phase ended badly (or with a warning), with the specific evidence for the message line.</summary>
public sealed record PhaseFault(ReasonCode Reason, string Detail);
