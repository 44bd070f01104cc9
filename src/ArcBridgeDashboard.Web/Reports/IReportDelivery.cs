namespace ArcBridgeDashboard.Web.Reports;

/// <summary>
/// Where a scheduled report goes once generated: the snapshot and its PDF. The default only logs it; e-mail is a
/// delivery registered before the reports module (it is added with TryAdd, so the first registration wins).
/// </summary>
public interface IReportDelivery
{
    Task DeliverAsync(StoredReport report, byte[] pdf, CancellationToken cancellationToken);
}

public sealed partial class LoggingReportDelivery(ILogger<LoggingReportDelivery> logger) : IReportDelivery
{
    public Task DeliverAsync(StoredReport report, byte[] pdf, CancellationToken cancellationToken)
    {
        LogDelivered(report.Id, report.Report.Verdict, pdf.Length);
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Scheduled readiness report {ReportId} ({Verdict}) is ready at /reports/{ReportId} ({PdfBytes} bytes of PDF); no delivery is configured")]
    private partial void LogDelivered(long reportId, ReportVerdict verdict, int pdfBytes);
}
