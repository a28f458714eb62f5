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
