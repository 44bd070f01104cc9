// bench/agents: `ingest [sqlite|postgres|both] [agents] [batch] [seconds] [full|normal]` (SQLite sync level, default full as
// shipped) and `memory [soak-seconds]`. Run through bench/agents/run.sh (builds Release first). Without a provider: SQLite,
// 8 agents x 500, 20 s (the first ingest bench); with one: 200 agents x 50, 300 s (issue 14).
using ArcBridgeDashboard.Bench.Agents;

var root = FindRoot();
var command = args.Length > 0 ? args[0] : "all";
var code = 0;
if (command is "ingest" or "all")
{
    var rest = args.Skip(1).ToList();
    string[]? providers = rest.Count > 0 ? rest[0] switch
    {
        "sqlite" => ["sqlite"],
        "postgres" => ["postgres"],
        "both" => ["sqlite", "postgres"],
        _ => null,
    } : null;
    if (providers is not null)
        rest.RemoveAt(0);
    int Int(int i, int fallback) => rest.Count > i ? int.Parse(rest[i], System.Globalization.CultureInfo.InvariantCulture) : fallback;
    var agents = Int(0, providers is null ? 8 : 200);
    var batch = Int(1, providers is null ? 500 : 50);
    var seconds = Int(2, providers is null ? 20 : 300);
    var sync = rest.Count > 3 ? rest[3] : "full";
    if (sync is not ("full" or "normal") || agents is < 1 or > 5000 || batch is < 1 or > 10_000 || seconds is < 1 or > 3600)
    {
        Console.Error.WriteLine("usage: ingest [sqlite|postgres|both] [agents 1-5000] [batch 1-10000] [seconds 1-3600] [full|normal]");
        return 2;
    }
    code |= await IngestBench.RunAsync(root, providers ?? ["sqlite"], agents, batch, TimeSpan.FromSeconds(seconds), sync);
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
