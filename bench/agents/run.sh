#!/usr/bin/env bash
# bench/agents: remote-agent ingest throughput and agent memory vs prometheus-blackbox-exporter. Loopback only.
#   bench/agents/run.sh                 both
#   bench/agents/run.sh ingest 8 500 20 agents, batch size, seconds
#   bench/agents/run.sh memory [soak-seconds]   (ARCBRIDGE_BENCH_AGENT=path measures another agent build)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
dotnet build src/ArcBridgeDashboard.Web -c Release -v q -nologo >/dev/null
dotnet build src/ArcBridgeDashboard.Agent -c Release -v q -nologo >/dev/null
# The shipped agent (NativeAOT, linux-x64); incremental, so cheap when nothing changed.
dotnet publish src/ArcBridgeDashboard.Agent -p:PublishProfile=linux-x64 -v q -nologo >/dev/null
exec dotnet run -c Release --project bench/agents/AgentBench -- "$@"
