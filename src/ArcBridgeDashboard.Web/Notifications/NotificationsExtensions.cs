using Microsoft.Extensions.Options;

namespace ArcBridgeDashboard.Web.Notifications;

public static class NotificationsExtensions
{
    /// <summary>
    /// Channels, rules, maintenance windows and the dispatcher; SMTP for notifications and the weekly report.
    /// Call before AddArcBridgeReports: the e-mail report delivery must be registered before its logging default (TryAdd).
    /// </summary>
    public static IHostApplicationBuilder AddArcBridgeNotifications(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<NotificationOptions>().BindConfiguration(NotificationOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<NotificationOptions>, NotificationOptionsValidator>();
        builder.Services.AddOptions<SmtpOptions>().BindConfiguration(SmtpOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<SmtpOptions>, SmtpOptionsValidator>();
        builder.Services.AddHttpClient(ChannelSender.HttpClientName, (sp, client) =>
        {
            // The dispatcher's own timeout names the setting; this one only backs it up.
            client.Timeout = sp.GetRequiredService<IOptions<NotificationOptions>>().Value.WebhookTimeout + TimeSpan.FromSeconds(5);
        })
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler { Proxy = sp.GetRequiredService<WebhookProxy>(), UseProxy = true })
            // The factory's request logging writes the full URL, and a Teams or Slack webhook URL is a credential.
            .RemoveAllLoggers();
        builder.Services.AddSingleton<WebhookProxy>();
        builder.Services.AddSingleton<SmtpMailSender>();
        builder.Services.AddSingleton<ChannelSender>();
        builder.Services.AddSingleton<Reports.IReportDelivery, EmailReportDelivery>();
        builder.Services.AddSingleton<NotificationDispatcher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<NotificationDispatcher>());
        builder.Services.AddScoped<NotificationAdmin>();
        return builder;
    }
}
