using System.Text.Json;
using ArcBridgeDashboard.Agent.Check.Reports;
using ArcBridgeDashboard.Agent.Run;
using ArcBridgeDashboard.Probes.Contracts;

namespace ArcBridgeDashboard.Agent.Tests;

/// <summary>
/// The agent writes JSON with compiled contracts (AgentJson, for the NativeAOT build); the dashboard and older agent
/// files use the reflection serializer with ProbeJson.Options. Both must produce the same bytes.
/// </summary>
public sealed class AgentJsonTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 29, 8, 30, 0, 123, TimeSpan.Zero);

    private static ProbeResult FullResult() => new()
    {
        Id = Guid.Parse("0b5d4572-c6ea-492e-8ed1-19156714cd8d"),
        EndpointKey = "*.blob.core.windows.net:443/tcp",
        TargetKey = "acct.blob.core.windows.net:443/tcp",
        Service = "Blob \"storage\" <é>",
        Host = "acct.blob.core.windows.net",
        Port = 443,
        Protocol = TransportProtocol.Tcp,
        Sources = Sources.ManagementMachine | Sources.ApplianceVm,
        Required = false,
        Verdict = Verdict.Fail,
        Phase = Phase.Tls,
        Reason = ReasonCode.TlsInspected,
        Message = "chain ends in 'Corp Root' → inspected",
        Remedy = "Exempt the host from TLS inspection.",
        StartedAt = At,
        TimingsMs = new Dictionary<string, double> { ["dns"] = 1.5, ["tcp"] = 0.25, ["total"] = 12 },
        Details = new ProbeDetails
        {
            Dns = new DnsDetails { Server = "10.0.0.53:53", ResponseCode = "NoError", Addresses = ["198.19.1.10"], CnameChain = ["a.b.", "c.d."] },
            ConnectedAddress = "198.18.0.1:3128",
            Proxy = new ProxyDetails { Proxy = "http://proxy:3128/", StatusCode = 200, StatusLine = "HTTP/1.1 200 OK", Server = "squid", Via = "1.1 p" },
            Tls = new TlsDetails
            {
                Protocol = "Tls13", Cipher = "TLS_AES_256_GCM_SHA384", Alpn = "h2", Inspected = true, InterceptingIssuer = "CN=Corp Root",
                Chain = [new CertificateSummary { Subject = "CN=leaf", Issuer = "CN=Corp Root", NotBefore = At, NotAfter = At.AddDays(90), Sha256 = "AB12" }],
            },
            Http = new HttpDetails { StatusCode = 404, Server = "nginx", Version = "2.0", Http2Offered = true },
            Ntp = new NtpDetails { Server = "time.windows.com", OffsetMs = -3.25, RoundTripMs = 20, Stratum = 2 },
        },
    };

    private static AgentPlan Plan() => new()
    {
        Version = "78c826f80e174269",
        AgentId = 4,
        Role = Sources.ApplianceVm,
        Proxy = "http://proxy:3128",
        ProxyUser = "u",
        ProxyPassword = "p@ss",
        NoProxy = [".corp", "10.0.0.0/8"],
        DnsServers = ["10.0.0.53"],
        Cloud = Cloud.AzureGovernment,
        TrustedRootsPem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----",
        ExpectedRootsPem = "-----BEGIN CERTIFICATE-----\nMIIC\n-----END CERTIFICATE-----",
        Targets =
        [
            new ProbeTarget
            {
                EndpointKey = "mcr.microsoft.com:443/tcp", Service = "MCR", HostPattern = "mcr.microsoft.com", Host = "mcr.microsoft.com",
                Port = 443, Protocol = TransportProtocol.Tcp, Kind = ProbeKind.Https, Sources = Sources.ApplianceVm, ExpansionNote = "as published",
            },
        ],
        EndpointIntervalSeconds = new Dictionary<string, int> { ["mcr.microsoft.com:443/tcp"] = 60 },
    };

    [Fact]
    public void WireContracts_CompiledAndReflectionSerializers_WriteTheSameBytes()
    {
        Same(FullResult(), AgentJson.Default.ProbeResult);
        Same(new ProbeResult
        {
            EndpointKey = "k", TargetKey = "k", Service = "s", Host = "h", Port = 1, Protocol = TransportProtocol.Udp, Sources = Sources.None,
            Verdict = Verdict.Pass, Phase = Phase.None, Reason = ReasonCode.Ok, Message = "m",
        }, AgentJson.Default.ProbeResult);
        Same(Plan(), AgentJson.Default.AgentPlan);
        Same(new ResultBatch { AgentId = 4, OutboxDepth = 9, Results = [FullResult()] }, AgentJson.Default.ResultBatch);
        Same(new BatchAck { Acked = [Guid.Empty], Rejected = [new RejectedResult(Guid.Empty, "bad")], ClockOffsetMs = 1.5 }, AgentJson.Default.BatchAck);
        Same(new AgentCommands { CheckNowSequence = 7 }, AgentJson.Default.AgentCommands);
        Same(new EnrollRequest { Token = "t", Name = "n", Role = Sources.ManagementMachine, Version = "1.0.0", Os = "Linux" }, AgentJson.Default.EnrollRequest);
        Same(new EnrollResponse { AgentId = 1, Name = "n", Credential = "abc" }, AgentJson.Default.EnrollResponse);
    }

    [Fact]
    public void StateFiles_KeepTheFormatEarlierAgentsWrote()
    {
        // credential.json and plan.json written by an agent before the compiled contracts must still load.
        Same(new AgentCredential { Server = "https://dash:8443/", AgentId = 3, Name = "vm", Credential = "abc_3_x" }, AgentJson.Default.AgentCredential);
        Same(new StoredPlan(Plan(), "\"78c8\""), AgentJson.Default.StoredPlan);
        var old = JsonSerializer.Serialize(new { Plan = Plan(), ETag = "\"78c8\"" }, ProbeJson.Options);
        Assert.Equal("\"78c8\"", JsonSerializer.Deserialize(old, AgentJson.Default.StoredPlan)!.ETag);
    }

    [Fact]
    public void ProbeResult_ReadBackFromTheOutbox_IsUnchanged()
    {
        var json = JsonSerializer.Serialize(FullResult(), ProbeJson.Options);
        var back = JsonSerializer.Deserialize(json, AgentJson.Default.ProbeResult)!;
        Assert.Equal(json, JsonSerializer.Serialize(back, ProbeJson.Options));
    }

    [Fact]
    public async Task JsonReport_IsTheDocumentEarlierAgentsPrinted()
    {
        var report = new CheckReport("2024-03-19", At, Sources.ApplianceVm, "eastus", [FullResult()]);
        using var output = new StringWriter();

        await new JsonReportWriter().WriteAsync(report, output);

        var earlier = new
        {
            catalogVersion = report.CatalogVersion, startedAt = report.StartedAt, role = report.Role, region = report.Region,
            summary = report.Summary, results = report.Results,
        };
        Assert.Equal(JsonSerializer.Serialize(earlier, new JsonSerializerOptions(ProbeJson.Options) { WriteIndented = true }) + Environment.NewLine, output.ToString());
    }

    [Fact]
    public void Heartbeat_HasTheHubArgumentShape()
    {
        // The SignalR JSON protocol camel-cases names, as it did for the anonymous object sent before.
        var hub = new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, TypeInfoResolver = AgentJson.Default };
        Assert.Equal("""{"agentTimeUnixMs":1764405000123,"outboxDepth":5}""", JsonSerializer.Serialize(new Heartbeat(1764405000123, 5), hub));
    }

    private static void Same<T>(T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> compiled)
        => Assert.Equal(JsonSerializer.Serialize(value, ProbeJson.Options), JsonSerializer.Serialize(value, compiled));
}
