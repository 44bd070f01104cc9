using ArcBridgeDashboard.Web.Data;
using Microsoft.AspNetCore.DataProtection;

namespace ArcBridgeDashboard.Web.Secrets;

public static class SecretsExtensions
{
    /// <summary>The Data Protection application name: fixed, so keys (and what they protect) survive restarts, moves and upgrades.</summary>
    public const string ApplicationName = "ArcBridgeDashboard";

    /// <summary>
    /// Data Protection for the whole app (secrets at rest, antiforgery and any sign-in cookie) with its key ring in
    /// the database or in ArcBridge:DataProtection:KeysDirectory, and <see cref="SecretProtector"/>.
    /// Call after AddArcBridgeData (the key ring may live in its database).
    /// </summary>
    public static IHostApplicationBuilder AddArcBridgeSecrets(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DataProtectionKeyOptions>().BindConfiguration(DataProtectionKeyOptions.SectionName);
        var keys = builder.Configuration.GetSection(DataProtectionKeyOptions.SectionName).Get<DataProtectionKeyOptions>() ?? new();
        var dataProtection = builder.Services.AddDataProtection().SetApplicationName(ApplicationName);
        if (string.IsNullOrWhiteSpace(keys.KeysDirectory))
            dataProtection.PersistKeysToDbContext<ArcBridgeDbContext>();
        else
        {
            var folder = Path.GetFullPath(Path.Combine(builder.Environment.ContentRootPath, keys.KeysDirectory));
            OwnerOnlyFiles.CreateDirectory(folder);
            OwnerOnlyFiles.RestrictFilesIn(folder);
            dataProtection.PersistKeysToFileSystem(new DirectoryInfo(folder));
        }
        builder.Services.AddSingleton<SecretProtector>();
        builder.Services.AddSingleton<IStartupSeeder, ClearTextSecretMigrator>();
        return builder;
    }
}
