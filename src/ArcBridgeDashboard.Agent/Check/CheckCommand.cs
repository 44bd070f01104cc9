using System.CommandLine;
using Microsoft.Extensions.Configuration;

namespace ArcBridgeDashboard.Agent.Check;

/// <summary>The `check` verb: options, configuration layering, then <see cref="CheckRun"/>.</summary>
public static class CheckCommand
{
    /// <summary>In-process entry for tests and scripts: <paramref name="args"/> are what follows "check".</summary>
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, IConfiguration? configuration = null, CancellationToken cancellationToken = default)
        => AgentCli.RunAsync(["check", .. args], stdout, stderr, configuration, cancellationToken);

    public static Command Create(TextWriter stdout, TextWriter stderr, IConfiguration? configuration)
    {
        var role = Text("--role", "ManagementMachine or ApplianceVm: probe only what that machine needs (default: both).", "ROLE");
        var region = Text("--region", "Azure region used to expand wildcards (default eastus).", "REGION");
        var cloud = Text("--cloud", "AzureCloud (default) or AzureGovernment: which cloud's endpoints to check.", "CLOUD");
        var proxy = Text("--proxy", "Explicit HTTP proxy URL, e.g. http://user:pass@proxy.corp:3128.", "URL");
        var proxyUser = Text("--proxy-user", "Proxy basic-auth user (or user:pass in --proxy).", "USER");
        var proxyPassword = Text("--proxy-password", "Proxy basic-auth password.", "PASSWORD");
        var noProxy = Text("--no-proxy", "Comma-separated Arc noProxy list: hosts, .domains, IPs, CIDR ranges; no '*'.", "LIST");
        var dnsServer = Many("--dns-server", "DNS server to ask (repeatable); default: the system resolvers.", "IP[:PORT]");
        var trustCa = Many("--trust-ca", "Extra trusted root for private PKI, PEM or DER (repeatable).", "FILE");
        var expectedRoot = Many("--expected-root", "Root Microsoft endpoints may chain to, added to the shipped list (repeatable).", "FILE");
        var wildcard = Many("--wildcard", "Concrete host(s) for a wildcard, e.g. *.blob.core.windows.net=acct.blob.core.windows.net (repeatable).", "PATTERN=HOST");
        var timeout = Text("--timeout", "Per-phase timeout in seconds (default 5).", "SECONDS");
        var format = Text("--format", "table (default), json or markdown.", "FORMAT");
        var catalog = Text("--catalog", "Check against this allowlist markdown instead of the built-in one.", "FILE");
        var applianceVmIp = Many("--appliance-vm-ip", "Appliance VM IP the management machine must reach on 22/6443 (repeatable).", "IP");
        var controlPlaneIp = Text("--control-plane-ip", "Control-plane IP the management machine must reach on 22/6443.", "IP");
        var privateCloud = Text("--private-cloud-address", "Private cloud control plane (e.g. vCenter) reached directly on 443.", "HOST");
        var gateway = Text("--gateway", "Arc gateway URL (https://<prefix>.gw.arc.azure.com): endpoints it covers are probed through it.", "URL");
        var blobRegistry = Text("--blob-registry", "Registry whose blob redirect reveals the *.blob.core.windows.net host, or 'off'.", "URL");
        var revocationDefaults = Text("--revocation-defaults",
            "on (default) or off: probe the default Microsoft/DigiCert CRL and OCSP servers on port 80; those the chains name are probed either way.", "on|off");
        var saveInspectionRoot = Text("--save-inspection-root",
            "When TLS inspection is seen, write the intercepting root here as one PEM certificate (for Arc's proxy certificate, --proxy-cert).", "FILE");

        var command = new Command("check", "Probe every endpoint Arc resource bridge needs from this machine and explain each failure.")
        {
            role, region, cloud, proxy, proxyUser, proxyPassword, noProxy, dnsServer, trustCa, expectedRoot, wildcard,
            timeout, format, catalog, applianceVmIp, controlPlaneIp, privateCloud, gateway, blobRegistry, saveInspectionRoot, revocationDefaults,
        };
        command.SetAction(async (parse, ct) =>
        {
            var options = LoadConfiguration(configuration);
            options.Role = parse.GetValue(role) ?? options.Role;
            options.Region = parse.GetValue(region) ?? options.Region;
            options.Cloud = parse.GetValue(cloud) ?? options.Cloud;
            options.Proxy = parse.GetValue(proxy) ?? options.Proxy;
            options.ProxyUser = parse.GetValue(proxyUser) ?? options.ProxyUser;
            options.ProxyPassword = parse.GetValue(proxyPassword) ?? options.ProxyPassword;
            options.NoProxy = parse.GetValue(noProxy) ?? options.NoProxy;
            options.DnsServers = Replace(parse.GetValue(dnsServer), options.DnsServers);
            options.TrustCa = Replace(parse.GetValue(trustCa), options.TrustCa);
            options.ExpectedRoots = Replace(parse.GetValue(expectedRoot), options.ExpectedRoots);
            options.Wildcards = Replace(parse.GetValue(wildcard), options.Wildcards);
            options.Timeout = parse.GetValue(timeout) ?? options.Timeout;
            options.Format = parse.GetValue(format) ?? options.Format;
            options.Catalog = parse.GetValue(catalog) ?? options.Catalog;
            options.ApplianceVmIps = Replace(parse.GetValue(applianceVmIp), options.ApplianceVmIps);
            options.ControlPlaneIp = parse.GetValue(controlPlaneIp) ?? options.ControlPlaneIp;
            options.PrivateCloudAddress = parse.GetValue(privateCloud) ?? options.PrivateCloudAddress;
            options.Gateway = parse.GetValue(gateway) ?? options.Gateway;
            options.BlobRegistry = parse.GetValue(blobRegistry) ?? options.BlobRegistry;
            options.SaveInspectionRoot = parse.GetValue(saveInspectionRoot) ?? options.SaveInspectionRoot;
            options.RevocationDefaults = parse.GetValue(revocationDefaults) ?? options.RevocationDefaults;

            var plan = CheckSettingsBuilder.Build(options);
            return await new CheckRun(plan, stdout, stderr).ExecuteAsync(ct);
        });
        return command;
    }

    private static CheckOptions LoadConfiguration(IConfiguration? configuration)
    {
        var options = new CheckOptions();
        AgentConfiguration.Bind(AgentConfiguration.Load(configuration), CheckOptions.Section, section => section.Bind(options));
        return options;
    }

    private static List<string> Replace(string[]? fromCommandLine, List<string> configured) => AgentConfiguration.Replace(fromCommandLine, configured);

    private static Option<string> Text(string name, string description, string helpName)
        => new(name) { Description = description, HelpName = helpName };

    private static Option<string[]> Many(string name, string description, string helpName)
        => new(name) { Description = description, HelpName = helpName, Arity = ArgumentArity.OneOrMore, AllowMultipleArgumentsPerToken = false };
}
