using System.Security.Cryptography;
using System.Text;
using ArcBridgeDashboard.Web.Configuration;
using ArcBridgeDashboard.Web.Data;
using ArcBridgeDashboard.Web.Secrets;

namespace ArcBridgeDashboard.Web.Notifications;

/// <summary>Sends one message to one channel; throws with a message fit for the History tab when it fails.</summary>
public sealed class ChannelSender(IHttpClientFactory httpClients, SmtpMailSender mail, SecretProtector protector, WebhookProxy proxy, IServiceScopeFactory scopes)
{
    public const string HttpClientName = "notifications";
    public const string SignatureHeader = "X-ArcBridge-Signature";

    public async Task SendAsync(NotificationChannel channel, NotificationMessage message, CancellationToken cancellationToken)
    {
        if (channel.Kind == NotificationChannelKind.Email)
        {
            await mail.SendAsync(MailAddresses.Split([channel.Recipients]), message.Title, message.PlainText(), null, cancellationToken);
            return;
        }
        var url = protector.Unprotect(channel.ProtectedUrl ?? throw new InvalidOperationException("The channel has no webhook URL."));
        var body = WebhookPayloads.For(channel.Kind, message);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (channel.Kind == NotificationChannelKind.Webhook && protector.TryUnprotect(channel.ProtectedSecret) is { Length: > 0 } secret)
            request.Headers.Add(SignatureHeader, Sign(secret, body));
        await using (var scope = scopes.CreateAsyncScope())
            proxy.Use(await scope.ServiceProvider.GetRequiredService<DashboardSettingsStore>().GetProbeSettingsAsync(cancellationToken));
        var via = proxy.GetProxy(request.RequestUri!);
        HttpResponseMessage response;
        try
        {
            response = await httpClients.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e) when (via is not null)
        {
            // Without the proxy's name "connection reset" reads as the receiver's fault; the innermost cause says most.
            throw new HttpRequestException($"Through the proxy {via.GetLeftPart(UriPartial.Authority)} (Settings): {e.GetBaseException().Message}", e);
        }
        using var _ = response;
        if (response.StatusCode == System.Net.HttpStatusCode.ProxyAuthenticationRequired && via is not null)
            throw new HttpRequestException($"The proxy {via.GetLeftPart(UriPartial.Authority)} refused the proxy user and password on Settings (407 Proxy Authentication Required).");
        if (!response.IsSuccessStatusCode)
        {
            // The receiver's own words help (Teams: "Webhook message delivery failed"); capped, and never the URL.
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new HttpRequestException($"The webhook answered {(int)response.StatusCode} {response.ReasonPhrase}{(text.Length > 0 ? ": " + (text.Length > 200 ? text[..200] + "…" : text) : "")}");
        }
    }

    /// <summary>"sha256=" + hex HMAC-SHA256 of the body with the channel's secret: the receiver recomputes it to trust the body.</summary>
    public static string Sign(string secret, string body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));

    /// <summary>Who a delivery goes to, safe to show and log: addresses, or the webhook's host only.</summary>
    public static string RecipientOf(NotificationChannel channel) => channel.Kind == NotificationChannelKind.Email
        ? string.Join(", ", MailAddresses.Split([channel.Recipients]))
        : $"{channel.Kind} webhook at {channel.UrlHost}";
}
