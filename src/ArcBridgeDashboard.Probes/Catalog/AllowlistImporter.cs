using ArcBridgeDashboard.Probes.Contracts;

namespace ArcBridgeDashboard.Probes.Catalog;

/// <summary>Parses the Microsoft Learn markdown allowlist. All or nothing: any error rejects the whole document.</summary>
public static class AllowlistImporter
{
    public static ImportResult Import(string markdown) => throw new NotImplementedException("issue 2: catalog helper");
}

public sealed record ImportError(int Line, int Column, string Message)
{
    public override string ToString() => $"line {Line}, column {Column}: {Message}";
}

public sealed record ImportResult(IReadOnlyList<CatalogEndpoint> Endpoints, IReadOnlyList<ImportError> Errors)
{
    public bool Success => Errors.Count == 0;
}
