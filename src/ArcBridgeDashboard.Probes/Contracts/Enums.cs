using System.Text.Json.Serialization;

namespace ArcBridgeDashboard.Probes.Contracts;

/// <summary>Where traffic starts. An endpoint may be needed from several sources.</summary>
[Flags]
[JsonConverter(typeof(JsonStringEnumConverter<Sources>))]
public enum Sources
{
    None = 0,
    ManagementMachine = 1,
    ApplianceVm = 2,
}

/// <summary>
/// The Azure cloud an endpoint belongs to: the allowlist publishes one table per cloud (tabs "Azure Cloud" and
/// "Azure Government"). A sweep probes the endpoints of one cloud, chosen by the Cloud setting.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<Cloud>))]
public enum Cloud
{
    AzureCloud,
    AzureGovernment,
}

[JsonConverter(typeof(JsonStringEnumConverter<TransportProtocol>))]
public enum TransportProtocol
{
    Tcp,
    Udp,
}

/// <summary>How a target is probed.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ProbeKind>))]
public enum ProbeKind
{
    /// <summary>DNS, TCP (or proxy CONNECT), TLS and an HTTP request.</summary>
    Https,
    /// <summary>An SNTP query over UDP.</summary>
    Ntp,
    /// <summary>A plain TCP connect that never goes through the proxy (management machine to appliance VM on 22/6443).</summary>
    TcpDirect,
    /// <summary>A DNS query to a configured DNS server on port 53.</summary>
    Dns,
    /// <summary>A plain HTTP GET of a CRL or OCSP URL on port 80 (through the proxy unless noProxy says direct).</summary>
    Revocation,
}

[JsonConverter(typeof(JsonStringEnumConverter<Verdict>))]
public enum Verdict
{
    Pass,
    Warn,
    Fail,
}

/// <summary>The phase a probe reached when it ended. <see cref="None"/> when it never started (needs a hostname) or passed.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Phase>))]
public enum Phase
{
    None,
    Dns,
    Tcp,
    Proxy,
    Tls,
    Http,
    Ntp,
}

/// <summary>Where an endpoint comes from: the published allowlist table, or a requirement stated elsewhere in the Arc docs.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<EndpointOrigin>))]
public enum EndpointOrigin
{
    Allowlist,
    ExtraRequirement,
}
