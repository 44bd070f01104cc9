#!/usr/bin/env bash
# Run every test: ./test.sh
# Installs the Debian packages the tests use (real squid, dnsmasq, chrony, nftables, chromium, ...), builds the
# solution, runs `dotnet test` for all projects, and ends with one line: "N passed, N failed[, N skipped]".
# Lab tests create network namespaces, so this runs as root (it re-runs itself with sudo when it can).
# Extra arguments go to `dotnet test`, e.g. ./test.sh --filter "Category!=Lab". Results: $TEST_RESULTS_DIR or TestResults/run-*.
# ./test.sh --windows also runs the Windows lane: the win-x64 agent published for Wine and run as a Windows service
# (WindowsServiceTests, trait Lane=Windows). CI (.ci/run) runs it; the default run leaves it out to stay short.
set -euo pipefail
cd "$(dirname "$0")"

PACKAGES=(squid-openssl tinyproxy nginx haproxy python3 dnsmasq chrony nftables iproute2 chromium prometheus-blackbox-exporter openssl curl sqlite3 fonts-dejavu-core poppler-utils docker-compose wine64 clang libsqlite3-dev postgresql redis-server)
RESULTS="${TEST_RESULTS_DIR:-TestResults/run-$(date -u +%Y%m%dT%H%M%SZ)}"

if [[ $EUID -ne 0 ]]; then
  if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    exec sudo -n --preserve-env=PATH,DOTNET_ROOT,HOME,CI,TEST_RESULTS_DIR "$0" "$@"
  fi
  echo "test.sh: the lab tests need root (network namespaces). Run: sudo $0" >&2
  exit 1
fi

windows=0
args=()
for arg in "$@"; do
  if [[ $arg == --windows ]]; then windows=1; else args+=("$arg"); fi
done
if ((!windows)); then
  # Leave the Windows lane out, inside the caller's own --filter when there is one.
  filtered=0
  for i in "${!args[@]}"; do
    if [[ ${args[$i]} == --filter && $((i + 1)) -lt ${#args[@]} ]]; then
      args[i + 1]="(${args[$((i + 1))]})&Lane!=Windows"; filtered=1
    fi
  done
  ((filtered)) || args+=(--filter "Lane!=Windows")
fi

export DEBIAN_FRONTEND=noninteractive DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "test.sh: installing ${missing[*]}"
  # Keep package scripts from starting squid/tinyproxy/dnsmasq/chrony/nginx/haproxy/redis/postgresql services: the tests run their own copies in namespaces.
  policy_added=0
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && policy_added=1
  fi
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
  if ((policy_added)); then rm -f /usr/sbin/policy-rc.d; fi
fi
# A service a package install started anyway must not hold ports or steer the host clock.
for svc in squid tinyproxy dnsmasq chrony nginx haproxy redis-server postgresql; do
  if [[ -x /etc/init.d/$svc ]] && command -v service >/dev/null && service "$svc" status >/dev/null 2>&1; then
    echo "test.sh: stopping system service $svc"
    service "$svc" stop >/dev/null 2>&1 || true
  fi
done

command -v dotnet >/dev/null || { echo "test.sh: dotnet not found; install the .NET 10 SDK (10.0.401)" >&2; exit 1; }
prepare_start=$SECONDS
dotnet tool restore
dotnet build ArcBridgeDashboard.sln -nologo -v minimal
if ((windows)); then
  # WindowsServiceTests run the win-x64 agent as a service under Wine's service control manager. Wine cannot load a
  # .NET single-file bundle, so this is the same build published as plain self-contained files.
  dotnet publish src/ArcBridgeDashboard.Agent -c Release -r win-x64 --self-contained -p:PublishSingleFile=false \
    -o artifacts/agent/win-x64-wine -nologo -v quiet
fi
# The linux-x64 agent ships as a NativeAOT binary (clang links it); EndToEnd tests run that very binary.
dotnet publish src/ArcBridgeDashboard.Agent -p:PublishProfile=linux-x64 -nologo -v minimal

prepared=$((SECONDS - prepare_start))

mkdir -p "$RESULTS"
tests_start=$SECONDS
set +e
# The hang timeout bounds the run: a test host stuck for 10 minutes is dumped and killed.
# Tests run in a fresh network namespace that has only loopback, so nothing a test starts can reach another machine
# (the lab and bench build their own namespaces from inside it). ARCBRIDGE_TEST_NO_ISOLATION=1 skips this.
isolate=()
if [[ "${ARCBRIDGE_TEST_NO_ISOLATION:-0}" != 1 ]]; then
  isolate=(unshare --net -- bash -c 'ip link set lo up && exec "$@"' isolated)
fi
"${isolate[@]}" dotnet test ArcBridgeDashboard.sln --no-build --results-directory "$RESULTS" \
  --logger "trx" --logger "console;verbosity=normal" --blame-hang-timeout 10m "${args[@]}"
test_rc=$?
set -e
tested=$((SECONDS - tests_start))

# Sums one attribute of a TRX <Counters> element (0 when absent).
count() { local v; v=$(sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$counters"); echo "${v:-0}"; }
# One line per test project: its counts and how long its run took (the TRX <Times> start to finish).
stamp() { sed -n "s/.* $1=\"\([^\"]*\)\".*/\1/p" <<<"$times"; }
passed=0 failed=0 skipped=0 files=0
for trx in "$RESULTS"/*.trx "$RESULTS"/*/*.trx; do
  [[ -f $trx ]] || continue
  files=$((files + 1))
  counters=$(grep -m 1 -o '<Counters [^>]*>' "$trx")
  times=$(grep -m 1 -o '<Times [^>]*>' "$trx")
  project=$(grep -m 1 -o 'codeBase="[^"]*"' "$trx" | sed 's/.*\/\([^/]*\)\.dll"$/\1/')
  seconds=$(( $(date -d "$(stamp finish)" +%s) - $(date -d "$(stamp start)" +%s) )) || seconds="?"
  echo "  ${project:-?}: $(count passed) passed, $(($(count failed) + $(count error) + $(count timeout) + $(count aborted))) failed in ${seconds} s"
  passed=$((passed + $(count passed)))
  failed=$((failed + $(count failed) + $(count error) + $(count timeout) + $(count aborted)))
  skipped=$((skipped + $(count notExecuted)))
done
# Name the failed tests again at the end, where a truncated CI log still shows them.
for trx in "$RESULTS"/*.trx "$RESULTS"/*/*.trx; do
  [[ -f $trx ]] || continue
  grep -o '<UnitTestResult [^>]*outcome="\(Failed\|Timeout\|Aborted\|Error\)"[^>]*>' "$trx" |
    sed -n 's/.* testName="\([^"]*\)".*/  FAILED: \1/p' | sed 's/&quot;/"/g; s/&amp;/\&/g' || true
done
summary="$passed passed, $failed failed"
if ((skipped)); then summary+=", $skipped skipped"; fi
echo "test results: $RESULTS ($files trx files); build and publish ${prepared} s, tests ${tested} s"
if ((!windows)); then echo "Windows lane (WindowsServiceTests under Wine) left out: ./test.sh --windows runs it"; fi
echo "$summary"
if ((failed > 0 || passed == 0)); then exit 1; fi
if ((test_rc != 0)); then echo "test.sh: dotnet test exited $test_rc" >&2; exit "$test_rc"; fi
