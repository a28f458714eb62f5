# Two nodes in network namespaces joined by an underlay veth pair, with Linux VXLAN
# devices between them, for the recordings of an overlay seen on its underlay
# (record-tunnels.sh, record-tunnel-ports.sh). Sourced, with A and B (the namespace names),
# UNDERLAY (such as 10.210.0) and UNDERLAY6 (such as fd00:210) set: node a is UNDERLAY.1 and
# UNDERLAY6::1 on interface `under` in A, node b .2 and ::2 in B, segmentation offloads off
# so that each capture holds the packets as they went over the wire. Defines
# `tunnel NAME VNI PORT LOCAL_A LOCAL_B SUBNET [PREFIX6]` (a VXLAN device on UDP PORT in
# both, overlay SUBNET.1 and .2, PREFIX6::1 and ::2) and `in_ns`. Sets work (a temporary
# directory) and pids (processes to stop); on exit both, and the namespaces, are removed.
# Needs root (ip netns).
in_ns() { local ns="$1"; shift; ip netns exec "$ns" "$@"; }
work=$(mktemp -d)
pids=""
cleanup() {
  for pid in $pids; do kill "$pid" 2>/dev/null || true; done
  ip netns del "$A" 2>/dev/null || true
  ip netns del "$B" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

ip netns add "$A"
ip netns add "$B"
ip link add under netns "$A" type veth peer name under netns "$B"
n=1
for ns in "$A" "$B"; do
  in_ns "$ns" ip link set lo up
  in_ns "$ns" ip addr add "$UNDERLAY.$n/24" dev under
  in_ns "$ns" ip addr add "$UNDERLAY6::$n/64" dev under nodad
  in_ns "$ns" ip link set under up
  in_ns "$ns" ethtool -K under tso off gso off gro off 2>/dev/null || true
  n=$((n + 1))
done

# name, vni, UDP port, underlay of a and b, overlay IPv4 subnet, overlay IPv6 prefix (or "")
tunnel() {
  local name=$1 vni=$2 port=$3 la=$4 lb=$5 subnet=$6 v6=${7:-}
  # The overlay's MTU leaves room for the outer headers (50 bytes over IPv4, 70 over IPv6),
  # as flannel and Docker set it: no outer packet is fragmented.
  local mtu=1450; [[ $la == *:* ]] && mtu=1430
  in_ns "$A" ip link add "$name" mtu "$mtu" type vxlan id "$vni" dstport "$port" local "$la" remote "$lb"
  in_ns "$B" ip link add "$name" mtu "$mtu" type vxlan id "$vni" dstport "$port" local "$lb" remote "$la"
  n=1
  for ns in "$A" "$B"; do
    in_ns "$ns" ip addr add "$subnet.$n/24" dev "$name"
    [ -n "$v6" ] && in_ns "$ns" ip addr add "$v6::$n/64" dev "$name" nodad
    in_ns "$ns" ip link set "$name" up
    in_ns "$ns" ethtool -K "$name" tso off gso off gro off 2>/dev/null || true
    n=$((n + 1))
  done
}
