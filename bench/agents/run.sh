#!/usr/bin/env bash
# bench/agents: remote-agent ingest throughput and agent memory vs prometheus-blackbox-exporter. Loopback only.
#   bench/agents/run.sh                 both
#   bench/agents/run.sh ingest 8 500 20 full   agents, batch size, seconds, SQLite sync level (full as shipped, or normal)
#   bench/agents/run.sh ingest both            SQLite then PostgreSQL (own cluster on 127.0.0.1), 200 agents x 50, 300 s each; ratio
#   bench/agents/run.sh ingest postgres 200 50 30   one provider (sqlite|postgres|both), then agents, batch size, seconds
#   bench/agents/run.sh memory [soak-seconds]   (ARCBRIDGE_BENCH_AGENT=path measures another agent build)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
# Build output only when a build fails.
quiet() { local out; if ! out="$("$@" 2>&1)"; then printf '%s\n' "$out" >&2; return 1; fi; }
quiet dotnet build src/ArcBridgeDashboard.Web -c Release -v q -nologo
quiet dotnet build src/ArcBridgeDashboard.Agent -c Release -v q -nologo
# The shipped agent (NativeAOT, linux-x64); incremental, so cheap when nothing changed.
quiet dotnet publish src/ArcBridgeDashboard.Agent -p:PublishProfile=linux-x64 -v q -nologo
exec dotnet run -c Release --project bench/agents/AgentBench -- "$@"
