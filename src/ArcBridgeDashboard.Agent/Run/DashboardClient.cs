using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using ArcBridgeDashboard.Probes.Contracts;

namespace ArcBridgeDashboard.Agent.Run;

/// <summary>The server refused the credential (revoked or unknown): retrying cannot help.</summary>
public sealed class AgentRejectedException(string message) : Exception(message);

/// <summary>Typed client for the dashboard's agent API. Transient faults are retried by the resilience handler.</summary>
public sealed class DashboardClient(HttpClient http)
{
    /// <returns>Null when the plan has not changed since <paramref name="etag"/>.</returns>
    public async Task<(AgentPlan Plan, string? ETag)?> GetPlanAsync(string? etag, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, AgentApi.PlanPath);
        if (etag is not null)
            request.Headers.IfNoneMatch.Add(EntityTagHeaderValue.Parse(etag));
        using var response = await http.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotModified)
            return null;
        await EnsureAcceptedAsync(response, cancellationToken);
        var plan = await response.Content.ReadFromJsonAsync(AgentJson.Default.AgentPlan, cancellationToken)
            ?? throw new HttpRequestException("empty plan");
        return (plan, response.Headers.ETag?.ToString());
    }

    public async Task<BatchAck> PostBatchAsync(ResultBatch batch, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync(AgentApi.ResultsPath, batch, AgentJson.Default.ResultBatch, cancellationToken);
        await EnsureAcceptedAsync(response, cancellationToken);
        return await response.Content.ReadFromJsonAsync(AgentJson.Default.BatchAck, cancellationToken)
            ?? throw new HttpRequestException("empty acknowledgement");
    }

    public async Task<AgentCommands> GetCommandsAsync(CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(AgentApi.CommandsPath, cancellationToken);
        await EnsureAcceptedAsync(response, cancellationToken);
        return await response.Content.ReadFromJsonAsync(AgentJson.Default.AgentCommands, cancellationToken) ?? new AgentCommands();
    }

    private static async Task EnsureAcceptedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            throw new AgentRejectedException($"the dashboard refused this agent ({(int)response.StatusCode}): {await response.Content.ReadAsStringAsync(cancellationToken)}");
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"{(int)response.StatusCode} {response.ReasonPhrase}: {await response.Content.ReadAsStringAsync(cancellationToken)}", null, response.StatusCode);
    }
}
