using System.Text.Json;

namespace ArcBridgeDashboard.Probes.Tests.Lab;

/// <summary>One `check --format json` run: its exit code, and its results looked up by host.</summary>
public sealed record LabCheckRun(LabProcessResult Process, JsonDocument Json)
{
    public IEnumerable<JsonElement> Results => Json.RootElement.GetProperty("results").EnumerateArray();

    /// <summary>The single result for <paramref name="host"/> on <paramref name="port"/>; fails with the whole output otherwise.</summary>
    public JsonElement For(string host, int port = 443)
    {
        var matches = Results.Where(r => r.GetProperty("host").GetString() == host && r.GetProperty("port").GetInt32() == port).ToList();
        Assert.True(matches.Count == 1, $"expected one result for {host}:{port}, found {matches.Count}:\n{Process}");
        return matches[0];
    }

    public static string Text(JsonElement result, string property) => result.GetProperty(property).GetString() ?? "";
}
