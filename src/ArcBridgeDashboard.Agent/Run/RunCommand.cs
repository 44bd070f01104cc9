using System.CommandLine;
using Microsoft.Extensions.Configuration;

namespace ArcBridgeDashboard.Agent.Run;

/// <summary>The `run` verb: a long-running remote agent that enrols, sweeps on its own schedule and pushes to the dashboard.</summary>
public static class RunCommand
{
    /// <summary>The enrolment token from the environment (a systemd EnvironmentFile), so it is never on the command line.</summary>
    public const string TokenEnvironmentVariable = "ARCBRIDGE_AGENT_TOKEN";

    public static Command Create(TextWriter stderr, IConfiguration? configuration = null)
    {
        var server = Text("--server", "Dashboard URL, e.g. https://dashboard.corp:5001.", "URL");
        var token = Text("--enroll-token", $"One-time enrolment token from the Agents page (first start only). Visible to other local users in the process list: prefer --enroll-token-file or {TokenEnvironmentVariable}.", "TOKEN");
        var tokenFile = Text("--enroll-token-file", "File whose first line is the one-time enrolment token (make it owner-only, 0600).", "FILE");
        var insecureHttp = new Option<bool>("--insecure-http") { Description = "Allow an http:// dashboard URL (lab on loopback only): token, credential and results travel in clear." };
        var name = Text("--name", "How this agent appears on the Agents page.", "NAME");
        var role = Text("--role", "ApplianceVm or ManagementMachine: which source this machine stands for.", "ROLE");
        var proxy = Text("--proxy", "This machine's HTTP proxy; overrides the dashboard's.", "URL");
        var dns = new Option<string[]>("--dns-server") { Description = "DNS server to ask (repeatable); overrides the dashboard's.", HelpName = "IP[:PORT]", Arity = ArgumentArity.OneOrMore, AllowMultipleArgumentsPerToken = false };
        var stateDir = Text("--state-dir", "Folder for the credential (owner-only), plan and outbox.", "DIR");
        var interval = Text("--interval", "Sweep interval in seconds; overrides the dashboard's.", "SECONDS");
        var noLive = new Option<bool>("--no-live") { Description = "Do not hold a live (SignalR) connection; poll for check-now instead." };
        var serverCa = Text("--server-ca", "PEM root(s) that issued the dashboard's HTTPS certificate (private PKI).", "FILE");
        var planRefresh = Text("--plan-refresh", "Seconds between plan checks, 1-60 (default 30).", "SECONDS");
        var trustCa = Many("--trust-ca", "Extra trusted root for private PKI, PEM or DER (repeatable); the dashboard's are added.", "FILE");
        var expectedRoot = Many("--expected-root", "Root Microsoft endpoints may chain to, added to the shipped list (repeatable); the dashboard's are added.", "FILE");
        var outboxMax = Text("--outbox-max-rows", "Unsent results kept at most; the oldest are dropped beyond (default 100000).", "N");

        var command = new Command("run", "Run as a remote agent of an ArcBridge dashboard (also as a systemd unit or Windows service).")
        {
            server, token, tokenFile, insecureHttp, name, role, proxy, dns, stateDir, interval, planRefresh, outboxMax, noLive, serverCa, trustCa, expectedRoot,
        };
        command.SetAction(async (parse, ct) =>
        {
            var configured = new RunConfigOptions();
            AgentConfiguration.Bind(AgentConfiguration.Load(configuration), RunConfigOptions.Section, section => section.Bind(configured));
            var options = RunOptionsParser.Parse(parse.GetValue(server), parse.GetValue(token), parse.GetValue(name), parse.GetValue(role),
                parse.GetValue(proxy), parse.GetValue(dns), parse.GetValue(stateDir), parse.GetValue(interval), parse.GetValue(outboxMax), parse.GetValue(noLive), parse.GetValue(serverCa),
                parse.GetValue(planRefresh), AgentConfiguration.Replace(parse.GetValue(trustCa), configured.TrustCa),
                AgentConfiguration.Replace(parse.GetValue(expectedRoot), configured.ExpectedRoots),
                parse.GetValue(insecureHttp), parse.GetValue(tokenFile), Environment.GetEnvironmentVariable(TokenEnvironmentVariable));
            return await RunHost.RunAsync(options, stderr, ct);
        });
        return command;
    }

    private static Option<string> Text(string name, string description, string helpName)
        => new(name) { Description = description, HelpName = helpName };

    private static Option<string[]> Many(string name, string description, string helpName)
        => new(name) { Description = description, HelpName = helpName, Arity = ArgumentArity.OneOrMore, AllowMultipleArgumentsPerToken = false };
}
