// bench/agents: `ingest [agents] [batch] [seconds] [full|normal]` (SQLite sync level, default full as shipped) and `memory [soak-seconds]`. Run through bench/agents/run.sh (builds Release first).
using ArcBridgeDashboard.Bench.Agents;

var root = FindRoot();
var command = args.Length > 0 ? args[0] : "all";
var code = 0;
if (command is "ingest" or "all")
{
    var agents = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 8;
    var batch = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 500;
    var seconds = args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 20;
    var sync = args.Length > 4 ? args[4] : "full";
    code |= await IngestBench.RunAsync(root, agents, batch, TimeSpan.FromSeconds(seconds), sync);
}
if (command is "memory" or "all")
    code |= await MemoryBench.RunAsync(root, TimeSpan.FromSeconds(command == "memory" && args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 0));
return code;

static string FindRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "ArcBridgeDashboard.sln")))
            return dir.FullName;
    }
    throw new InvalidOperationException("run from inside the repository");
}
