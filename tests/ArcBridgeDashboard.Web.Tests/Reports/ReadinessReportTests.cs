using System.Diagnostics;
using System.Net;
using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Web.Configuration;
using ArcBridgeDashboard.Web.Data;
using ArcBridgeDashboard.Web.Reports;
using ArcBridgeDashboard.Web.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using UglyToad.PdfPig;

namespace ArcBridgeDashboard.Web.Tests.Reports;

/// <summary>
/// Reports over a prepared dashboard: verdicts, evidence and remedies per endpoint × role, the stored snapshot and its
/// exports, and a comparison after things changed. Its own app: it counts every endpoint and agent of its database.
/// On both providers: <see cref="OnSqlite"/>, <see cref="OnPostgreSql"/>.
/// </summary>
public abstract class ReadinessReportTests(DatabaseProvider provider) : IAsyncLifetime
{
    public sealed class OnSqlite() : ReadinessReportTests(DatabaseProvider.Sqlite);

    public sealed class OnPostgreSql() : ReadinessReportTests(DatabaseProvider.PostgreSql);

    private readonly ArcBridgeAppFactory _app = ReportScenario.CreateApp(provider: provider);

    public async Task InitializeAsync()
    {
        await ReportScenario.SeedAsync(_app);
        await ReportScenario.StoreFirstRoundAsync(_app);
    }

    public Task DisposeAsync()
    {
        _app.Dispose();
        return Task.CompletedTask;
    }

    private Task<StoredReport> GenerateAsync(string? author = null) =>
        _app.InScopeAsync(sp => sp.GetRequiredService<ReportSnapshots>().GenerateAsync(author));

    [Fact]
    public async Task Generate_FailuresOfEachKind_NotReadyWithCountsEvidenceAndConcreteRemedies()
    {
        var stored = await GenerateAsync();
        var report = stored.Report;

        Assert.Equal(ReportVerdict.NotReady, report.Verdict);
        Assert.Equal((1, 3, 1), (report.Counts.Ready, report.Counts.NotReady, report.Counts.Incomplete));
        Assert.Equal("dashboard", report.Author);
        Assert.Equal("2026-08-25", report.Header.CatalogVersion);
        Assert.Equal("http://proxy.corp.example:3128", report.Header.Proxy);
        Assert.Equal(["mgmt-lab", "vm-lab"], report.Header.Agents.Where(a => a.Name != "built-in").Select(a => a.Name));

        var proxy = report.Rows.Single(r => r.Host == ReportScenario.DataPlaneHost && r.Role == Sources.ManagementMachine);
        Assert.Equal("Allow `*.dp.prod.appliances.azure.com` on the proxy (port 443).", proxy.Remedy);
        var evidence = Assert.Single(proxy.Evidence);
        Assert.Equal(("mgmt-lab", _app.Time.GetUtcNow(), "dns 1.5 · tcp 2.3 · total 12.5 ms"), (evidence.Agent, evidence.CheckedAt, evidence.TimingsText));
        Assert.Equal(ReportVerdict.Ready, report.Rows.Single(r => r.Host == ReportScenario.DataPlaneHost && r.Role == Sources.ApplianceVm).Verdict);
        Assert.Equal("Exclude `mcr.microsoft.com` from TLS inspection; the inspecting issuer was CN=Contoso Inspection CA.",
            report.Rows.Single(r => r.Host == "mcr.microsoft.com").Remedy);
        Assert.Equal("Allow UDP 123 to time.windows.com.", report.Rows.Single(r => r.Host == "time.windows.com").Remedy);
        var stale = report.Rows.Single(r => r.Host == "login.microsoftonline.com");
        Assert.Equal(ReportVerdict.Incomplete, stale.Verdict);
        Assert.StartsWith("Results are stale (mgmt-lab at ", stale.Finding, StringComparison.Ordinal);
        Assert.Contains(report.Blockers, b => b.Contains("ProxyDenied", StringComparison.Ordinal) && b.Contains("on the proxy", StringComparison.Ordinal));
        Assert.Contains("1 check has only stale results.", report.Blockers);
        // Failures first, so the table reads like the summary.
        Assert.Equal(ReportVerdict.NotReady, report.Rows[0].Verdict);
    }

