using System.Globalization;

namespace ArcBridgeDashboard.EndToEnd.Tests.Agents;

/// <summary>Reads the agent's console log (lines start with an ISO UTC timestamp).</summary>
public static class AgentLog
{
    public static DateTimeOffset? FirstAfter(string output, string fragment, DateTimeOffset after)
    {
        foreach (var line in output.Split('\n'))
        {
            if (!line.Contains(fragment, StringComparison.Ordinal))
                continue;
            var stamp = line.Split(' ', 2)[0];
            if (DateTimeOffset.TryParse(stamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) && at >= after)
                return at;
        }
        return null;
    }
}
