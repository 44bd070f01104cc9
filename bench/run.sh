#!/usr/bin/env bash
# ArcBridge Dashboard benchmarks. One command per benchmark; each ends with a "===== RESULT <name> =====" block.
#   bench/run.sh sweep        full default catalog, a third blackholed, 3 s phase timeout, vs one-by-one (root: netns)
#   bench/run.sh probe-cost   CPU-ms per HTTPS probe, ours (NativeAOT as shipped, and JIT) vs prometheus-blackbox-exporter
#   bench/run.sh seed         30-day (4.3 M results) and 3-day databases in bench/out/
#   bench/run.sh pages        published dashboard on both databases: GET + interactive render, ratio 30 d / 3 d
#   bench/run.sh seed --postgres     PostgreSQL cluster in bench/out/pg: seed_100m (76 d) and seed_10m (8 d), 100 agents x 46 targets
#   bench/run.sh pages --postgres    the same pages on them, ratio 100 M / 10 M (e.g. --no-browser)
#   bench/run.sh pg-drop             delete bench/out/pg, the seeded PostgreSQL cluster (tens of GB; seed and pages stop it when they end)
#   bench/run.sh all          all of the above (about 10 min on 2 cores)
# Extra arguments after the name go to the benchmark (e.g. bench/run.sh sweep --runs 9).
# Not part of the test command or CI. Every peer is on loopback or inside a namespace this script creates.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=bench/out
BENCH="$OUT/bin/arcbridge-bench.dll"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

build() {
  echo "bench: building (Release) ..."
  dotnet build bench/ArcBridgeDashboard.Bench -c Release -o "$OUT/bin" -v quiet -nologo | grep -E "error|Warn|warn" || true
  [[ -f $BENCH ]] || { echo "bench: build failed" >&2; exit 2; }
}

bench() { dotnet "$BENCH" "$@"; }

# The probe-cost worker built the way the linux-x64 agent ships: the agent's own publish profile (NativeAOT), with the
# agent's globalization mode read from the agent's project so that the two cannot drift apart.
publish_probe_worker() {
  local start=$SECONDS invariant log
  invariant=$(dotnet msbuild src/ArcBridgeDashboard.Agent -getProperty:InvariantGlobalization -nologo)
  echo "bench: publishing the probe worker with the agent's linux-x64 profile (InvariantGlobalization=${invariant:-false}) to $OUT/probe-worker-aot ..."
  if ! log=$(dotnet publish bench/ProbeCostWorker -nologo -v quiet -c Release \
      -p:PublishProfileFullPath="$PWD/src/ArcBridgeDashboard.Agent/Properties/PublishProfiles/linux-x64.pubxml" \
      -p:InvariantGlobalization="${invariant:-false}" -o "$OUT/probe-worker-aot" 2>&1); then
    echo "$log" >&2; echo "bench: probe worker publish failed" >&2; exit 2
  fi
  grep -E "warn" <<<"$log" || true
  echo "bench: probe worker published in $((SECONDS - start)) s"
}

seed() {
  if [[ ${1:-} == --postgres ]]; then
    shift
    # 100 agents x 46 targets (the catalog's Azure Cloud targets with a host) every 5 min: 1.32 M results a day.
    bench seed --postgres "$OUT/pg" --database seed_10m --days "${PG_SHORT_DAYS:-8}" --agents 100 --targets 50 "$@"
    bench seed --postgres "$OUT/pg" --database seed_100m --days "${PG_LONG_DAYS:-76}" --agents 100 --targets 50 "$@"
    return
  fi
  bench seed --db "$OUT/seed-30d.db" --days 30 "$@"
  bench seed --db "$OUT/seed-3d.db" --days 3 "$@"
}

publish_web() {
  echo "bench: publishing the dashboard (Release) to $OUT/web ..."
  dotnet publish src/ArcBridgeDashboard.Web -c Release -o "$OUT/web" -v quiet -nologo | grep -E "error|warn" || true
}

pages() {
  if [[ ${1:-} == --postgres ]]; then
    shift
    [[ -d $OUT/pg/data ]] || { echo "bench: no PostgreSQL seed in $OUT/pg: run bench/run.sh seed --postgres first" >&2; exit 2; }
    publish_web
    bench pages --publish "$OUT/web" --postgres "$OUT/pg" --database "${PG_LONG_DB:-seed_100m}" --database-short "${PG_SHORT_DB:-seed_10m}" "$@"
    return
  fi
  [[ -f $OUT/seed-30d.db && -f $OUT/seed-3d.db ]] || seed
  publish_web
  bench pages --publish "$OUT/web" --db "$OUT/seed-30d.db" --db-short "$OUT/seed-3d.db" "$@"
}

name="${1:-}"; shift || true
mkdir -p "$OUT"
case "$name" in
  sweep) build; bench "$name" "$@" ;;
  probe-cost) build; publish_probe_worker; bench "$name" "$@" ;;
  seed) build; seed "$@" ;;
  pages) build; pages "$@" ;;
  pg-drop) rm -rf "$OUT/pg"; echo "bench: deleted $OUT/pg" ;;
  all)
    build
    publish_probe_worker
    start=$SECONDS
    bench sweep
    bench probe-cost
    seed
    pages
    echo "bench: all done in $((SECONDS - start)) s"
    ;;
  *) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
