using System.Text.Json;
using System.Text.Json.Serialization;

namespace ArcBridgeDashboard.Web.Reports;

/// <summary>How a report is stored and downloaded: camelCase, enums by name (readable in the JSON export), indented.</summary>
public static class ReportJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };
}
