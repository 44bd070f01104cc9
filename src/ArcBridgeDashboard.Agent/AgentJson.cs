using System.Text.Json;
using System.Text.Json.Serialization;
using ArcBridgeDashboard.Agent.Check.Reports;
using ArcBridgeDashboard.Agent.Run;
using ArcBridgeDashboard.Probes.Contracts;

namespace ArcBridgeDashboard.Agent;

/// <summary>
/// Compile-time JSON for everything the agent reads and writes, so the NativeAOT build needs no reflection.
/// The options repeat <see cref="ProbeJson.Options"/> (web defaults, nulls left out): the dashboard reads these
/// payloads with that, and a test keeps the two byte-identical.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, WriteIndented = false)]
[JsonSerializable(typeof(EnrollRequest))]
[JsonSerializable(typeof(EnrollResponse))]
[JsonSerializable(typeof(AgentPlan))]
[JsonSerializable(typeof(ResultBatch))]
[JsonSerializable(typeof(BatchAck))]
[JsonSerializable(typeof(AgentCommands))]
[JsonSerializable(typeof(ProbeResult))]
[JsonSerializable(typeof(AgentCredential))]
[JsonSerializable(typeof(StoredPlan))]
[JsonSerializable(typeof(CheckReportDocument))]
// SignalR hub arguments and results (the hub protocol has its own options; see LiveConnection).
[JsonSerializable(typeof(Heartbeat))]
[JsonSerializable(typeof(long))]
internal sealed partial class AgentJson : JsonSerializerContext
{
    /// <summary>`check --format json`: the same shapes, indented for people.</summary>
    /// <remarks>Created on first use: static initialisers in the generated half of this class may run after ours.</remarks>
    public static AgentJson Indented => _indented ??= new(new JsonSerializerOptions(Default.Options) { WriteIndented = true });

    private static AgentJson? _indented;
}
