using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace ArcBridgeDashboard.Probes.Catalog;

/// <summary>The storage host a registry redirected a blob pull to, or why none was found.</summary>
public sealed record BlobDiscoveryResult(string? Host, string Detail)
{
    public bool Found => Host is not null;
}

/// <summary>
/// Finds the concrete *.blob.core.windows.net host behind a container registry: registries answer a blob GET with a
/// 307/302 to their storage account. It reads the image manifest (following an index to its first manifest), asks for
/// the config blob without following redirects and takes the Location host. Bounded: at most 3 requests.
/// </summary>
public sealed class BlobEndpointDiscovery(HttpMessageHandler handler, Uri registry, TimeSpan timeout)
{
    public const string Pattern = "*.blob.core.windows.net";
    public static readonly Uri DefaultRegistry = new("https://mcr.microsoft.com");
    public const string DefaultRepository = "azurelinux/base/core";
    public const string DefaultTag = "3.0";

    private static readonly string[] ManifestTypes =
    [
        "application/vnd.oci.image.index.v1+json",
        "application/vnd.docker.distribution.manifest.list.v2+json",
        "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.docker.distribution.manifest.v2+json",
    ];

    public string Repository { get; init; } = DefaultRepository;
    public string Tag { get; init; } = DefaultTag;

    public async Task<BlobDiscoveryResult> DiscoverAsync(CancellationToken cancellationToken = default)
    {
        // The handler belongs to the caller (it carries the proxy); the client must not dispose it.
        using var client = new HttpClient(handler, disposeHandler: false) { Timeout = timeout };
        try
        {
            var manifest = await GetManifestAsync(client, Tag, cancellationToken);
            if (manifest.TryGetProperty("manifests", out var list) && list.GetArrayLength() > 0)
                manifest = await GetManifestAsync(client, list[0].GetProperty("digest").GetString()!, cancellationToken);
            if (!manifest.TryGetProperty("config", out var config) || config.GetProperty("digest").GetString() is not { } digest)
                return new BlobDiscoveryResult(null, "the manifest names no config blob");

            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(registry, $"/v2/{Repository}/blobs/{digest}"));
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if ((int)response.StatusCode is not (301 or 302 or 303 or 307 or 308) || response.Headers.Location is not { } location)
                return new BlobDiscoveryResult(null, $"the blob request answered {(int)response.StatusCode}, not a redirect");
            var host = (location.IsAbsoluteUri ? location : new Uri(registry, location)).Host.ToLowerInvariant();
            return host.EndsWith(".blob.core.windows.net", StringComparison.Ordinal)
                ? new BlobDiscoveryResult(host, $"{registry.Host} redirected the blob pull to {host}")
                : new BlobDiscoveryResult(null, $"{registry.Host} redirected the blob pull to {host}, which is not a *.blob.core.windows.net host");
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException or InvalidOperationException or KeyNotFoundException)
        {
            return new BlobDiscoveryResult(null, $"could not follow a blob pull on {registry.Host}: {ex.Message}");
        }
    }

    /// <summary>A handler that never follows redirects (the Location is the answer), optionally through a proxy.</summary>
    public static SocketsHttpHandler CreateHandler(IWebProxy? proxy) => new()
    {
        AllowAutoRedirect = false,
        Proxy = proxy,
        UseProxy = proxy is not null,
    };

    private async Task<JsonElement> GetManifestAsync(HttpClient client, string reference, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(registry, $"/v2/{Repository}/manifests/{reference}"));
        foreach (var type in ManifestTypes)
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
        using var response = await client.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var document = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken);
        return document.RootElement.Clone();
    }
}
