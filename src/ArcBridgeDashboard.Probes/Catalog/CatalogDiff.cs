using ArcBridgeDashboard.Probes.Contracts;

namespace ArcBridgeDashboard.Probes.Catalog;

/// <summary>An endpoint present in both versions whose fields differ; <see cref="Fields"/> names them.</summary>
public sealed record ChangedEndpoint(CatalogEndpoint Before, CatalogEndpoint After, IReadOnlyList<string> Fields);

/// <summary>What importing a newer allowlist changes, matched by <see cref="CatalogEndpoint.Identity"/> (cloud and host:port/proto).</summary>
public sealed record CatalogDiff(
    IReadOnlyList<CatalogEndpoint> Added,
    IReadOnlyList<CatalogEndpoint> Removed,
    IReadOnlyList<ChangedEndpoint> Changed)
{
    public bool IsEmpty => Added.Count == 0 && Removed.Count == 0 && Changed.Count == 0;

    public static CatalogDiff Compute(IEnumerable<CatalogEndpoint> before, IEnumerable<CatalogEndpoint> after)
    {
        var old = before.GroupBy(e => e.Identity).ToDictionary(g => g.Key, g => g.First());
        var now = after.GroupBy(e => e.Identity).ToDictionary(g => g.Key, g => g.First());
        var added = now.Values.Where(e => !old.ContainsKey(e.Identity)).ToList();
        var removed = old.Values.Where(e => !now.ContainsKey(e.Identity)).ToList();
        var changed = new List<ChangedEndpoint>();
        foreach (var (key, was) in old)
        {
            if (!now.TryGetValue(key, out var @is))
                continue;
            var fields = ChangedFields(was, @is);
            if (fields.Count > 0)
                changed.Add(new ChangedEndpoint(was, @is, fields));
        }
        return new CatalogDiff(added, removed, changed);
    }

    private static List<string> ChangedFields(CatalogEndpoint a, CatalogEndpoint b)
    {
        var fields = new List<string>();
        if (a.Service != b.Service) fields.Add(nameof(CatalogEndpoint.Service));
        if (a.Sources != b.Sources) fields.Add(nameof(CatalogEndpoint.Sources));
        if (a.Purpose != b.Purpose) fields.Add(nameof(CatalogEndpoint.Purpose));
        if (a.Origin != b.Origin) fields.Add(nameof(CatalogEndpoint.Origin));
        if (a.Note != b.Note) fields.Add(nameof(CatalogEndpoint.Note));
        if (a.BypassProxy != b.BypassProxy) fields.Add(nameof(CatalogEndpoint.BypassProxy));
        // Host pattern, port and protocol form the key; a case-only change of the pattern still shows.
        if (a.HostPattern != b.HostPattern) fields.Add(nameof(CatalogEndpoint.HostPattern));
        return fields;
    }
}
