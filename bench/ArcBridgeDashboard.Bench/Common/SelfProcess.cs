using System.Diagnostics;

namespace ArcBridgeDashboard.Bench.Common;

/// <summary>Starts this bench again with another verb (probe worker, sweep inside a netns).</summary>
public static class SelfProcess
{
    public static ProcessStartInfo StartInfo(string verb, IEnumerable<string> args, string? wrapper = null, IEnumerable<string>? wrapperArgs = null)
    {
        var info = new ProcessStartInfo(wrapper ?? "dotnet") { UseShellExecute = false };
        foreach (var a in wrapperArgs ?? []) info.ArgumentList.Add(a);
        if (wrapper is not null) info.ArgumentList.Add("dotnet");
        info.ArgumentList.Add(typeof(SelfProcess).Assembly.Location);
        info.ArgumentList.Add(verb);
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["DOTNET_gcServer"] = "0";
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        return info;
    }
}
