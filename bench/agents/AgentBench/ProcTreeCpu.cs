using System.Globalization;

namespace ArcBridgeDashboard.Bench.Agents;

/// <summary>
/// CPU seconds from /proc, pidstat-like: a process tree's (utime + stime of every live process, plus what each has
/// reaped of its exited children, cutime + cstime), and the whole machine's busy time from /proc/stat. Ticks are USER_HZ (100).
/// </summary>
public static class ProcTreeCpu
{
    private const double SecondsPerTick = 0.01;

    /// <summary>CPU seconds of <paramref name="rootPid"/> and all its descendants (0 for a process already gone).</summary>
    public static double TreeSeconds(int rootPid)
    {
        var children = new Dictionary<int, List<int>>();
        var cpu = new Dictionary<int, long>();
        foreach (var dir in Directory.EnumerateDirectories("/proc").Take(100_000))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
                continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                var parent = int.Parse(fields[1], CultureInfo.InvariantCulture);
                cpu[pid] = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)
                    + long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture);
                if (!children.TryGetValue(parent, out var list))
                    children[parent] = list = [];
                list.Add(pid);
            }
            catch (IOException)
            {
                // exited meanwhile
            }
        }
        var total = 0L;
        var queue = new Queue<int>([rootPid]);
        var seen = new HashSet<int>();
        while (queue.Count > 0 && seen.Count < 100_000)
        {
            var pid = queue.Dequeue();
            if (!seen.Add(pid))
                continue;
            total += cpu.GetValueOrDefault(pid);
            foreach (var child in children.GetValueOrDefault(pid) ?? [])
                queue.Enqueue(child);
        }
        return total * SecondsPerTick;
    }

    /// <summary>Busy CPU seconds of the whole machine (every core: all but idle and iowait).</summary>
    public static double MachineBusySeconds()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        // user nice system idle iowait irq softirq steal (guest counted in user)
        return (fields[..8].Sum() - fields[3] - fields[4]) * SecondsPerTick;
    }

    public static string LoadAverage() => File.ReadAllText("/proc/loadavg").Split(' ').Take(3) is var parts ? string.Join(' ', parts) : "";
}
