#!/usr/bin/env bash
# Run the agent's `check` inside the lab's corporate namespace, wired to the lab DNS, proxy and PKI.
#   sudo lab/check.sh [--via direct|plain|tinyproxy|auth|auth-creds|bump] [--dns good|broken] [any other check option...]
# Defaults: --via plain --dns good --format table --timeout 3. Extra options go to `check` unchanged (e.g. --format json).
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
lab_need_root
[[ -r $LAB_STATE/env.sh ]] || lab_die "lab '$LAB_PREFIX' is not up; run 'sudo $LAB_DIR/up.sh' first"
source "$LAB_STATE/env.sh"

via=plain dns=good extra=()
while (($#)); do
  case $1 in
    --via) via=${2:?--via needs a value}; shift 2 ;;
    --dns) dns=${2:?--dns needs a value}; shift 2 ;;
    *) extra+=("$1"); shift ;;
  esac
done

args=(--trust-ca "$LAB_PUBLIC_ROOT" --expected-root "$LAB_PUBLIC_ROOT"
      --wildcard '*.blob.core.windows.net=lab.blob.core.windows.net' --blob-registry off)
case $dns in
  good) args+=(--dns-server "$LAB_DNS") ;;
  broken) args+=(--dns-server "$LAB_DNS_BROKEN") ;;
  *) lab_die "--dns must be good or broken (got '$dns')" ;;
esac
case $via in
  direct) ;;
  plain) args+=(--proxy "$LAB_PROXY") ;;
  tinyproxy) args+=(--proxy "$LAB_TINYPROXY") ;;
  auth) args+=(--proxy "$LAB_PROXY_AUTH") ;;
  auth-creds) args+=(--proxy "$LAB_PROXY_AUTH" --proxy-user "$LAB_PROXY_USER" --proxy-password "$LAB_PROXY_PASSWORD") ;;
  # Corporate machines trust the inspecting root; the probe must still see it is not an expected Microsoft root.
  bump) args+=(--proxy "$LAB_PROXY_BUMP" --trust-ca "$LAB_INSPECT_ROOT") ;;
  *) lab_die "--via must be direct, plain, tinyproxy, auth, auth-creds or bump (got '$via')" ;;
esac
has() { local o; for o in "${extra[@]}"; do [[ $o == "$1" ]] && return 0; done; return 1; }
has --timeout || args+=(--timeout 3)
has --appliance-vm-ip || args+=(--appliance-vm-ip "$LAB_APPLIANCE_VM_IP")
has --control-plane-ip || args+=(--control-plane-ip "$LAB_CONTROL_PLANE_IP")

repo=$(cd "$LAB_DIR/.." && pwd)
dll=${ARCBRIDGE_AGENT_DLL:-}
if [[ -z $dll ]]; then
  for c in Debug Release; do
    f="$repo/src/ArcBridgeDashboard.Agent/bin/$c/net10.0/arcbridge-agent.dll"
    [[ -f $f ]] && { dll=$f; break; }
  done
fi
if [[ -z $dll ]]; then
  lab_log "building the agent (src/ArcBridgeDashboard.Agent)"
  dotnet build "$repo/src/ArcBridgeDashboard.Agent" -v q -nologo >&2
  dll="$repo/src/ArcBridgeDashboard.Agent/bin/Debug/net10.0/arcbridge-agent.dll"
fi
exec ip netns exec "$LAB_NS_CORP" dotnet "$dll" check "${args[@]}" "${extra[@]}"
