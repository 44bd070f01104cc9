using System.Net;
using ArcBridgeDashboard.Web.Accounts;
using ArcBridgeDashboard.Web.Tests.Support;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace ArcBridgeDashboard.Web.Tests.Accounts;

/// <summary>
/// Every route the app maps, read from its EndpointDataSource (so a new page or endpoint is covered without editing
/// this test): signed out it is a sign-in redirect (pages) or a 401 (API), a Viewer gets 403 or the access-denied
/// page on Operator/Admin routes, and the only open routes are the listed exceptions.
/// </summary>
/// <remarks>On both providers (<see cref="OnSqlite"/>, <see cref="OnPostgreSql"/>), each in its shared default app.</remarks>
public abstract class AccessTests(DefaultAppFactory app)
{
    [Collection(DefaultAppCollection.Name)]
    public sealed class OnSqlite(DefaultAppFactory app) : AccessTests(app);

    [Collection(PostgreSqlDefaultAppCollection.Name)]
    public sealed class OnPostgreSql(PostgreSqlDefaultAppFactory app) : AccessTests(app);

    /// <summary>Routes anyone may open. Anything else marked anonymous fails the test.</summary>
    private static readonly string[] PublicRoutes =
    [
        "/healthz", "/signin", "/setup", "/access-denied", AccountEndpoints.SignInPostPath, AccountEndpoints.SetupPostPath,
        // The agent API has its own scheme: enrolment is by one-time token, the rest needs the agent's credential.
        Probes.Contracts.AgentApi.EnrollPath,
        // The handler itself lets in users, API keys and AllowedNetworks and answers 401 to anyone else (tested below).
        Web.Api.ApiExtensions.MetricsPath,
    ];

    private sealed record Route(string Pattern, string Method, string Url, RouteEndpoint Endpoint)
    {
        public IReadOnlyList<string> Policies => [.. Endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).OfType<string>()];
        public bool Anonymous => Endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;
        public bool IsStaticFile => Method == "GET" && Pattern.Split('/')[^1].Contains('.', StringComparison.Ordinal) && Pattern != Web.Api.ApiExtensions.OpenApiPath.TrimStart('/');
    }

    private IReadOnlyList<Route> Routes()
    {
        app.CreateAnonymousClient().Dispose(); // starts the app
        var routes = new List<Route>();
        foreach (var endpoint in app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var pattern = endpoint.RoutePattern.RawText ?? "";
            var method = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods.FirstOrDefault() ?? "GET";
            routes.Add(new Route(pattern.TrimStart('/'), method, Sample(pattern), endpoint));
        }
        return routes;
    }

    /// <summary>A URL for a pattern: each parameter gets a value of its constraint's type.</summary>
    private static string Sample(string pattern)
    {
        var url = System.Text.RegularExpressions.Regex.Replace(pattern.TrimStart('/'), "\\{([^}:]+)(:([^}]+))?\\}", m => m.Groups[3].Value switch
        {
            "int" or "long" => "1",
            "guid" => Guid.Empty.ToString(),
            _ when m.Groups[1].Value.StartsWith('*') => "x",
            _ when m.Groups[1].Value == "format" => "csv",
            _ => "x",
        });
        return "/" + url;
    }

    private static HttpRequestMessage Request(Route route) => new(new HttpMethod(route.Method), route.Url);

    [Fact]
    public async Task EveryRoute_SignedOut_IsSignInRedirectOr401_ExceptTheListedPublicOnes()
    {
        var routes = Routes();
        Assert.Contains(routes, r => r.Url == "/settings");
        Assert.Contains(routes, r => r.Url == "/api/v1/status");
        using var anonymous = app.CreateAnonymousClient();
        var failures = new List<string>();
        foreach (var route in routes.Where(r => !r.IsStaticFile))
        {
            if (route.Anonymous)
            {
                if (!PublicRoutes.Contains(route.Url))
                    failures.Add($"{route.Method} {route.Url} is open to anyone but not a listed exception");
                continue;
            }
            using var response = await anonymous.SendAsync(Request(route));
            var status = (int)response.StatusCode;
            var location = response.Headers.Location?.ToString() ?? "";
            var programmatic = route.Url.StartsWith("/api/v1", StringComparison.Ordinal) || route.Url.StartsWith("/openapi", StringComparison.Ordinal)
                               || route.Url.StartsWith("/api/agents", StringComparison.Ordinal) || route.Url.StartsWith("/hubs/", StringComparison.Ordinal);
            var ok = programmatic
                ? status == 401
                : status == 401 || (status == 302 && location.Contains("/signin?returnUrl=", StringComparison.Ordinal));
            if (!ok)
                failures.Add($"{route.Method} {route.Url}: {status} {location}");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task OperatorAndAdminRoutes_Viewer_Gets403OrAccessDenied_AndReadRoutesOpen()
    {
        var routes = Routes().Where(r => !r.IsStaticFile && !r.Anonymous).ToList();
        var restricted = routes.Where(r => r.Policies.Any(p => p is Policies.CanOperate or Policies.CanAdminister)).ToList();
        // The Admin pages at least; a new restricted route joins this list by itself.
        foreach (var page in new[] { "/settings", "/users", "/api-keys", "/audit" })
            Assert.Contains(restricted, r => r.Url == page);
        using var viewer = await app.CreateClientAsAsync(DashboardRoles.Viewer);
        var failures = new List<string>();
        foreach (var route in restricted)
        {
            using var response = await viewer.SendAsync(Request(route));
            var location = response.Headers.Location?.ToString() ?? "";
            if (response.StatusCode != HttpStatusCode.Forbidden && !(response.StatusCode == HttpStatusCode.Redirect && location.Contains("/access-denied", StringComparison.Ordinal)))
                failures.Add($"{route.Method} {route.Url}: {(int)response.StatusCode} {location}");
        }
        // Read routes (pages, REST, downloads) open for a Viewer: nothing there answers "not allowed".
        foreach (var route in routes.Where(r => r.Policies.Contains(Policies.CanRead) && r.Method == "GET"))
        {
            using var response = await viewer.SendAsync(Request(route));
            var location = response.Headers.Location?.ToString() ?? "";
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden || location.Contains("/signin", StringComparison.Ordinal) || location.Contains("/access-denied", StringComparison.Ordinal))
                failures.Add($"Viewer refused on read route {route.Url}: {(int)response.StatusCode} {location}");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task AdminPages_Admin_Open()
    {
        using var admin = app.CreateClient();
        foreach (var page in new[] { "/settings", "/users", "/api-keys", "/audit", "/" })
        {
            using var response = await admin.GetAsync(page);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.DoesNotContain("/signin", response.RequestMessage!.RequestUri!.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Metrics_SignedOut401_SignedInOrApiKey200()
    {
        using var anonymous = app.CreateAnonymousClient();
        using var refused = await anonymous.GetAsync(Web.Api.ApiExtensions.MetricsPath);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("API key", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var viewer = await app.CreateClientAsAsync(DashboardRoles.Viewer);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync(Web.Api.ApiExtensions.MetricsPath)).StatusCode);
    }
}
