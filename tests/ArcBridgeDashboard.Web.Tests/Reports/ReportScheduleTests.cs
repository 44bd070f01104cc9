using ArcBridgeDashboard.Web.Configuration;
using ArcBridgeDashboard.Web.Reports;
using ArcBridgeDashboard.Web.Tests.Support;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ArcBridgeDashboard.Web.Tests.Reports;

public sealed class ReportScheduleTests
{
    private sealed class RecordingDelivery : IReportDelivery
    {
        public TaskCompletionSource<(StoredReport Report, byte[] Pdf)> Delivered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task DeliverAsync(StoredReport report, byte[] pdf, CancellationToken cancellationToken)
        {
            Delivered.TrySetResult((report, pdf));
            return Task.CompletedTask;
        }
    }

    /// <summary>The app with a delivery that records what it is handed (registered before the reports module's TryAdd would matter).</summary>
    private sealed class DeliveryApp(IReportDelivery delivery, IDictionary<string, string?> settings, DatabaseProvider provider)
        : ArcBridgeAppFactory(settings, provider: provider)
    {
        protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(s => s.AddSingleton(delivery));
        }
    }

    [Theory, BothProviders]
    public async Task Schedule_WeeklyAtSundaySeven_GeneratesAsSchedulerAndDeliversThePdfWhenTheClockGetsThere(DatabaseProvider provider)
    {
        // Its own app: the fake clock is moved. It starts on Sunday 2026-11-29 06:00 UTC.
        var delivery = new RecordingDelivery();
        using var app = new DeliveryApp(delivery, new Dictionary<string, string?>
        {
            ["ArcBridge:BuiltInAgentEnabled"] = "false",
            ["ArcBridge:Reports:Schedule:Enabled"] = "true",
            ["ArcBridge:Reports:Schedule:Day"] = "Sunday",
            ["ArcBridge:Reports:Schedule:Time"] = "07:00",
        }, provider);
        await ReportScenario.SeedAsync(app);
        var scheduler = app.Services.GetRequiredService<ReportScheduler>();
        await Eventually.UntilAsync(() => Task.FromResult(scheduler.SleepingUntil), u => u == new DateTimeOffset(2026, 11, 29, 7, 0, 0, TimeSpan.Zero), "the scheduler sleeping until Sunday 07:00", 60);
        Assert.False(delivery.Delivered.Task.IsCompleted); // nothing before its time

        app.Time.Advance(TimeSpan.FromHours(1));
        var (report, pdf) = await delivery.Delivered.Task.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal("scheduler", report.Report.Author);
        Assert.Equal("%PDF", System.Text.Encoding.ASCII.GetString(pdf, 0, 4));
        await using var db = app.CreateDbContext();
        Assert.Equal("scheduler", (await db.ReportSnapshots.SingleAsync(s => s.Id == report.Id)).Author);
        await Eventually.UntilAsync(() => Task.FromResult(scheduler.SleepingUntil), u => u == new DateTimeOffset(2026, 12, 6, 7, 0, 0, TimeSpan.Zero), "the scheduler sleeping until next Sunday", 60);
    }

    [Theory]
    [InlineData("ArcBridge:Reports:Schedule:Day", "Funday", "ArcBridge:Reports:Schedule:Day 'Funday' is not a day of the week")]
    [InlineData("ArcBridge:Reports:Schedule:Time", "25:00", "ArcBridge:Reports:Schedule:Time '25:00' is not a time of day")]
    public void Startup_BadScheduleOption_FailsWithMessageNamingTheKey(string key, string value, string expected)
    {
        using var app = new ArcBridgeAppFactory(new Dictionary<string, string?> { ["ArcBridge:BuiltInAgentEnabled"] = "false", [key] = value }); // its own: a bad configuration

        var error = Assert.Throws<OptionsValidationException>(() => app.CreateClient());

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
