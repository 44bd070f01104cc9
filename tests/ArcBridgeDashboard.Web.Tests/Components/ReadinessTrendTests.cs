using ArcBridgeDashboard.Web.Components.Shared;
using ArcBridgeDashboard.Web.Monitoring.Queries;
using ArcBridgeDashboard.Web.Monitoring.Status;
using Bunit;

namespace ArcBridgeDashboard.Web.Tests.Components;

public sealed class ReadinessTrendTests : DashboardComponentTest
{
    private static readonly DateTimeOffset Start = new(2026, 11, 27, 7, 0, 0, TimeSpan.Zero);

    private static List<TrendPoint> Hours() =>
    [
        .. Enumerable.Range(0, 48).Select(i => i switch
        {
            10 => new TrendPoint(Start.AddHours(i), 0.5, 4, 2),
            < 5 => new TrendPoint(Start.AddHours(i), null, 0, 0),
            _ => new TrendPoint(Start.AddHours(i), 1.0, 4, 4),
        }),
    ];

    [Fact]
    public void Render_48Hours_OneBucketPerHourNoDataApartFromZeroAndLabelsNameShareAndCounts()
    {
        var cut = Render<ReadinessTrend>(p => p.Add(c => c.Points, Hours()));

        var buckets = cut.FindAll("[data-testid='trend-bucket']");
        Assert.Equal(48, buckets.Count);
        Assert.Equal("none", buckets[0].GetAttribute("data-share"));
        Assert.EndsWith(": no data", buckets[0].GetAttribute("aria-label"));
        Assert.Single(buckets[0].QuerySelectorAll("rect.trend-nodata"));
        Assert.Equal("50", buckets[10].GetAttribute("data-share"));
        Assert.Contains("50 % passing (2 of 4 required check-hours)", buckets[10].GetAttribute("aria-label"));
        Assert.Contains("50 % passing", buckets[10].QuerySelector("title")!.TextContent);
        Assert.Contains("Lowest 50 %", cut.Find("[data-testid='trend-summary']").TextContent);
        Assert.Equal("true", cut.Find("[data-testid='trend-range-hours']").GetAttribute("aria-pressed"));
    }

    [Fact]
    public void Render_AnnotationInRange_MarkedOnTheAxisAndOneOutsideLeftOut()
    {
        var inside = new AnnotationNote(Start.AddHours(24), "Proxy changed", "Operator");
        var outside = new AnnotationNote(Start.AddDays(-3), "Long ago", "Operator");

        var cut = Render<ReadinessTrend>(p => p.Add(c => c.Points, Hours()).Add(c => c.Annotations, [inside, outside]));

        var marker = Assert.Single(cut.FindAll("[data-testid='trend-annotation']"));
        Assert.Contains("Proxy changed", marker.GetAttribute("title"));
        Assert.Contains("left: 50%", marker.GetAttribute("style"));
    }

    [Fact]
    public async Task ClickDaysThenYear_AsksTheParentForDailyThenWeeklyBuckets()
    {
        var asked = new List<TrendRange>();
        var cut = Render<ReadinessTrend>(p => p.Add(c => c.Points, Hours()).Add(c => c.RangeChanged, (TrendRange r) => asked.Add(r)));

        await cut.Find("[data-testid='trend-range-days']").ClickAsync(new());
        await cut.Find("[data-testid='trend-range-year']").ClickAsync(new());

        Assert.Equal([TrendRange.Days30, TrendRange.Year], asked);
    }

    [Fact]
    public void Render_Year_OneBucketPerWeekLabelledByItsMonday()
    {
        var monday = new DateTimeOffset(2025, 12, 1, 0, 0, 0, TimeSpan.Zero);
        var weeks = Enumerable.Range(0, 53).Select(i => i == 52 ? new TrendPoint(monday.AddDays(7 * i), 0.75, 8, 6) : new TrendPoint(monday.AddDays(7 * i), null, 0, 0)).ToList();

        var cut = Render<ReadinessTrend>(p => p.Add(c => c.Points, weeks).Add(c => c.Range, TrendRange.Year));

        var buckets = cut.FindAll("[data-testid='trend-bucket']");
        Assert.Equal(53, buckets.Count);
        Assert.Equal("Readiness per week", cut.Find("[data-testid='trend-svg']").GetAttribute("aria-label"));
        Assert.StartsWith("week of ", buckets[^1].GetAttribute("aria-label"));
        Assert.Contains("75 % passing (6 of 8 required check-hours)", buckets[^1].GetAttribute("aria-label"));
        Assert.Equal("true", cut.Find("[data-testid='trend-range-year']").GetAttribute("aria-pressed"));
        Assert.Equal("false", cut.Find("[data-testid='trend-range-hours']").GetAttribute("aria-pressed"));
    }
}

public sealed class RecentHistoryBarTests : DashboardComponentTest
{
    private static readonly DateTimeOffset Start = new(2026, 11, 28, 7, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Render_24Hours_OneSegmentPerHourColouredByStatusWithHourAndCounts()
    {
        var hours = Enumerable.Range(0, 24).Select(i => i switch
        {
            20 => new HistoryCell(Start.AddHours(i), DisplayStatus.Fail, 10, 0, 2),
            21 => new HistoryCell(Start.AddHours(i), DisplayStatus.Warn, 11, 1, 0),
            < 3 => new HistoryCell(Start.AddHours(i), DisplayStatus.NoData, 0, 0, 0),
            _ => new HistoryCell(Start.AddHours(i), DisplayStatus.Pass, 12, 0, 0),
        }).ToList();

        var cut = Render<RecentHistoryBar>(p => p.Add(c => c.Buckets, hours).Add(c => c.Source, "Management machine"));

        var segments = cut.FindAll("[data-testid='history-segment']");
        Assert.Equal(24, segments.Count);
        Assert.Contains("history-fail", segments[20].ClassList);
        Assert.Contains("history-warn", segments[21].ClassList);
        Assert.Contains("history-nodata", segments[0].ClassList);
        var hour = Start.AddHours(20).ToLocalTime();
        Assert.Equal($"{hour:MM-dd HH:mm}–{hour.AddHours(1):HH:mm}: Fail · 10 pass, 0 warn, 2 fail", segments[20].GetAttribute("title"));
        Assert.EndsWith(": no data", segments[0].GetAttribute("aria-label"));
        Assert.Equal("Last 24 hours from Management machine: 1 failing, 3 without data", cut.Find("ol.history-bar").GetAttribute("aria-label"));
    }
}

public sealed class MatrixHistoryTests : DashboardComponentTest
{
    [Fact]
    public void Render_RowWithHistory_ShowsTheBarUnderItsSourceCellOnly()
    {
        var start = new DateTimeOffset(2026, 11, 28, 7, 0, 0, TimeSpan.Zero);
        var hours = Enumerable.Range(0, 24).Select(i => new HistoryCell(start.AddHours(i), DisplayStatus.Pass, 12, 0, 0)).ToList();
        var rows = SampleRows.Matrix.Select((r, i) => i == 0 ? r with { History = new Dictionary<string, IReadOnlyList<HistoryCell>> { [SampleRows.Mm] = hours } } : r).ToList();
        var first = rows[0];

        var cut = Render<EndpointMatrix>(p => p.Add(c => c.Rows, rows).Add(c => c.SourceColumns, SampleRows.Sources));

        var bar = cut.Find($"[data-testid='cell-{first.TargetKey}-{SampleRows.Mm}'] ol.history-bar");
        Assert.Equal(24, bar.QuerySelectorAll("li").Length);
        Assert.Single(cut.FindAll("ol.history-bar"));
    }
}
