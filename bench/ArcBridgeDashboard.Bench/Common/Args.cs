using System.Globalization;

namespace ArcBridgeDashboard.Bench.Common;

/// <summary>"--name value" pairs after the verb. The bench is driven by bench/run.sh, so no richer parser is needed.</summary>
public sealed class Args
{
    private readonly Dictionary<string, string> _values = new(StringComparer.OrdinalIgnoreCase);

    public Args(IEnumerable<string> args)
    {
        string? pending = null;
        foreach (var arg in args)
        {
            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                if (pending is not null) _values[pending] = "true";
                pending = arg[2..];
            }
            else if (pending is not null)
            {
                _values[pending] = arg;
                pending = null;
            }
            else
            {
                throw new ArgumentException($"unexpected argument '{arg}': options are --name value");
            }
        }
        if (pending is not null) _values[pending] = "true";
    }

    public string Get(string name, string fallback) => _values.TryGetValue(name, out var v) ? v : fallback;
    public string? Find(string name) => _values.GetValueOrDefault(name);
    public int GetInt(string name, int fallback) => _values.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
    public bool Has(string name) => _values.ContainsKey(name);
}