    [Fact]
    public async Task Generate_RoleWithoutOnlineAgent_IncompleteNamesTheRole()
    {
        await using (var db = _app.CreateDbContext())
        {
            // Silence from the appliance VM agent, and its old results are everything the dashboard has.
            var vm = await db.Agents.SingleAsync(a => a.Name == "vm-lab");
            vm.LastSeenAt = _app.Time.GetUtcNow().AddHours(-2);
            await db.SaveChangesAsync();
        }
        await ReportScenario.StoreAsync(_app, "mgmt-lab", "Arc data plane", Verdict.Pass, ReasonCode.Ok);
        await ReportScenario.StoreAsync(_app, "mgmt-lab", "Microsoft Container Registry", Verdict.Pass, ReasonCode.Ok);
        await ReportScenario.StoreAsync(_app, "mgmt-lab", "Time", Verdict.Pass, ReasonCode.Ok);
        await ReportScenario.StoreAsync(_app, "mgmt-lab", "Key Vault", Verdict.Pass, ReasonCode.Ok);

        var report = (await GenerateAsync()).Report;

        Assert.Equal(ReportVerdict.Incomplete, report.Verdict);
        var vmRow = report.Rows.Single(r => r.Role == Sources.ApplianceVm);
        Assert.Equal((ReportVerdict.Incomplete, "No online agent covers Appliance VM."), (vmRow.Verdict, vmRow.Finding));
        Assert.Equal("No online agent covers Appliance VM: its checks cannot be confirmed.", report.Blockers[0]);
        Assert.Equal(4, report.Counts.Ready);
    }

    [Fact]
    public async Task Snapshot_AfterSettingsAndResultsChange_ReadsBackUnchangedAndComparesWithTheNext()
    {
        var first = await GenerateAsync("alice");
        _app.Time.Advance(TimeSpan.FromMinutes(1));
        await ReportScenario.StoreAsync(_app, "mgmt-lab", "Arc data plane", Verdict.Pass, ReasonCode.Ok);          // fixed
        await ReportScenario.StoreAsync(_app, "vm-lab", "Arc data plane", Verdict.Fail, ReasonCode.ProxyAuthRequired, phase: Phase.Proxy); // broke
        var second = await GenerateAsync();

        var reread = await _app.InScopeAsync(sp => sp.GetRequiredService<ReportSnapshots>().GetAsync(first.Id));
        Assert.Equal(first.Report.Counts, reread!.Report.Counts);
        Assert.Equal("alice", reread.Report.Author);
        var list = await _app.InScopeAsync(sp => sp.GetRequiredService<ReportSnapshots>().ListAsync());
        Assert.Equal([second.Id, first.Id], list.Select(i => i.Id));

        // Either order: the older report is "before".
        var comparison = ReportComparer.Compare(second, first);
        Assert.Equal(first.Id, comparison.Before.Id);
        Assert.Equal($"{ReportScenario.DataPlaneHost}:443/tcp", Assert.Single(comparison.NewlyFailing).Endpoint);
        Assert.Equal(Sources.ApplianceVm, comparison.NewlyFailing[0].Role);
        Assert.Equal(Sources.ManagementMachine, Assert.Single(comparison.NewlyPassing).Role);
        Assert.Equal(["mcr.microsoft.com:443/tcp", "time.windows.com:123/udp"], comparison.UnchangedFailing.Select(r => r.Endpoint).Order());
    }

