using ArcBridgeDashboard.Probes.Contracts;
using ArcBridgeDashboard.Web.Data;

namespace ArcBridgeDashboard.Web.Tests.Integration;

/// <summary>What the dashboard hands its agents for a stored target: the HTTP/2 POST and WebSocket markings come with it.</summary>
public sealed class TargetContractTests
{
    private static ProbeTarget Contract(string pattern, string host)
    {
        var endpoint = new MonitoredEndpoint
        {
            Key = $"{pattern}:443/tcp", Service = "svc", Port = 443, Protocol = TransportProtocol.Tcp, HostPattern = pattern,
        };
        var target = new Target { Key = $"{host}:443/tcp", Host = host, Port = 443, Protocol = TransportProtocol.Tcp, Kind = ProbeKind.Https };
        return target.ToContract(endpoint);
    }

    [Fact]
    public void ToContract_DataPlane_AsksForTheHttp2Post()
    {
        var target = Contract("*.dp.kubernetesconfiguration.azure.com", "westeurope.dp.kubernetesconfiguration.azure.com");

        Assert.True(target.PostOverHttp2);
        Assert.False(target.WebSocketUpgrade);
    }

    [Fact]
    public void ToContract_ServiceBus_AsksForTheWebSocketUpgrade()
    {
        var target = Contract("*.servicebus.windows.net", "contoso.servicebus.windows.net");

        Assert.True(target.WebSocketUpgrade);
        Assert.False(target.PostOverHttp2);
    }

    [Fact]
    public void ToContract_OtherHost_AsksForNeither()
    {
        var target = Contract("mcr.microsoft.com", "mcr.microsoft.com");

        Assert.False(target.PostOverHttp2);
        Assert.False(target.WebSocketUpgrade);
    }
}
