using System.Globalization;

namespace ArcBridgeDashboard.Bench.Common;

/// <summary>CPU time of a process from /proc/&lt;pid&gt;/stat (utime + stime, in clock ticks; USER_HZ is 100 on Linux).</summary>
public static class ProcCpu
{
    private const double MsPerTick = 10.0;

    public static double CpuMs(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // The command name (field 2) may hold spaces; the fields we want follow its closing parenthesis.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var utime = long.Parse(fields[11], CultureInfo.InvariantCulture);
        var stime = long.Parse(fields[12], CultureInfo.InvariantCulture);
        return (utime + stime) * MsPerTick;
    }
}
