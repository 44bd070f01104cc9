namespace ArcBridgeDashboard.Probes.Tests.Fixtures;

/// <summary>Every published version of the allowlist found (Fixtures/allowlists, sources in SOURCES.md there), oldest first.</summary>
internal static class PublishedAllowlists
{
    public const string Current = "allowlists/arc-resource-bridge-network-requirements.2026-08-25.md";

    public static IReadOnlyList<string> Files { get; } = Directory
        .GetFiles(Path.GetDirectoryName(FixtureFiles.PathOf(Current))!, "arc-resource-bridge-network-requirements.*.md")
        .Select(p => "allowlists/" + Path.GetFileName(p))
        .Order(StringComparer.Ordinal)
        .ToList();

    public static TheoryData<string> All() => new(Files);

    /// <summary>The ms.date a fixture's name carries: "…2024-03-19.b.md" → "2024-03-19".</summary>
    public static string DateOf(string file) => Path.GetFileName(file).Split('.')[1];
}
