using System.Net;
using System.Text.Json;
using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Web.Accounts;
using ArcBridgeDashboard.Web.Agents;
using ArcBridgeDashboard.Web.Tests.Agents;
using ArcBridgeDashboard.Web.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ArcBridgeDashboard.Web.Tests.Hardening;

/// <summary>
/// Behind a reverse proxy: the per-address limits count the client the proxy names only when the request comes from a
/// proxy in ArcBridge:ForwardedHeaders:KnownProxies; anyone else's X-Forwarded-For is ignored. The caller's socket
/// address is set on the request the way Kestrel would (TestServer has no socket); addresses are documentation ranges.
/// </summary>
// SQLite only: the limits are counted in memory; the one stored value (an agent's address, text) is stored alike on both.
public sealed class ForwardedHeadersTests
{
    private static readonly IPAddress Proxy = IPAddress.Parse("192.0.2.10");
    private static readonly IPAddress Outsider = IPAddress.Parse("198.51.100.66");

    private static AgentsAppFactory App(string? knownProxies) => new(new Dictionary<string, string?>
    {
        ["ArcBridge:RateLimits:EnrollPermitLimit"] = "3",
        ["ArcBridge:RateLimits:EnrollWindow"] = "00:10:00",
        ["ArcBridge:ForwardedHeaders:KnownProxies:0"] = knownProxies,
    });

    private static async Task<(HttpStatusCode Status, string Body)> EnrolAsync(AgentsAppFactory app, IPAddress from, string? forwardedFor, string token = "guess", string name = "guesser")
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new EnrollRequest { Token = token, Name = name, Role = Sources.ApplianceVm }, ProbeJson.Options);
        var context = await app.Server.SendAsync(c =>
        {
            c.Request.Method = "POST";
            c.Request.Path = AgentApi.EnrollPath;
            c.Request.ContentType = "application/json";
            c.Request.ContentLength = body.Length;
            c.Request.Body = new MemoryStream(body);
            c.Connection.RemoteIpAddress = from;
            if (forwardedFor is not null)
                c.Request.Headers["X-Forwarded-For"] = forwardedFor;
        });
        using var reader = new StreamReader(context.Response.Body);
        return ((HttpStatusCode)context.Response.StatusCode, await reader.ReadToEndAsync());
    }

    [Fact]
    public async Task TrustedProxy_EachForwardedClientHasItsOwnBudget_AndIsTheAddressRecorded()
    {
        using var app = App("192.0.2.0/28");
        app.CreateAnonymousClient().Dispose();

        var first = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
            first.Add((await EnrolAsync(app, Proxy, "203.0.113.1")).Status);
        // A client further left in the header is what that client wrote itself: only the hop the proxy added counts.
        var second = await EnrolAsync(app, Proxy, "10.6.6.6, 203.0.113.2", token: await app.CreateTokenAsync(), name: "behind-proxy");

        Assert.All(first.Take(3), s => Assert.Equal(HttpStatusCode.Unauthorized, s)); // unknown token, within the budget
        Assert.Equal(HttpStatusCode.TooManyRequests, first[3]);
        Assert.Equal(HttpStatusCode.OK, second.Status); // another client behind the same proxy still enrols
        await using var db = app.CreateDbContext();
        Assert.Equal("203.0.113.2", (await db.Agents.SingleAsync(a => a.Name == "behind-proxy")).Address);
        Assert.Contains(await db.AuditEntries.ToListAsync(), a => a.Action == AuditActions.AgentEnrolled && a.Address == "203.0.113.2");
    }

    [Theory]
    [InlineData(null)] // the default: no proxy trusted
    [InlineData("192.0.2.0/28")] // a proxy is trusted, but this request does not come from it
    public async Task SpoofedForwardedFor_FromAnUntrustedAddress_IsIgnored(string? knownProxies)
    {
        using var app = App(knownProxies);
        app.CreateAnonymousClient().Dispose();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
            statuses.Add((await EnrolAsync(app, Outsider, $"203.0.113.{10 + i}")).Status); // a new "client" each time
        var enrolled = await EnrolAsync(app, IPAddress.Loopback, "203.0.113.99", token: await app.CreateTokenAsync(), name: "direct");

        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[3]);
        Assert.Contains("try again in", (await EnrolAsync(app, Outsider, "203.0.113.50")).Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, enrolled.Status);
        await using var db = app.CreateDbContext();
        Assert.Equal("127.0.0.1", (await db.Agents.SingleAsync(a => a.Name == "direct")).Address);
    }

    [Fact]
    public async Task TrustedProxy_SignInLimit_CountsTheForwardedClient()
    {
        using var app = new ArcBridgeAppFactory(new Dictionary<string, string?>
        {
            ["ArcBridge:BuiltInAgentEnabled"] = "false",
            ["ArcBridge:Auth:SignInPermitLimit"] = "2",
            ["ArcBridge:Auth:SignInWindow"] = "00:10:00",
            ["ArcBridge:ForwardedHeaders:KnownProxies:0"] = Proxy.ToString(),
        });
        app.CreateAnonymousClient().Dispose();

        async Task<HttpStatusCode> SignInAsync(string client)
        {
            var context = await app.Server.SendAsync(c =>
            {
                c.Request.Method = "POST";
                c.Request.Path = AccountEndpoints.SignInPostPath;
                c.Connection.RemoteIpAddress = Proxy;
                c.Request.Headers["X-Forwarded-For"] = client;
            });
            return (HttpStatusCode)context.Response.StatusCode;
        }

        var one = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
            one.Add(await SignInAsync("203.0.113.7"));
        var other = await SignInAsync("203.0.113.8");

        Assert.Equal(HttpStatusCode.TooManyRequests, one[2]);
        Assert.NotEqual(HttpStatusCode.TooManyRequests, one[0]);
        Assert.NotEqual(HttpStatusCode.TooManyRequests, other);
    }
}
