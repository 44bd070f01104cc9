using ArcBridgeDashboard.Web.Monitoring.Status;
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

    /// <summary>
    /// Services with a failure come first, then warnings and unknowns, then the healthy ones, so on-call sees the
    /// problem without scrolling. Rows keep their order inside a group; ties keep the order of their first row.
    /// </summary>
    private IReadOnlyList<IGrouping<string, MatrixRow>> VisibleGroups =>
        Rows.Where(Matches).GroupBy(r => r.Service)
            .OrderBy(g => ProblemsFirst ? g.Min(r => r.Cells.Values.Select(c => Rank(c.Status)).DefaultIfEmpty(9).Min()) : 0)
            .ToList();

    /// <summary>On by default; off keeps the service order the page passes in.</summary>
    [Parameter] public bool ProblemsFirst { get; set; } = true;

    private static int Rank(DisplayStatus status) => status switch
    {
        DisplayStatus.Fail => 0,
        DisplayStatus.Warn => 1,
        DisplayStatus.Stale => 2,
        DisplayStatus.NoData or DisplayStatus.Gap or DisplayStatus.NeedsHostname => 3,
        _ => 4,
    };

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

    // Filters are bindable so a page can keep them in the URL (a link to "/?status=Fail" for on-call).
    [Parameter] public string? Search { get; set; }
    [Parameter] public EventCallback<string?> SearchChanged { get; set; }
    [Parameter] public DisplayStatus? Status { get; set; }
    [Parameter] public EventCallback<DisplayStatus?> StatusChanged { get; set; }
    [Parameter] public string? Service { get; set; }
    [Parameter] public EventCallback<string?> ServiceChanged { get; set; }
    [Parameter] public string? Source { get; set; }
    [Parameter] public EventCallback<string?> SourceChanged { get; set; }

    private (string?, DisplayStatus?, string?, string?)? _seenParameters;

    protected override void OnParametersSet()
    {
        // Parameters seed the filters; the component owns them afterwards. Copy only when the parent passes new
        // values, otherwise every live row update from an unbound parent would wipe what the user typed.
        var incoming = (Search, Status, Service, Source);
        if (_seenParameters == incoming)
        {
            return;
        }
        _seenParameters = incoming;
        (_search, _status, _service, _source) = incoming;
    }

    private Task OnSearchChanged(string? value)
    {
        _search = value;
        return SearchChanged.InvokeAsync(value);
    }

    private Task OnStatusChanged(DisplayStatus? value)
    {
        _status = value;
        return StatusChanged.InvokeAsync(value);
    }

    private Task OnServiceChanged(string? value)
    {
        _service = value;
        return ServiceChanged.InvokeAsync(value);
    }

    private Task OnSourceChanged(string? value)
    {
        _source = value;
        return SourceChanged.InvokeAsync(value);
    }
}
