# Two hosts in network namespaces joined by a veth pair, for the recordings that capture
# one exchange at both of its ends (record-both-ends.sh, record-fleet.sh). Sourced, with
# A and B (the namespace names) and SUBNET (such as 10.77.0) set: host a is SUBNET.1 on
# interface va in namespace A, host b SUBNET.2 on vb in B, segmentation offloads off so
# that each capture holds the segments as they went over the wire. Sets WORK (a temporary
# directory, also `work`) and pids (processes to stop); on exit both, and the namespaces,
# are removed (namespaces.sh). Needs root (ip netns).
NAMESPACES=("$A" "$B")
# shellcheck source=scripts/recording/namespaces.sh
source "$(dirname "${BASH_SOURCE[0]}")/namespaces.sh"
WORK=$work

command -v tcpdump >/dev/null || apt-get install -y tcpdump
ip link add va netns "$A" type veth peer name vb netns "$B"
ip -n "$A" addr add "$SUBNET.1/24" dev va
ip -n "$B" addr add "$SUBNET.2/24" dev vb
ip -n "$A" link set va up
ip -n "$B" link set vb up
ip netns exec "$A" ethtool -K va tso off gso off gro off 2>/dev/null || true
ip netns exec "$B" ethtool -K vb tso off gso off gro off 2>/dev/null || true
