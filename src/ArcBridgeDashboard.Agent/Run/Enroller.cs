using System.Net.Http.Json;
using System.Runtime.InteropServices;
using System.Text.Json;
using ArcBridgeDashboard.Probes.Contracts;

namespace ArcBridgeDashboard.Agent.Run;

/// <summary>The dashboard could not be reached for enrolment: worth retrying later (exit code 1, not 2).</summary>
public sealed class ServerUnreachableException(string message) : Exception(message);

/// <summary>Trades an enrolment token for a credential, or reuses the stored one.</summary>
public static class Enroller
{
    public static string Version => typeof(Enroller).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    public static async Task<AgentCredential> EnsureEnrolledAsync(RunOptions options, HttpClient http, TextWriter stderr, CancellationToken cancellationToken)
    {
        if (CredentialStore.Load(options.CredentialPath) is { } stored)
        {
            if (!string.Equals(stored.Server.TrimEnd('/'), options.Server.ToString().TrimEnd('/'), StringComparison.OrdinalIgnoreCase))
                throw new UsageException($"{options.CredentialPath} belongs to {stored.Server}, not {options.Server}; use another --state-dir");
            return stored;
        }
        if (options.EnrollToken is null)
            throw new UsageException($"--enroll-token: required on first start (no credential in {options.CredentialPath}); create one on the dashboard's Agents page and pass it with --enroll-token-file FILE or the {RunCommand.TokenEnvironmentVariable} environment variable");

        var request = new EnrollRequest
        {
            Token = options.EnrollToken, Name = options.Name, Role = options.Role, Version = Version, Os = RuntimeInformation.OSDescription,
        };
        HttpResponseMessage response;
        try
        {
            response = await http.PostAsJsonAsync(new Uri(options.Server, AgentApi.EnrollPath), request, AgentJson.Default.EnrollRequest, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            var detail = ex.InnerException is { } inner ? $"{ex.Message} {inner.Message}" : ex.Message;
            throw new ServerUnreachableException($"--server: cannot reach {options.Server} to enrol: {detail.ReplaceLineEndings(" ")}");
        }
        if (!response.IsSuccessStatusCode)
            throw new UsageException($"enrolment refused ({(int)response.StatusCode}): {await ProblemDetailAsync(response, cancellationToken)}");
        var enrolled = await response.Content.ReadFromJsonAsync(AgentJson.Default.EnrollResponse, cancellationToken)
            ?? throw new UsageException("enrolment: the server sent an empty answer");
        var credential = new AgentCredential { Server = options.Server.ToString(), AgentId = enrolled.AgentId, Name = enrolled.Name, Credential = enrolled.Credential };
        CredentialStore.Save(options.CredentialPath, credential);
        await stderr.WriteLineAsync($"enrolled as agent {enrolled.AgentId} '{enrolled.Name}'; credential saved to {options.CredentialPath}");
        return credential;
    }

    private static async Task<string> ProblemDetailAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.TryGetProperty("detail", out var detail))
                return detail.GetString() ?? body;
        }
        catch (JsonException)
        {
            // not problem details: show the raw body
        }
        return body.Length > 300 ? body[..300] : body;
    }
}
