using System.Net;
using Microsoft.Extensions.Options;

namespace ArcBridgeDashboard.Web.Accounts;

/// <summary>Sign-in with an OpenID Connect provider (Entra ID or any other), under ArcBridge:Auth:Oidc.</summary>
public sealed class OidcOptions
{
    public const string SectionName = "ArcBridge:Auth:Oidc";
    public static readonly IReadOnlyList<string> DefaultScopes = ["openid", "profile", "email"];
    public static readonly IReadOnlyList<string> DefaultRoleClaimTypes = ["groups", "roles"];

    public bool Enabled { get; set; }

    /// <summary>The button text: "Sign in with {DisplayName}".</summary>
    public string DisplayName { get; set; } = "OpenID Connect";

    /// <summary>The issuer, e.g. https://login.microsoftonline.com/{tenant}/v2.0 (its /.well-known/openid-configuration is read).</summary>
    public string? Authority { get; set; }

    public string? ClientId { get; set; }

    /// <summary>From the environment or a secret store; never logged or shown.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>Scopes asked for; empty: openid, profile, email.</summary>
    public List<string> Scopes { get; set; } = [];

    /// <summary>Claim types whose values are looked up in <see cref="RoleMap"/>; empty: groups, roles.</summary>
    public List<string> RoleClaimTypes { get; set; } = [];

    /// <summary>Claim value (group object id, app role name) → Admin, Operator or Viewer. The highest match wins.</summary>
    public Dictionary<string, string> RoleMap { get; set; } = [];

    public IReadOnlyList<string> EffectiveScopes => Scopes.Count > 0 ? Scopes : DefaultScopes;
    public IReadOnlyList<string> EffectiveRoleClaimTypes => RoleClaimTypes.Count > 0 ? RoleClaimTypes : DefaultRoleClaimTypes;

    /// <summary>Plain http is allowed only to this machine (a test provider); anything else must be https.</summary>
    public static bool IsLoopback(Uri uri)
        => uri.IsLoopback || IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip);

    /// <summary>
    /// The role the claims map to (Admin over Operator over Viewer), or null; <paramref name="seen"/> gets every value of
    /// the role claim types, for the refusal message and the audit log.
    /// </summary>
    public string? RoleFor(IEnumerable<System.Security.Claims.Claim> claims, out IReadOnlyList<string> seen)
    {
        var map = new Dictionary<string, string>(RoleMap, StringComparer.OrdinalIgnoreCase);
        var types = EffectiveRoleClaimTypes;
        var values = claims.Where(c => types.Contains(c.Type, StringComparer.OrdinalIgnoreCase)).Select(c => c.Value).Distinct().ToList();
        seen = values;
        var roles = values.Select(v => map.TryGetValue(v, out var role) ? Canonical(role) : null).OfType<string>().ToHashSet();
        return DashboardRoles.All.FirstOrDefault(roles.Contains); // All is ordered Admin, Operator, Viewer
    }

    public static string? Canonical(string? role) => DashboardRoles.All.FirstOrDefault(r => string.Equals(r, role?.Trim(), StringComparison.OrdinalIgnoreCase));
}

public sealed class OidcOptionsValidator : IValidateOptions<OidcOptions>
{
    public ValidateOptionsResult Validate(string? name, OidcOptions options)
    {
        if (!options.Enabled)
            return ValidateOptionsResult.Success;
        const string s = OidcOptions.SectionName;
        var errors = new List<string>();
        if (!Uri.TryCreate(options.Authority, UriKind.Absolute, out var authority) || authority.Scheme is not ("https" or "http"))
            errors.Add($"{s}:Authority must be the provider's https URL (e.g. https://login.microsoftonline.com/<tenant-id>/v2.0) when {s}:Enabled is true; it is '{options.Authority}'.");
        else if (authority.Scheme != "https" && !OidcOptions.IsLoopback(authority))
            errors.Add($"{s}:Authority must use https (plain http is allowed only to 127.0.0.1/localhost): '{options.Authority}'.");
        if (string.IsNullOrWhiteSpace(options.ClientId))
            errors.Add($"{s}:ClientId is required when {s}:Enabled is true (the application (client) id registered at the provider).");
        if (string.IsNullOrWhiteSpace(options.DisplayName))
            errors.Add($"{s}:DisplayName must not be empty (it is the sign-in button's text).");
        if (options.RoleMap.Count == 0)
            errors.Add($"{s}:RoleMap is empty: nobody could sign in. Map at least one group object id or app role name to Admin, Operator or Viewer.");
        foreach (var (claim, role) in options.RoleMap)
        {
            if (OidcOptions.Canonical(role) is null)
                errors.Add($"{s}:RoleMap:{claim} is '{role}', not a role: use Admin, Operator or Viewer.");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
