// The agent executable: `check` (one-shot sweep from this machine) and `run` (remote agent).
using ArcBridgeDashboard.Agent;

return await AgentCli.RunAsync(args, Console.Out, Console.Error);
