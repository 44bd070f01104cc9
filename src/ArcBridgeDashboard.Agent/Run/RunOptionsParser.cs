using System.Globalization;
using System.Net;
using ArcBridgeDashboard.Probes.Contracts;

namespace ArcBridgeDashboard.Agent.Run;

/// <summary>Turns raw `run` arguments into <see cref="RunOptions"/>; each problem is a <see cref="UsageException"/> naming the option.</summary>
public static class RunOptionsParser
{
    public static RunOptions Parse(string? server, string? token, string? name, string? role, string? proxy, string[]? dnsServers,
        string? stateDir, string? interval, string? outboxMaxRows, bool noLive = false, string? serverCa = null, string? planRefresh = null,
        IReadOnlyList<string>? trustCa = null, IReadOnlyList<string>? expectedRoots = null,
        bool insecureHttp = false, string? tokenFile = null, string? tokenFromEnvironment = null)
    {
        if (string.IsNullOrWhiteSpace(server) || !Uri.TryCreate(server.Trim(), UriKind.Absolute, out var serverUri) || serverUri.Scheme is not ("http" or "https"))
            throw new UsageException($"--server: '{server}' is not the dashboard's URL (e.g. https://dashboard.corp:5001)");
        if (serverUri.Scheme == "http" && !insecureHttp)
            throw new UsageException($"--server: '{serverUri}' is plain http: the enrolment token, the agent's credential and its results would cross the network readable by anyone on the way. Use the dashboard's https:// URL, or add --insecure-http for a lab on loopback.");
        token = string.IsNullOrWhiteSpace(token) ? ReadTokenFile(tokenFile) ?? tokenFromEnvironment : token;
        if (string.IsNullOrWhiteSpace(name) || name.Trim().Length > 200)
            throw new UsageException("--name: required, at most 200 characters (how this agent appears on the Agents page)");
        return new RunOptions
        {
            Server = serverUri,
            EnrollToken = string.IsNullOrWhiteSpace(token) ? null : token.Trim(),
            Name = name.Trim(),
            Role = ParseRole(role),
            Proxy = ParseProxy(proxy),
            DnsServers = [.. (dnsServers ?? []).Select(ParseDnsServer)],
            StateDirectory = string.IsNullOrWhiteSpace(stateDir) ? RunOptions.DefaultStateDirectory() : Path.GetFullPath(stateDir),
            Interval = ParseInterval(interval),
            OutboxMaxRows = ParseMaxRows(outboxMaxRows),
            NoLive = noLive,
            ServerCa = string.IsNullOrWhiteSpace(serverCa) ? null : Path.GetFullPath(serverCa),
            PlanRefresh = ParsePlanRefresh(planRefresh),
            // The same loader and messages as `check`: a bad file stops the agent before it enrols.
            TrustedRoots = CertificateFiles.LoadAll("--trust-ca", trustCa ?? []),
            ExpectedRoots = CertificateFiles.LoadAll("--expected-root", expectedRoots ?? []),
        };
    }

    /// <summary>The token from --enroll-token-file (first line, trimmed); null when no file was given.</summary>
    private static string? ReadTokenFile(string? path)
    {
        if (string.IsNullOrWhiteSpace(path))
            return null;
        try
        {
            return File.ReadLines(path).FirstOrDefault()?.Trim() is { Length: > 0 } token
                ? token
                : throw new UsageException($"--enroll-token-file: '{path}' is empty; paste the token from the Agents page into it");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--enroll-token-file: cannot read '{path}': {ex.Message}");
        }
    }

    private static Sources ParseRole(string? role) => role?.Trim().ToLowerInvariant() switch
    {
        "appliancevm" => Sources.ApplianceVm,
        "managementmachine" => Sources.ManagementMachine,
        _ => throw new UsageException($"--role: '{role}' must be ApplianceVm or ManagementMachine"),
    };

    private static Uri? ParseProxy(string? proxy)
    {
        if (string.IsNullOrWhiteSpace(proxy))
            return null;
        return Uri.TryCreate(proxy.Trim(), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.Host.Length > 0
            ? uri
            : throw new UsageException($"--proxy: '{proxy}' is not an http:// proxy URL (e.g. http://proxy.corp:3128)");
    }

    private static IPEndPoint ParseDnsServer(string text)
    {
        if (!IPEndPoint.TryParse(text.Trim(), out var endpoint) || (endpoint.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && text.Split(':')[0].Count(c => c == '.') != 3))
            throw new UsageException($"--dns-server: '{text}' is not IP[:PORT]");
        return endpoint.Port == 0 ? new IPEndPoint(endpoint.Address, 53) : endpoint;
    }

    private static TimeSpan? ParseInterval(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s is >= 1 and <= 86_400
            ? TimeSpan.FromSeconds(s)
            : throw new UsageException($"--interval: '{text}' is not a number of seconds between 1 and 86400");
    }

    // At most a minute: the README promises that plan changes reach agents within one.
    private static TimeSpan ParsePlanRefresh(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return RunOptions.DefaultPlanRefresh;
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var s) && s is >= 1 and <= 60
            ? TimeSpan.FromSeconds(s)
            : throw new UsageException($"--plan-refresh: '{text}' is not a whole number of seconds between 1 and 60");
    }

    private static int ParseMaxRows(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return 100_000;
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 10 and <= 10_000_000
            ? n
            : throw new UsageException($"--outbox-max-rows: '{text}' is not a whole number between 10 and 10000000");
    }
}
