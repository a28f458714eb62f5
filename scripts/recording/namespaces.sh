# Network namespaces for a recording, and what to clean up after it. Sourced, with
# NAMESPACES set (an array of names, each starting dasaudit-): adds each namespace with its
# loopback up. Sets work (a temporary directory) and pids (an array of processes to stop;
# a string of them, `pids="$pids $!"`, works too); on exit, however the script ends, the
# processes are stopped and the namespaces and the directory removed.
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
