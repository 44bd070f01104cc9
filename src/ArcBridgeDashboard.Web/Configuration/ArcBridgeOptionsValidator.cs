using ArcBridgeDashboard.Probes.Contracts;
using Microsoft.Extensions.Options;

namespace ArcBridgeDashboard.Web.Configuration;

/// <summary>Cross-field and enum checks data annotations cannot express; messages name the configuration key.</summary>
public sealed class ArcBridgeOptionsValidator : IValidateOptions<ArcBridgeOptions>
{
    public ValidateOptionsResult Validate(string? name, ArcBridgeOptions options)
    {
        var errors = new List<string>();
        var role = options.BuiltInAgentRole;
        if (role == Sources.None || (role & ~(Sources.ManagementMachine | Sources.ApplianceVm)) != 0)
        {
            errors.Add($"ArcBridge:BuiltInAgentRole must be ManagementMachine or ApplianceVm (was '{role}').");
        }
        if (options.FirstSweepDelay > options.DefaultInterval)
        {
            errors.Add("ArcBridge:FirstSweepDelay must not exceed ArcBridge:DefaultInterval.");
        }
        if (options.DatabasePath.IndexOfAny(Path.GetInvalidPathChars()) >= 0)
        {
            errors.Add($"ArcBridge:DatabasePath contains characters not allowed in a path: '{options.DatabasePath}'.");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
