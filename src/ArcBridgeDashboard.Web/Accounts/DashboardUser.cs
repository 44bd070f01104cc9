using Microsoft.AspNetCore.Identity;

namespace ArcBridgeDashboard.Web.Accounts;

/// <summary>A local account. Disabled = locked out until the end of time (Identity refuses its sign-in and its cookie at the next stamp check).</summary>
public sealed class DashboardUser : IdentityUser
{
    public DateTimeOffset CreatedAt { get; set; }

    public bool IsDisabled(DateTimeOffset now) => LockoutEnabled && LockoutEnd is { } end && end > now;
}

/// <summary>The three roles; each user holds exactly one.</summary>
public static class DashboardRoles
{
    public const string Admin = "Admin";
    public const string Operator = "Operator";
    public const string Viewer = "Viewer";

    public static readonly IReadOnlyList<string> All = [Admin, Operator, Viewer];

    /// <summary>What a holder of <paramref name="role"/> may do, in one line (shown beside a role being chosen).</summary>
    public static string Describe(string role) => role switch
    {
        Admin => "Admin: everything, including settings, agents, the allowlist, users and API keys.",
        Operator => "Operator: reads every page, presses Check now, annotates and generates reports.",
        _ => "Viewer: reads every page and downloads reports; changes nothing.",
    };

    /// <summary>Fixed ids so the roles are seeded by the migration itself (a user can be created straight after it, as the tests do).</summary>
    public static readonly IReadOnlyList<IdentityRole> Seed =
    [
        new(Admin) { Id = "role-admin", NormalizedName = "ADMIN", ConcurrencyStamp = "role-admin" },
        new(Operator) { Id = "role-operator", NormalizedName = "OPERATOR", ConcurrencyStamp = "role-operator" },
        new(Viewer) { Id = "role-viewer", NormalizedName = "VIEWER", ConcurrencyStamp = "role-viewer" },
    ];
}

/// <summary>Authorization policies: pages, circuit actions and endpoints name one of these.</summary>
public static class Policies
{
    /// <summary>Any role: read every page and download reports.</summary>
    public const string CanRead = "CanRead";

    /// <summary>Operator or Admin: Check now, annotations, report generation.</summary>
    public const string CanOperate = "CanOperate";

    /// <summary>Admin: settings, agents, allowlist import, users, API keys, audit log.</summary>
    public const string CanAdminister = "CanAdminister";
}
