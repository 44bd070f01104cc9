#!/usr/bin/env bash
# Tear the lab down: sudo lab/down.sh. Safe when nothing is up.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
source "$LAB_DIR/lib/run.sh"
lab_need_root
lab_stop_all
for ns in "$LAB_NS_CORP" "$LAB_NS_INET"; do
  if ip netns list | grep -qw "$ns"; then ip netns del "$ns"; fi   # takes its veth, dummy and nft table along
  rm -rf "/etc/netns/$ns"
done
case $LAB_STATE in
  /run/*-lab|/tmp/*) rm -rf "$LAB_STATE" ;;
  *) rm -rf "$LAB_STATE/pids" "$LAB_STATE/env.sh" ;;   # a custom state dir: remove only what marks the lab as up
esac
rmdir /etc/netns 2>/dev/null || true   # only when no other namespace config is left
lab_log "down"
