using System.Globalization;
using System.Net.Http.Headers;
using ArcBridgeDashboard.Probes.Contracts;

namespace ArcBridgeDashboard.Agent.Run;

/// <summary>
/// Adds the credential, the agent's clock and the probe kinds it can run to every attempt. It sits inside the retry pipeline, so each retry
/// carries the time it was really sent (the server measures the clock offset from it).
/// </summary>
public sealed class AgentHeadersHandler(AgentCredential credential, TimeProvider time) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credential.Credential);
        request.Headers.Remove(AgentApi.AgentTimeHeader);
        request.Headers.Add(AgentApi.AgentTimeHeader, time.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
        request.Headers.Remove(AgentApi.ProbeKindsHeader);
        request.Headers.Add(AgentApi.ProbeKindsHeader, AgentApi.ProbeKindsOfThisBuild);
        return base.SendAsync(request, cancellationToken);
    }
}
