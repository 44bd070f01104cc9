using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;

namespace ArcBridgeDashboard.Web.Accounts;

/// <summary>
/// Re-checks a policy inside a circuit, right before an action. A page's [Authorize] guards the page load only: a
/// circuit's event handlers can be invoked by any client that holds the circuit, so every state-changing handler asks here first.
/// </summary>
public sealed class CircuitAccess(AuthenticationStateProvider authentication, IAuthorizationService authorization)
{
    public async Task<ClaimsPrincipal> UserAsync() => (await authentication.GetAuthenticationStateAsync()).User;

    public async Task<string> UserNameAsync() => (await UserAsync()).Identity?.Name ?? "anonymous";

    public async Task<bool> AllowsAsync(string policy) => (await authorization.AuthorizeAsync(await UserAsync(), policy)).Succeeded;

    /// <summary>Null when allowed, else the sentence to show.</summary>
    public async Task<string?> RefusalAsync(string policy) => await AllowsAsync(policy) ? null : Refusal(policy);

    public static string Refusal(string policy) => policy switch
    {
        Policies.CanAdminister => "Only an Admin can do this.",
        Policies.CanOperate => "Only an Operator or Admin can do this.",
        _ => "You are not allowed to do this.",
    };
}
