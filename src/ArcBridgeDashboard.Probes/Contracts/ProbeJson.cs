using System.Text.Json;
using System.Text.Json.Serialization;

namespace ArcBridgeDashboard.Probes.Contracts;

/// <summary>The one JSON shape for results: check output, agent payloads and stored details all use it.</summary>
public static class ProbeJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = false,
    };
}
