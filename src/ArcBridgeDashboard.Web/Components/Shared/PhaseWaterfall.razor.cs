using System.Globalization;
using ArcBridgeDashboard.Probes.Contracts;
using Microsoft.AspNetCore.Components;

namespace ArcBridgeDashboard.Web.Components.Shared;

/// <summary>DNS → TCP → proxy → TLS → HTTP as consecutive bars whose widths are shares of the total time.</summary>
public partial class PhaseWaterfall
{
    private static readonly (string Key, Phase Phase, string Label)[] Order =
    [
        ("dns", Phase.Dns, "DNS"),
        ("tcp", Phase.Tcp, "TCP"),
        ("proxy", Phase.Proxy, "Proxy"),
        ("tls", Phase.Tls, "TLS"),
        ("http", Phase.Http, "HTTP"),
        ("ntp", Phase.Ntp, "NTP"),
    ];

    /// <summary>Milliseconds per phase as stored on the result ("dns", "tcp", ... and the measured "total").</summary>
    [Parameter, EditorRequired] public IReadOnlyDictionary<string, double> TimingsMs { get; set; } = new Dictionary<string, double>();

    /// <summary>The phase the probe ended in; highlighted when <see cref="Failed"/>.</summary>
    [Parameter] public Phase FailingPhase { get; set; }

    [Parameter] public bool Failed { get; set; }

    /// <summary>The reason it ended with: DNS at the proxy marks the proxy bar, since our own DNS bar (the proxy's name) passed.</summary>
    [Parameter] public ReasonCode? Reason { get; set; }

    private IReadOnlyList<WaterfallBar> Bars { get; set; } = [];
    private double Total { get; set; }

    protected override void OnParametersSet()
    {
        var bars = new List<WaterfallBar>();
        var atProxy = Failed && FailingPhase == Phase.Dns && Reason is { } reason && ReasonCatalog.IsDnsAtProxy(reason);
        var failing = atProxy ? Phase.Proxy : FailingPhase;
        var phases = Order.Where(p => TimingsMs.ContainsKey(p.Key) || (Failed && p.Phase == failing)).ToList();
        var phaseSum = phases.Sum(p => Math.Max(0, TimingsMs.GetValueOrDefault(p.Key)));
        // Show the measured total (the same figure as the raw results' Total column): it includes time between
        // phases that no bar covers, so the sum of the bars would understate it.
        Total = TimingsMs.TryGetValue("total", out var measured) && measured > 0 ? measured : phaseSum;
        var scale = Math.Max(Total, phaseSum);
        var offset = 0.0;
        foreach (var (key, phase, label) in phases)
        {
            var ms = Math.Max(0, TimingsMs.GetValueOrDefault(key));
            var width = scale > 0 ? ms / scale * 100 : 0;
            var failed = Failed && phase == failing;
            bars.Add(new WaterfallBar(key, failed && atProxy ? Phase.Dns.DisplayName(Reason) : label, ms, offset, width, failed));
            offset += width;
        }
        Bars = bars;
    }

    /// <summary>Invariant culture: a comma decimal separator would break the inline CSS.</summary>
    private static string Pct(double value) => Math.Round(value, 2).ToString(CultureInfo.InvariantCulture);

    private sealed record WaterfallBar(string Name, string Label, double Ms, double OffsetPct, double WidthPct, bool Failing);
}
