using ArcBridgeDashboard.Web.Secrets;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace ArcBridgeDashboard.Web.Notifications;

/// <summary>A file to attach to an e-mail.</summary>
public sealed record MailAttachment(string FileName, string ContentType, byte[] Content);

/// <summary>
/// Sends e-mail through ArcBridge:Smtp with MailKit: notifications and the weekly report share it. One connection per
/// message: mails are rare, and a fresh connection never carries a stale session into the next send.
/// </summary>
public sealed partial class SmtpMailSender(IOptions<SmtpOptions> options, SecretProtector protector, ILogger<SmtpMailSender> logger)
{
    public bool Configured => options.Value.Configured;

    /// <summary>Where mail comes from, for the page ("smtp.corp.example:587 as arcbridge@corp.example").</summary>
    public string Describe() => Configured
        ? $"{options.Value.Host}:{options.Value.Port} ({(options.Value.UseTls ? "TLS" : "no TLS")}) as {options.Value.From}"
        : $"not configured: set {SmtpOptions.SectionName}:Host and :From";

    public async Task SendAsync(IReadOnlyList<string> to, string subject, string body, IReadOnlyList<MailAttachment>? attachments, CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (!o.Configured)
            throw new InvalidOperationException($"E-mail is not configured: set {SmtpOptions.SectionName}:Host and {SmtpOptions.SectionName}:From.");
        if (to.Count == 0)
            throw new InvalidOperationException("The e-mail has no recipients.");
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(o.From!));
        foreach (var address in to)
            message.To.Add(MailboxAddress.Parse(address));
        message.Subject = subject;
        var builder = new BodyBuilder { TextBody = body };
        foreach (var a in attachments ?? [])
            builder.Attachments.Add(a.FileName, a.Content, ContentType.Parse(a.ContentType));
        message.Body = builder.ToMessageBody();

        using var client = new SmtpClient();
        var security = !o.UseTls ? SecureSocketOptions.None : o.Port == 465 ? SecureSocketOptions.SslOnConnect : SecureSocketOptions.StartTls;
        await client.ConnectAsync(o.Host!, o.Port, security, cancellationToken);
        if (!string.IsNullOrEmpty(o.User))
            await client.AuthenticateAsync(o.User, protector.Unprotect(o.Password ?? ""), cancellationToken);
        await client.SendAsync(message, cancellationToken);
        await client.DisconnectAsync(quit: true, cancellationToken);
        LogSent(to.Count, o.Host!, attachments?.Count ?? 0);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "E-mail sent to {RecipientCount} recipient(s) through {SmtpHost} with {AttachmentCount} attachment(s)")]
    private partial void LogSent(int recipientCount, string smtpHost, int attachmentCount);
}

/// <summary>The weekly report by e-mail: the PDF attached, sent to ArcBridge:Reports:Schedule:Recipients.</summary>
public sealed partial class EmailReportDelivery(
    SmtpMailSender mail, IOptions<Reports.ReportScheduleOptions> schedule, IOptions<NotificationOptions> notifications, ILogger<EmailReportDelivery> logger)
    : Reports.IReportDelivery
{
    public async Task DeliverAsync(Reports.StoredReport report, byte[] pdf, CancellationToken cancellationToken)
    {
        var to = MailAddresses.Split(schedule.Value.Recipients);
        if (to.Count == 0 || !mail.Configured)
        {
            LogNotSent(report.Id, to.Count == 0 ? $"{Reports.ReportScheduleOptions.SectionName}:Recipients is empty" : $"{SmtpOptions.SectionName}:Host is not set");
            return;
        }
        var r = report.Report;
        var link = string.IsNullOrWhiteSpace(notifications.Value.DashboardUrl) ? null : $"{notifications.Value.DashboardUrl.TrimEnd('/')}/reports/{report.Id}";
        var body = string.Join("\n", new[]
        {
            $"Weekly readiness report {report.Id}, {r.GeneratedAt.ToUniversalTime():yyyy-MM-dd HH:mm} UTC: {Reports.ReportVerdicts.DisplayName(r.Verdict)}.",
            $"{r.Counts.Ready} ready, {r.Counts.NotReady} not ready, {r.Counts.Incomplete} incomplete of {r.Counts.Total} required checks.",
            "",
        }.Concat(r.Blockers.Select(b => "- " + b)).Concat(link is null ? [] : ["", $"Open: {link}"]).Concat(["", "The full report is attached as a PDF."])) + "\n";
        await mail.SendAsync(to, $"ArcBridge weekly readiness: {Reports.ReportVerdicts.DisplayName(r.Verdict)} ({r.GeneratedAt.ToUniversalTime():yyyy-MM-dd})", body,
            [new MailAttachment($"readiness-report-{report.Id}.pdf", "application/pdf", pdf)], cancellationToken);
        LogSent(report.Id, to.Count);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Scheduled readiness report {ReportId} was not e-mailed: {Why}")]
    private partial void LogNotSent(long reportId, string why);

    [LoggerMessage(Level = LogLevel.Information, Message = "Scheduled readiness report {ReportId} e-mailed to {RecipientCount} recipient(s)")]
    private partial void LogSent(long reportId, int recipientCount);
}
