using System.Net;
using System.Net.Sockets;
using System.Text;
using ArcBridgeDashboard.Probes.Catalog;

namespace ArcBridgeDashboard.Probes.Tests.Catalog;

public sealed class BlobEndpointDiscoveryTests
{
    private const string IndexDigest = "sha256:1111111111111111111111111111111111111111111111111111111111111111";
    private const string ConfigDigest = "sha256:2222222222222222222222222222222222222222222222222222222222222222";

    [Fact]
    public async Task DiscoverAsync_RegistryRedirectsBlobPull_ReturnsLocationHost()
    {
        await using var registry = LoopbackRegistry.Start(blobLocation: "https://ecpacrstore.blob.core.windows.net/container/blob?sig=x");
        using var handler = BlobEndpointDiscovery.CreateHandler(proxy: null);

        var result = await new BlobEndpointDiscovery(handler, registry.BaseUri, TimeSpan.FromSeconds(5)).DiscoverAsync();

        Assert.True(result.Found, result.Detail);
        Assert.Equal("ecpacrstore.blob.core.windows.net", result.Host);
        Assert.Contains($"/v2/{BlobEndpointDiscovery.DefaultRepository}/blobs/{ConfigDigest}", registry.Requests);
    }

    [Fact]
    public async Task DiscoverAsync_RedirectToOtherHost_IsNotFound()
    {
        await using var registry = LoopbackRegistry.Start(blobLocation: "https://westeurope.data.mcr.microsoft.com/x");
        using var handler = BlobEndpointDiscovery.CreateHandler(proxy: null);

        var result = await new BlobEndpointDiscovery(handler, registry.BaseUri, TimeSpan.FromSeconds(5)).DiscoverAsync();

        Assert.False(result.Found);
        Assert.Contains("not a *.blob.core.windows.net host", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DiscoverAsync_NothingListening_IsNotFoundWithReason()
    {
        var port = LoopbackRegistry.FreePort();
        using var handler = BlobEndpointDiscovery.CreateHandler(proxy: null);

        var result = await new BlobEndpointDiscovery(handler, new Uri($"http://127.0.0.1:{port}"), TimeSpan.FromSeconds(5)).DiscoverAsync();

        Assert.False(result.Found);
        Assert.StartsWith("could not follow a blob pull", result.Detail, StringComparison.Ordinal);
    }

    /// <summary>A real HTTP server on loopback speaking just enough of the registry API: index → manifest → 307 for the blob.</summary>
    private sealed class LoopbackRegistry : IAsyncDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly Task _loop;
        private readonly string _blobLocation;

        private LoopbackRegistry(string blobLocation)
        {
            _blobLocation = blobLocation;
            var port = FreePort();
            BaseUri = new Uri($"http://127.0.0.1:{port}");
            _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            _listener.Start();
            _loop = Task.Run(ServeAsync);
        }

        public Uri BaseUri { get; }
        public List<string> Requests { get; } = [];

        public static LoopbackRegistry Start(string blobLocation) => new(blobLocation);

        public static int FreePort()
        {
            using var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            return ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        private async Task ServeAsync()
        {
            for (var i = 0; i < 10 && _listener.IsListening; i++)
            {
                HttpListenerContext context;
                try { context = await _listener.GetContextAsync(); }
                catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException) { return; }
                var path = context.Request.Url!.AbsolutePath;
                lock (Requests) Requests.Add(path);
                var repo = $"/v2/{BlobEndpointDiscovery.DefaultRepository}";
                if (path == $"{repo}/manifests/{BlobEndpointDiscovery.DefaultTag}")
                    Write(context, 200, $$$"""{"schemaVersion":2,"manifests":[{"digest":"{{{IndexDigest}}}","platform":{"os":"linux"}}]}""");
                else if (path == $"{repo}/manifests/{IndexDigest}")
                    Write(context, 200, $$$"""{"schemaVersion":2,"config":{"digest":"{{{ConfigDigest}}}"},"layers":[]}""");
                else if (path == $"{repo}/blobs/{ConfigDigest}")
                {
                    context.Response.StatusCode = 307;
                    context.Response.RedirectLocation = _blobLocation;
                    context.Response.Close();
                }
                else
                    Write(context, 404, "{}");
            }
        }

        private static void Write(HttpListenerContext context, int status, string json)
        {
            var bytes = Encoding.UTF8.GetBytes(json);
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/vnd.oci.image.index.v1+json";
            context.Response.OutputStream.Write(bytes);
            context.Response.Close();
        }

        public async ValueTask DisposeAsync()
        {
            _listener.Stop();
            _listener.Close();
            await _loop.WaitAsync(TimeSpan.FromSeconds(5));
        }
    }
}
