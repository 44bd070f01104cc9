#!/usr/bin/env bash
# ArcBridge Dashboard benchmarks. One command per benchmark; each ends with a "===== RESULT <name> =====" block.
#   bench/run.sh sweep        full default catalog, a third blackholed, 3 s phase timeout, vs one-by-one (root: netns)
#   bench/run.sh probe-cost   CPU-ms per HTTPS probe, ours vs prometheus-blackbox-exporter, 2,000 each
#   bench/run.sh seed         30-day (4.3 M results) and 3-day databases in bench/out/
#   bench/run.sh pages        published dashboard on both databases: GET + interactive render, ratio 30 d / 3 d
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

seed() {
  bench seed --db "$OUT/seed-30d.db" --days 30 "$@"
  bench seed --db "$OUT/seed-3d.db" --days 3 "$@"
}

pages() {
  [[ -f $OUT/seed-30d.db && -f $OUT/seed-3d.db ]] || seed
  echo "bench: publishing the dashboard (Release) to $OUT/web ..."
  dotnet publish src/ArcBridgeDashboard.Web -c Release -o "$OUT/web" -v quiet -nologo | grep -E "error|warn" || true
  bench pages --publish "$OUT/web" --db "$OUT/seed-30d.db" --db-short "$OUT/seed-3d.db" "$@"
}

name="${1:-}"; shift || true
mkdir -p "$OUT"
case "$name" in
  sweep|probe-cost) build; bench "$name" "$@" ;;
  seed) build; seed "$@" ;;
  pages) build; pages "$@" ;;
  all)
    build
    start=$SECONDS
    bench sweep
    bench probe-cost
    seed
    pages
    echo "bench: all done in $((SECONDS - start)) s"
    ;;
  *) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
