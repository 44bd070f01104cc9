using System.Net;
using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Probes.Proxy;

namespace ArcBridgeDashboard.Web.Notifications;

/// <summary>
/// The proxy webhooks go through: the one on the Settings page, with its user, password and noProxy list, else the
/// process's default (HTTPS_PROXY, NO_PROXY). A dashboard behind the corporate proxy reaches Teams and Slack the way
/// its own probes reach Azure.
/// </summary>
public sealed class WebhookProxy : IWebProxy, ICredentials
{
    private sealed record Route(Uri? Proxy, ICredentials? Credentials, NoProxyRules NoProxy);

    private volatile Route _route = new(null, null, NoProxyRules.Empty);

    /// <summary>Takes the settings in force now; called before each delivery, so a change on Settings applies to the next one.</summary>
    public void Use(ProbeSettings settings)
    {
        NoProxyRules noProxy;
        try
        {
            noProxy = NoProxyRules.Parse(settings.NoProxy);
        }
        catch (FormatException)
        {
            noProxy = NoProxyRules.Empty; // Settings refuses such a list on save; an older row must not stop deliveries
        }
        // A user without a password is not sent at all: "user:" would tell any proxy the account name for nothing.
        var credentials = settings.Proxy is not null && !string.IsNullOrEmpty(settings.ProxyUser) && !string.IsNullOrEmpty(settings.ProxyPassword)
            ? new NetworkCredential(settings.ProxyUser, settings.ProxyPassword)
            : null;
        _route = new Route(settings.Proxy, credentials, noProxy);
    }

    /// <summary>
    /// Always this object: SocketsHttpHandler keeps the proxy's Credentials from its first request, so a fixed
    /// NetworkCredential would outlive a change on Settings (and follow the proxy to a new host).
    /// </summary>
    public ICredentials? Credentials
    {
        get => this;
        set => throw new NotSupportedException("Webhook proxy credentials come from Settings.");
    }

    /// <summary>The Settings user and password, and only for the proxy they were entered for.</summary>
    public NetworkCredential? GetCredential(Uri uri, string authType)
    {
        var route = _route;
        if (route.Proxy is null)
            return HttpClient.DefaultProxy.Credentials?.GetCredential(uri, authType);
        return Uri.Compare(uri, route.Proxy, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0
            ? route.Credentials?.GetCredential(uri, authType)
            : null;
    }

    public Uri? GetProxy(Uri destination) => IsBypassed(destination) ? null : _route.Proxy ?? HttpClient.DefaultProxy.GetProxy(destination);

    public bool IsBypassed(Uri host)
    {
        var route = _route;
        return route.Proxy is null ? HttpClient.DefaultProxy.IsBypassed(host) : route.NoProxy.Bypasses(host.Host);
    }
}
