# A host in a network namespace of its own with "sides": a namespace per side, each joined
# to the host by a veth pair, for the recordings made on every interface of a host that
# bridges, routes or translates (record-copies.sh, record-nat.sh). Sourced, with H (the
# host namespace's name) and LINK (the prefix of the host's ends of the veth pairs) set.
# Gives in_ns NAMESPACE COMMAND... and add_side SIDE (namespace "$H-SIDE", whose eth0 is the
# host's "$LINK"SIDE; both up). Sets work (a temporary directory) and pids (processes to
# stop, space-separated); on exit both, and every namespace added, are removed. Needs root.
in_ns() { local ns="$1"; shift; ip netns exec "$ns" "$@"; }
work=$(mktemp -d)
pids=""
lab_namespaces=()
cleanup() {
  for pid in ${pids:-}; do kill "$pid" 2>/dev/null || true; done
  for ns in "${lab_namespaces[@]}"; do ip netns del "$ns" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

ip netns add "$H"
lab_namespaces+=("$H")
in_ns "$H" ip link set lo up

add_side() {
  local side="$1"
  ip netns add "$H-$side"
  lab_namespaces+=("$H-$side")
  in_ns "$H-$side" ip link set lo up
  ip -n "$H" link add "$LINK$side" type veth peer name eth0 netns "$H-$side"
  ip -n "$H" link set "$LINK$side" up
  ip -n "$H-$side" link set eth0 up
}
