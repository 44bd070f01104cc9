using System.Diagnostics;
using ArcBridgeDashboard.Bench.Common;

namespace ArcBridgeDashboard.Bench.Pages;

public sealed record PageTiming(string Path, int Status, int Bytes, double MedianMs, double P95Ms, int Samples);

/// <summary>
/// Server time of a prerendered page, measured on loopback as time to the last byte of a fresh GET (no keep-alive
/// reuse benefit beyond the connection pool; the network share of that is well under a millisecond).
/// </summary>
public static class PageTimer
{
    public static async Task<PageTiming> MeasureAsync(HttpClient client, string path, int warmup, int samples)
    {
        var status = 0;
        var bytes = 0;
        for (var i = 0; i < warmup; i++)
        {
            using var response = await client.GetAsync(path);
            status = (int)response.StatusCode;
            bytes = (await response.Content.ReadAsByteArrayAsync()).Length;
        }
        var times = new List<double>(samples);
        for (var i = 0; i < samples; i++)
        {
            var clock = Stopwatch.StartNew();
            using var response = await client.GetAsync(path);
            var body = await response.Content.ReadAsByteArrayAsync();
            times.Add(clock.Elapsed.TotalMilliseconds);
            status = (int)response.StatusCode;
            bytes = body.Length;
        }
        return new PageTiming(path, status, bytes, Stats.Median(times), Stats.Percentile(times, 95), samples);
    }
}
