# A host in a network namespace of its own with "sides": a namespace per side, each joined
# to the host by a veth pair, for the recordings made on every interface of a host that
# bridges, routes or translates (record-copies.sh, record-nat.sh, record-segmented.sh). Sourced, with H (the
# host namespace's name) and LINK (the prefix of the host's ends of the veth pairs) set.
# Gives in_ns NAMESPACE COMMAND... and add_side SIDE (namespace "$H-SIDE", whose eth0 is the
# host's "$LINK"SIDE; both up); route_sides, serve_blob, fetch, record_any and
# stop_recording (below).
# Sets work (a temporary directory) and pids (processes to stop, space-separated); on exit
# both, and every namespace added, are removed (cleanup.sh). Needs root.
in_ns() { local ns="$1"; shift; ip netns exec "$ns" "$@"; }
# shellcheck source=scripts/recording/cleanup.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/cleanup.sh"

ip netns add "$H"
NAMESPACES+=("$H")
in_ns "$H" ip link set lo up

add_side() {
  local side="$1"
  ip netns add "$H-$side"
  NAMESPACES+=("$H-$side")
  in_ns "$H-$side" ip link set lo up
  ip -n "$H" link add "$LINK$side" type veth peer name eth0 netns "$H-$side"
  ip -n "$H" link set "$LINK$side" up
  ip -n "$H-$side" link set eth0 up
}

# route_sides A4 B4 A6 B6: the host routes between sides a and b (both added): a is
# A4.0.1/24 and A6::1/64, b is B4.0.2/24 and B6::2/64, each routed through the host's end of
# its link (A4.0.254 and A6::fe, B4.0.254 and B6::fe); e.g. route_sides 10.124 10.125
# fd00:124 fd00:125. Forwarding is the caller's to turn on.
route_sides() {
  local side net4 net6 host
  for side in a b; do
    if [ "$side" = a ]; then net4=$1 net6=$3 host=1; else net4=$2 net6=$4 host=2; fi
    in_ns "$H" ip addr add "$net4.0.254/24" dev "$LINK$side"
    in_ns "$H" ip addr add "$net6::fe/64" dev "$LINK$side" nodad
    in_ns "$H-$side" ip addr add "$net4.0.$host/24" dev eth0
    in_ns "$H-$side" ip addr add "$net6::$host/64" dev eth0 nodad
    in_ns "$H-$side" ip route add default via "$net4.0.254"
    in_ns "$H-$side" ip -6 route add default via "$net6::fe"
  done
}

# serve_blob KIB SIDE BIND PORT: HTTP (python3 -m http.server) from side SIDE's namespace on
# BIND:PORT, serving /blob, KIB KiB of the bytes 0-255 over and over.
serve_blob() {
  local kib="$1" side="$2" bind="$3" port="$4"
  mkdir -p "$work/site"
  python3 -c "import sys; sys.stdout.buffer.write(bytes(range(256)) * 4 * $kib)" > "$work/site/blob"
  (cd "$work/site" && exec ip netns exec "$H-$side" python3 -m http.server "$port" --bind "$bind" >/dev/null 2>&1) &
  pids="$pids $!"
}

# fetch NAMESPACE URL N: N fetches of URL from NAMESPACE, the bodies thrown away.
fetch() { local ns="$1" url="$2" n="$3"; for _ in $(seq "$n"); do in_ns "$ns" curl -s -o /dev/null "$url"; done; }

# record_any FILE LINKTYPE: tcpdump -i any on the host, TCP at snapshot length 128, in the
# cooked header LINKTYPE (LINUX_SLL2, LINUX_SLL), written to FILE until stop_recording.
recorders=""
record_any() {
  ip netns exec "$H" tcpdump -i any -y "$2" -U -s 128 -w "$1" tcp 2>/dev/null &
  recorders="$recorders $!"
}

# stop_recording: ends the recordings record_any started, their files whole.
stop_recording() {
  # shellcheck disable=SC2086  # the pids are words
  kill -INT $recorders; wait $recorders || true
  recorders=""
}
