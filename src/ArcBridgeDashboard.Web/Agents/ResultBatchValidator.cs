using ArcBridgeDashboard.Probes.Contracts;

namespace ArcBridgeDashboard.Web.Agents;

/// <summary>Checks a parsed batch field by field; the first problem is returned with its JSON path.</summary>
public static class ResultBatchValidator
{
    private const int MaxKeyLength = 600;
    private const int MaxTextLength = 4000;

    /// <param name="maxDetailsBytes">The largest <c>details</c> object (as JSON) one result may carry.</param>
    public static string? Validate(ResultBatch batch, int maxDetailsBytes = int.MaxValue)
    {
        if (batch.Results is null || batch.Results.Count == 0)
            return "results: the batch holds no results.";
        if (batch.OutboxDepth < 0)
            return "outboxDepth: must not be negative.";
        var seen = new HashSet<Guid>();
        for (var i = 0; i < batch.Results.Count; i++)
        {
            if (Check(batch.Results[i], seen, maxDetailsBytes) is { } error)
                return $"results[{i}].{error}";
        }
        return null;
    }

    private static string? Check(ProbeResult? r, HashSet<Guid> seen, int maxDetailsBytes)
    {
        if (r is null)
            return "<item>: must be an object, not null.";
        if (r.Id == Guid.Empty)
            return "id: must be a non-empty GUID.";
        if (!seen.Add(r.Id))
            return $"id: {r.Id} appears twice in the batch.";
        if (string.IsNullOrWhiteSpace(r.TargetKey) || r.TargetKey.Length > MaxKeyLength)
            return "targetKey: required, at most 600 characters.";
        if (string.IsNullOrWhiteSpace(r.EndpointKey) || r.EndpointKey.Length > MaxKeyLength)
            return "endpointKey: required, at most 600 characters.";
        if (r.Port is < 1 or > 65535)
            return "port: must be between 1 and 65535.";
        if (r.StartedAt == default)
            return "startedAt: required.";
        if (!Enum.IsDefined(r.Verdict) || !Enum.IsDefined(r.Phase) || !Enum.IsDefined(r.Reason))
            return "verdict/phase/reason: unknown value.";
        if ((r.Message?.Length ?? 0) > MaxTextLength || (r.Remedy?.Length ?? 0) > MaxTextLength)
            return "message/remedy: at most 4000 characters.";
        if (r.TimingsMs is null || r.TimingsMs.Values.Any(v => double.IsNaN(v) || double.IsInfinity(v) || v < 0))
            return "timingsMs: values must be finite, non-negative numbers.";
        if (r.Details is null)
            return "details: must be an object.";
        if (maxDetailsBytes < int.MaxValue && System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(r.Details, ProbeJson.Options).Length is var size && size > maxDetailsBytes)
            return $"details: {size} bytes of JSON; the limit is {maxDetailsBytes} (ArcBridge:Agents:MaxDetailsBytes).";
        if (r.Pass is { } pass && (pass.Id == Guid.Empty || pass.StartedAt == default || pass.TargetCount < 0
            || pass.Trigger is not (SweepPass.Manual or SweepPass.Schedule)))
            return "pass: needs a non-empty id, startedAt, a non-negative targetCount and trigger \"manual\" or \"schedule\".";
        return null;
    }
}
