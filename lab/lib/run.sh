# Starting and stopping lab daemons: each runs in the foreground of its namespace, its pid and log in the state dir.

# lab_start NAME NETNS CMD...: start CMD inside NETNS, pid -> $LAB_STATE/pids/NAME.pid, output -> logs/NAME.log
lab_start() {
  local name=$1 ns=$2; shift 2
  mkdir -p "$LAB_STATE/pids" "$LAB_STATE/logs"
  setsid ip netns exec "$ns" "$@" >"$LAB_STATE/logs/$name.log" 2>&1 </dev/null &
  echo $! > "$LAB_STATE/pids/$name.pid"
}

# lab_wait_listen NAME NETNS PROTO ADDR:PORT: wait at most 10 s for a listening socket, else fail loudly.
lab_wait_listen() {
  local name=$1 ns=$2 proto=$3 addr=$4 i flag=-ltnH
  [[ $proto == udp ]] && flag=-lunH
  for ((i = 0; i < 100; i++)); do
    if ip netns exec "$ns" ss $flag "src $addr" 2>/dev/null | grep -q .; then return 0; fi
    local pid; pid=$(cat "$LAB_STATE/pids/$name.pid" 2>/dev/null || true)
    if [[ -n $pid ]] && ! kill -0 "$pid" 2>/dev/null; then break; fi
    sleep 0.1
  done
  echo "lab[$LAB_PREFIX]: ERROR: $name did not listen on $proto $addr in $ns within 10 s; log $LAB_STATE/logs/$name.log:" >&2
  tail -n 20 "$LAB_STATE/logs/$name.log" >&2 2>/dev/null || true
  return 1
}

# lab_stop_all: TERM every recorded daemon, wait at most 5 s, then KILL what is left.
lab_stop_all() {
  local f pid pids=() i
  for f in "$LAB_STATE"/pids/*.pid; do
    [[ -e $f ]] || continue
    pid=$(cat "$f" 2>/dev/null || true)
    [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null && pids+=("$pid")
  done
  ((${#pids[@]})) || return 0
  kill -TERM "${pids[@]}" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do
    local alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    ((alive)) || return 0
    sleep 0.1
  done
  kill -KILL "${pids[@]}" 2>/dev/null || true
}

# lab_all_alive: true when every recorded daemon still runs.
lab_all_alive() {
  local f n=0
  for f in "$LAB_STATE"/pids/*.pid; do
    [[ -e $f ]] || return 1
    kill -0 "$(cat "$f")" 2>/dev/null || return 1
    n=$((n + 1))
  done
  ((n > 0))
}