    [Fact]
    public async Task Downloads_PdfCsvJson_CarryVerdictCountsRemedyAndHeaderButNoPassword()
    {
        var stored = await GenerateAsync();
        using var client = _app.CreateClient();

        var pdf = await client.GetByteArrayAsync(ReportsExtensions.DownloadPath(stored.Id, "pdf"));
        await SaveFirstPagePngAsync(pdf);
        using (var document = PdfDocument.Open(pdf))
        {
            var pages = document.GetPages().Select(p => string.Join(" ", p.GetWords().Select(w => w.Text))).ToList();
            var summary = pages[0];
            Assert.Contains("Verdict: Not ready", summary, StringComparison.Ordinal);
            Assert.Contains("1 ready · 3 not ready · 1 incomplete, of 5 required endpoint × source checks", summary, StringComparison.Ordinal);
            Assert.Contains("What blocks readiness", summary, StringComparison.Ordinal);
            Assert.Contains("ProxyDenied. Allow `*.dp.prod.appliances.azure.com` on the proxy (port 443).", summary, StringComparison.Ordinal);
            // The table's remedy column (its words right of x = 611 pt) reads the same sentence, wrapped.
            var remedyColumn = string.Join(" ", document.GetPage(2).GetWords().Where(w => w.BoundingBox.Left >= 610).Select(w => w.Text));
            Assert.Contains("Allow `*.dp.prod.appliances.azure.com` on the proxy (port 443).", remedyColumn, StringComparison.Ordinal);
            foreach (var page in pages)
            {
                Assert.Contains("Catalog version 2026-08-25", page, StringComparison.Ordinal);
                Assert.Contains("Proxy http://proxy.corp.example:3128", page, StringComparison.Ordinal);
                Assert.Contains("Cloud Azure Cloud", page, StringComparison.Ordinal);
                Assert.Contains("Agents included:", page, StringComparison.Ordinal);
                Assert.Contains("mgmt-lab", page, StringComparison.Ordinal);
                Assert.DoesNotContain(ReportScenario.ProxyPassword, page, StringComparison.Ordinal);
            }
            Assert.Contains($"Page 1 of {pages.Count}", pages[0], StringComparison.Ordinal);
        }

        var csv = await client.GetStringAsync(ReportsExtensions.DownloadPath(stored.Id, "csv"));
        Assert.Contains("\"# proxy\",\"http://proxy.corp.example:3128\"", csv, StringComparison.Ordinal);
        Assert.Contains("\"Allow UDP 123 to time.windows.com.\"", csv, StringComparison.Ordinal);
        Assert.DoesNotContain(ReportScenario.ProxyPassword, csv, StringComparison.Ordinal);
        var json = await client.GetStringAsync(ReportsExtensions.DownloadPath(stored.Id, "json"));
        Assert.Contains("\"verdict\": \"NotReady\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain(ReportScenario.ProxyPassword, json, StringComparison.Ordinal);

        var missing = await client.GetAsync(ReportsExtensions.DownloadPath(999, "pdf"));
        Assert.Equal((HttpStatusCode.NotFound, "There is no report 999."), (missing.StatusCode, await missing.Content.ReadAsStringAsync()));
        var badFormat = await client.GetAsync(ReportsExtensions.DownloadPath(stored.Id, "docx"));
        Assert.Equal((HttpStatusCode.BadRequest, "'docx' is not an export format: use pdf, csv or json."), (badFormat.StatusCode, await badFormat.Content.ReadAsStringAsync()));
    }

    /// <summary>The README's picture of a report: the PDF's first page through poppler's pdftoppm, kept with the test output.</summary>
    private static async Task SaveFirstPagePngAsync(byte[] pdf)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "artifacts", "reports");
        Directory.CreateDirectory(folder);
        var pdfPath = Path.Combine(folder, "readiness-report.pdf");
        await File.WriteAllBytesAsync(pdfPath, pdf);
        using var process = Process.Start(new ProcessStartInfo("pdftoppm", ["-png", "-r", "110", "-f", "1", "-l", "1", "-singlefile", pdfPath, Path.Combine(folder, "readiness-report")])
        {
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("pdftoppm (poppler-utils) could not be started.");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, await process.StandardError.ReadToEndAsync());
        Assert.True(new FileInfo(Path.Combine(folder, "readiness-report.png")).Length > 10_000, "the first page rendered to an almost empty picture");
    }
}
