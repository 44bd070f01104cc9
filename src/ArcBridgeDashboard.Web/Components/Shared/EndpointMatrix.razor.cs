using Microsoft.AspNetCore.Components;

namespace ArcBridgeDashboard.Web.Components.Shared;

/// <summary>Targets (rows, grouped by service) by sources (columns), with client-side filters.</summary>
public partial class EndpointMatrix
{
    private string? _search;
    private DisplayStatus? _status;
    private string? _service;
    private string? _source;

    [Parameter, EditorRequired] public IReadOnlyList<MatrixRow> Rows { get; set; } = [];

    /// <summary>Column order; the page decides which sources exist (one per agent role).</summary>
    [Parameter, EditorRequired] public IReadOnlyList<string> SourceColumns { get; set; } = [];

    private IReadOnlyList<string> Services => Rows.Select(r => r.Service).Distinct().Order(StringComparer.OrdinalIgnoreCase).ToList();

    private IReadOnlyList<string> VisibleSources =>
        _source is null ? SourceColumns : SourceColumns.Where(s => s == _source).ToList();

    /// <summary>Rows keep their catalog order inside a group; groups keep the order of their first row.</summary>
    private IReadOnlyList<IGrouping<string, MatrixRow>> VisibleGroups =>
        Rows.Where(Matches).GroupBy(r => r.Service).ToList();

    private bool Matches(MatrixRow row)
    {
        if (_service is not null && row.Service != _service)
        {
            return false;
        }
        var sources = VisibleSources;
        if (_source is not null && !row.Cells.ContainsKey(_source))
        {
            return false;
        }
        if (_status is { } status && !sources.Any(s => row.Cells.TryGetValue(s, out var c) && c.Status == status))
        {
            return false;
        }
        if (!string.IsNullOrWhiteSpace(_search))
        {
            var term = _search.Trim();
            return row.Host.Contains(term, StringComparison.OrdinalIgnoreCase)
                || row.Service.Contains(term, StringComparison.OrdinalIgnoreCase)
                || row.TargetKey.Contains(term, StringComparison.OrdinalIgnoreCase);
        }
        return true;
    }

    private void OnSearchChanged(string? value) => _search = value;
    private void OnStatusChanged(DisplayStatus? value) => _status = value;
    private void OnServiceChanged(string? value) => _service = value;
    private void OnSourceChanged(string? value) => _source = value;
}
