# Network namespaces for a recording, and what to clean up after it. Sourced, with
# NAMESPACES set (an array of names, each starting dasaudit-): adds each namespace with its
# loopback up. Sets work (a temporary directory) and pids (an array of processes to stop;
# a string of them, `pids="$pids $!"`, works too); on exit, however the script ends, the
# processes are stopped and the namespaces and the directory removed. Defines
# wait_listening and start_tcpdump (below) for the recordings.
# Needs root (ip netns).
work=$(mktemp -d)
pids=()

cleanup() {
  local pid name
  # Unquoted: pids may hold one string of several numbers.
  for pid in ${pids[@]+${pids[@]}}; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  for name in "${NAMESPACES[@]}"; do ip netns del "$name" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

add_namespaces() {
  local name
  for name in "${NAMESPACES[@]}"; do
    ip netns add "$name"
    ip -n "$name" link set lo up
  done
}
add_namespaces

# wait_listening NS PORT...: waits (5 s at most each) until namespace NS listens on each TCP PORT.
wait_listening() {
  local ns=$1 port
  shift
  for port in "$@"; do
    for _ in $(seq 50); do
      ip netns exec "$ns" ss -ltn "sport = :$port" | grep -q LISTEN && break
      sleep 0.1
    done
  done
}

# start_tcpdump NS LOG TCPDUMP_ARGS...: starts tcpdump in namespace NS, its messages to LOG,
# and waits (5 s at most) until it listens; its process id is in $tcpdump_pid.
start_tcpdump() {
  local ns=$1 log=$2
  shift 2
  ip netns exec "$ns" tcpdump "$@" 2>"$log" &
  tcpdump_pid=$!
  for _ in $(seq 50); do
    grep -q listening "$log" 2>/dev/null && break
    sleep 0.1
  done
}
