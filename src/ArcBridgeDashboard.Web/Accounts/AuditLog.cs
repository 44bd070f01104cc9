using ArcBridgeDashboard.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace ArcBridgeDashboard.Web.Accounts;

/// <summary>Audit actions, as stored and shown.</summary>
public static class AuditActions
{
    public const string SignedIn = "Signed in";
    public const string SignInFailed = "Sign-in failed";
    public const string SignedOut = "Signed out";
    public const string SetupCompleted = "First admin created";
    public const string SettingsChanged = "Settings changed";
    public const string CatalogImported = "Allowlist imported";
    public const string AgentTokenCreated = "Enrolment token created";
    public const string AgentTokenRevoked = "Enrolment token revoked";
    public const string AgentEnrolled = "Agent enrolled";
    public const string AgentRevoked = "Agent revoked";
    public const string NotificationsChanged = "Notifications changed";
    public const string CheckTriggered = "Check now";
    public const string ReportGenerated = "Report generated";
    public const string EndpointIntervalChanged = "Endpoint interval changed";
    public const string UserAdded = "User added";
    public const string UserChanged = "User changed";
    public const string ApiKeyCreated = "API key created";
    public const string ApiKeyRevoked = "API key revoked";
}

/// <summary>Writes audit entries on a short-lived context of its own, so an audited action never shares its unit of work.</summary>
public sealed class AuditLog(IDbContextFactory<ArcBridgeDbContext> contexts, TimeProvider time)
{
    public async Task WriteAsync(string user, string action, string detail, string? address = null, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.AuditEntries.Add(new AuditEntry
        {
            At = time.GetUtcNow(),
            User = Truncate(user, 256),
            Action = action,
            Detail = Truncate(detail, 2000),
            Address = address,
        });
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Who created enrolment token <paramref name="tokenId"/>, from its audit entry (the token row does not keep it).</summary>
    public async Task<string?> TokenCreatorAsync(int tokenId, CancellationToken cancellationToken = default)
    {
        var detail = TokenDetail(tokenId);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.AuditEntries.AsNoTracking()
            .Where(a => a.Action == AuditActions.AgentTokenCreated && (a.Detail == detail || a.Detail.StartsWith(detail + ",")))
            .OrderByDescending(a => a.Id).Select(a => a.User).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>How an enrolment token is named in audit details ("token 7").</summary>
    public static string TokenDetail(int tokenId) => "token " + tokenId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public async Task<IReadOnlyList<AuditEntry>> LatestAsync(int count, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.AuditEntries.AsNoTracking().OrderByDescending(a => a.Id).Take(count).ToListAsync(cancellationToken);
    }

    private static string Truncate(string value, int max) => value.Length <= max ? value : value[..max];
}
