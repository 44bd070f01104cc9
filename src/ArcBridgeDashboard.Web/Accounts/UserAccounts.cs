using ArcBridgeDashboard.Web.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace ArcBridgeDashboard.Web.Accounts;

/// <summary>One row of the users page; <paramref name="SignsInWith"/> names the OpenID Connect provider of an external user (null: local).</summary>
public sealed record UserRow(string Id, string UserName, string Role, bool Disabled, DateTimeOffset CreatedAt, string? SignsInWith = null);

/// <summary>Users page operations through Identity's UserManager (password rules, stamps, normalisation).</summary>
public sealed class UserAccounts(UserManager<DashboardUser> users, TimeProvider time)
{
    public async Task<IReadOnlyList<UserRow>> ListAsync()
    {
        var now = time.GetUtcNow();
        var rows = new List<UserRow>();
        foreach (var user in await users.Users.OrderBy(u => u.UserName).ToListAsync())
        {
            var role = (await users.GetRolesAsync(user)).FirstOrDefault() ?? "";
            var login = (await users.GetLoginsAsync(user)).FirstOrDefault();
            rows.Add(new UserRow(user.Id, user.UserName ?? "", role, user.IsDisabled(now), user.CreatedAt, login is null ? null : login.ProviderDisplayName ?? login.LoginProvider));
        }
        return rows;
    }

    /// <summary>Null on success, else Identity's reasons in one sentence.</summary>
    public async Task<string?> AddAsync(string userName, string password, string role)
    {
        if (!DashboardRoles.All.Contains(role))
            return $"'{role}' is not a role.";
        var user = new DashboardUser { UserName = userName.Trim(), CreatedAt = time.GetUtcNow(), LockoutEnabled = true };
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded)
            return Describe(created);
        var added = await users.AddToRoleAsync(user, role);
        return added.Succeeded ? null : Describe(added);
    }

    public async Task<string?> SetRoleAsync(string id, string role)
    {
        if (!DashboardRoles.All.Contains(role))
            return $"'{role}' is not a role.";
        var user = await users.FindByIdAsync(id);
        if (user is null)
            return "That user no longer exists.";
        var current = await users.GetRolesAsync(user);
        if (current.Contains(DashboardRoles.Admin) && role != DashboardRoles.Admin && await IsLastActiveAdminAsync(user))
            return "The last active Admin cannot lose the Admin role.";
        await users.RemoveFromRolesAsync(user, current);
        var added = await users.AddToRoleAsync(user, role);
        // A new stamp makes open sessions pick up the new role at their next check.
        await users.UpdateSecurityStampAsync(user);
        return added.Succeeded ? null : Describe(added);
    }

    public async Task<string?> ResetPasswordAsync(string id, string password)
    {
        var user = await users.FindByIdAsync(id);
        if (user is null)
            return "That user no longer exists.";
        var token = await users.GeneratePasswordResetTokenAsync(user);
        var reset = await users.ResetPasswordAsync(user, token, password);
        return reset.Succeeded ? null : Describe(reset);
    }

    public async Task<string?> SetDisabledAsync(string id, bool disabled)
    {
        var user = await users.FindByIdAsync(id);
        if (user is null)
            return "That user no longer exists.";
        if (disabled && (await users.GetRolesAsync(user)).Contains(DashboardRoles.Admin) && await IsLastActiveAdminAsync(user))
            return "The last active Admin cannot be disabled.";
        await users.SetLockoutEnabledAsync(user, true);
        await users.SetLockoutEndDateAsync(user, disabled ? DateTimeOffset.MaxValue : null);
        // Ends the user's open sessions at their next stamp check (cookies and circuits).
        await users.UpdateSecurityStampAsync(user);
        return null;
    }

    private async Task<bool> IsLastActiveAdminAsync(DashboardUser user)
    {
        var now = time.GetUtcNow();
        var admins = await users.GetUsersInRoleAsync(DashboardRoles.Admin);
        return admins.Where(a => !a.IsDisabled(now)).All(a => a.Id == user.Id);
    }

    private static string Describe(IdentityResult result) => string.Join(" ", result.Errors.Select(e => e.Description));
}

/// <summary>
/// Puts a user straight into a migrated database (roles come with the migration), for tests and tools that prepare a
/// database before the app starts. The app itself creates users through <see cref="UserAccounts"/>.
/// </summary>
public static class AccountSeeder
{
    public static async Task CreateUserAsync(ArcBridgeDbContext db, string userName, string password, string role)
    {
        var user = new DashboardUser
        {
            UserName = userName,
            NormalizedUserName = userName.ToUpperInvariant(),
            SecurityStamp = Guid.NewGuid().ToString("N"),
            ConcurrencyStamp = Guid.NewGuid().ToString(),
            LockoutEnabled = true,
            CreatedAt = DateTimeOffset.UtcNow,
        };
        user.PasswordHash = new PasswordHasher<DashboardUser>().HashPassword(user, password);
        db.Users.Add(user);
        var roleId = DashboardRoles.Seed.Single(r => r.Name == role).Id;
        db.UserRoles.Add(new IdentityUserRole<string> { UserId = user.Id, RoleId = roleId });
        await db.SaveChangesAsync();
    }
}
