namespace ArcBridgeDashboard.Bench.Common;

/// <summary>The final block each benchmark prints: one "label: value" line per figure, easy to paste and to grep.</summary>
public sealed class ResultBlock(string title)
{
    private readonly List<(string Label, string Value)> _lines = [];

    public ResultBlock Add(string label, string value)
    {
        _lines.Add((label, value));
        return this;
    }

    public void Print()
    {
        var width = _lines.Count == 0 ? 0 : _lines.Max(l => l.Label.Length);
        Console.WriteLine();
        Console.WriteLine($"===== RESULT {title} =====");
        // The machine is shared: the load average says how much the figures above were disturbed.
        var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a";
        width = Math.Max(width, "machine load (loadavg)".Length);
        foreach (var (label, value) in _lines)
            Console.WriteLine($"  {label.PadRight(width)} : {value}");
        Console.WriteLine($"  {"machine load (loadavg)".PadRight(width)} : {load} on {Environment.ProcessorCount} cores");
        Console.WriteLine($"===== END {title} =====");
    }

    public static string Aim(bool met) => met ? "MET" : "NOT MET";
}
