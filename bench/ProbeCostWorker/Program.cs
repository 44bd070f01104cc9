using ArcBridgeDashboard.Bench.Common;
using ArcBridgeDashboard.Bench.ProbeCost;

// `arcbridge-probe-worker --port P --root FILE`: the bench's probe-worker verb on its own, for a NativeAOT build.
return await ProbeWorker.RunAsync(new Args(args));
