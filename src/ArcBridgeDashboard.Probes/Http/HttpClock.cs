using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Probes.Sweeps;

namespace ArcBridgeDashboard.Probes.Http;

/// <summary>
/// This machine's clock against an HTTPS server's Date header. Arc fails with ClockSkewError at 30 minutes, and the
/// Date header is there even where UDP 123 is blocked, so every HTTPS probe is also a clock check.
/// </summary>
public static class HttpClock
{
    /// <summary>
    /// Server Date minus the local clock at the middle of the exchange. Date is truncated to whole seconds, so its
    /// moment is on average half a second later than it says.
    /// </summary>
    public static double OffsetMs(DateTimeOffset serverDate, DateTimeOffset sent, DateTimeOffset received)
    {
        var middle = sent + (received - sent) / 2;
        return Math.Round((serverDate + TimeSpan.FromMilliseconds(500) - middle).TotalMilliseconds, 1);
    }

    /// <summary>The warning or failure for <paramref name="offsetMs"/>; null when the clock is close enough.</summary>
    public static PhaseFault? Judge(double offsetMs, TimeSpan warnAt, TimeSpan failAt)
    {
        var size = TimeSpan.FromMilliseconds(Math.Abs(offsetMs));
        if (size < warnAt)
            return null;
        var detail = $"this clock is {Describe(size)} {(offsetMs > 0 ? "behind" : "ahead of")} the server's Date header";
        return size >= failAt
            ? new PhaseFault(ReasonCode.ClockSkewTooLarge, detail)
            : new PhaseFault(ReasonCode.ClockSkewHigh, detail + $" (warning from {Describe(warnAt)}, Arc fails at {Describe(failAt)})");
    }

    /// <summary>
    /// The median offset over results that carry one, and how many did: one server with a wrong Date moves no verdict
    /// about this machine's clock. Null when no HTTPS server sent a Date.
    /// </summary>
    public static (double OffsetMs, int Servers)? Median(IEnumerable<ProbeResult> results)
        => Median(results.Select(r => r.Details.Http?.ClockOffsetMs).OfType<double>());

    /// <summary>The median of offsets already read (stored results); null when there are none.</summary>
    public static (double OffsetMs, int Servers)? Median(IEnumerable<double> offsetsMs)
    {
        var offsets = offsetsMs.Order().ToArray();
        if (offsets.Length == 0)
            return null;
        var middle = offsets.Length / 2;
        var median = offsets.Length % 2 == 1 ? offsets[middle] : (offsets[middle - 1] + offsets[middle]) / 2;
        return (median, offsets.Length);
    }

    public static string Describe(TimeSpan size) => DescribeRounded(TimeSpan.FromSeconds(Math.Round(size.TotalSeconds, size.TotalMinutes >= 1 ? 0 : 1)));

    private static string DescribeRounded(TimeSpan size) => size.TotalHours >= 1
        ? $"{(int)size.TotalHours} h {size.Minutes} min"
        : size.TotalMinutes >= 1 ? $"{(int)size.TotalMinutes} min {size.Seconds} s" : $"{size.TotalSeconds:0.#} s";
}
