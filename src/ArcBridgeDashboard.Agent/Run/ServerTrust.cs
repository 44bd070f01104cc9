using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ArcBridgeDashboard.Agent.Run;

/// <summary>
/// How the agent trusts the dashboard's HTTPS certificate: the system store, or only the roots given with
/// --server-ca (a corporate PKI the agent machine does not trust yet). Used by every connection to the dashboard.
/// </summary>
public sealed class ServerTrust(X509Certificate2Collection? roots)
{
    public static ServerTrust Load(string? path)
    {
        if (string.IsNullOrWhiteSpace(path))
            return new ServerTrust(null);
        try
        {
            var roots = new X509Certificate2Collection();
            roots.ImportFromPemFile(path);
            return roots.Count > 0 ? new ServerTrust(roots) : throw new UsageException($"--server-ca: '{path}' holds no PEM certificate");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new UsageException($"--server-ca: cannot read '{path}': {ex.Message.ReplaceLineEndings(" ")}");
        }
    }

    public bool IsCustom => roots is not null;

    public HttpMessageHandler CreateHandler()
    {
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        if (roots is not null)
            handler.SslOptions.RemoteCertificateValidationCallback = Validate;
        return handler;
    }

    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (roots is null)
            return errors == SslPolicyErrors.None;
        if (certificate is null || (errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0)
            return false;
        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(roots);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
            custom.ChainPolicy.ExtraStore.AddRange(chain.ChainPolicy.ExtraStore);
        using var leaf = new X509Certificate2(certificate);
        return custom.Build(leaf);
    }
}
