#!/usr/bin/env bash
# Records captures/damaged-teardown-veth.pcap: three HTTP/1.1 connections that go on after
# a FIN or RST of theirs arrived damaged (its TCP checksum wrong), as a faulty link or NIC
# would deliver it; the receiving kernel drops such a segment, so for both hosts it never
# happened.
#
#   sudo scripts/recording/record-damaged-teardown.sh [OUTDIR]   # default: captures/ (about 35 s)
#
# Two network namespaces joined by a veth pair: the server 10.39.2.1
# (damaged_teardown.py serve on 9763, carbon.http.port at offset 0; interface va) and the
# client 10.39.2.2 (damaged_teardown.py client; interface vb). Receive checksum offload is
# off on both ends, so that each kernel checks the sums of what it receives (a veth
# otherwise takes a packet without a sum as checked); transmit offload is off at the
# client, so its packets carry whole sums, and on at the server, whose packets carry the
# pseudo-header sum where the capture is taken. Each connection makes a request; then
# the client forges segments of it with scapy at the connection's next numbers and a wrong
# checksum, waits, makes a second request and closes:
#
#   1. the client's RST/ACK, then 11 s (an ended connection quiet for longer than the
#      audit's 5 s linger, on its 5 s sweep grid, is let go), then the second request and FINs;
#   2. the client's FIN/ACK and the server's FIN/ACK (sent from the server's namespace),
#      then 11 s, the second request and FINs;
#   3. the client's RST/ACK, then 1 s and the second request; the capture stops while the
#      connection is still open.
#
# nstat in each namespace shows the drops (TcpInCsumErrors: 3 at the server, 1 at the
# client). tcpdump -s 0 on va. What the audit must say:
# Tests/EndToEndTests/DamagedTeardownCaptureTests.swift.
# Needs root (ip netns, tcpdump, scapy). Traffic stays inside the two namespaces it creates,
# which are removed on exit.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="$(realpath -m "${1:-$ROOT/captures}")"
S=dasaudit-dmgend-s C=dasaudit-dmgend-c
NAMESPACES=("$S" "$C")
# shellcheck source=scripts/recording/namespaces.sh
source "$ROOT/scripts/recording/namespaces.sh"
mkdir -p "$OUT"
command -v tcpdump >/dev/null || apt-get install -y -qq tcpdump
python3 -c 'import scapy' 2>/dev/null || pip install -q scapy

ip link add va netns "$S" type veth peer name vb netns "$C"
ip -n "$S" addr add 10.39.2.1/24 dev va
ip -n "$C" addr add 10.39.2.2/24 dev vb
ip -n "$S" link set dev va up
ip -n "$C" link set dev vb up
ip netns exec "$S" ethtool -K va rx off >/dev/null
ip netns exec "$C" ethtool -K vb rx off tx off >/dev/null

helper="$ROOT/scripts/recording/damaged_teardown.py"
ip netns exec "$S" python3 "$helper" serve 10.39.2.1 9763 >"$work/ready" &
pids+=($!)
until grep -q READY "$work/ready" 2>/dev/null; do sleep 0.1; done
mkfifo "$work/server-sends"
ip netns exec "$S" python3 "$helper" send-from-server "$work/server-sends" &
pids+=($!)
start_tcpdump "$S" "$work/tcpdump.log" -i va -s 0 -U -w "$work/damaged-teardown-veth.pcap" tcp
pids+=("$tcpdump_pid")
ip netns exec "$C" python3 "$helper" client vb 10.39.2.1 9763 "$work/server-sends" >"$work/client.out" &
client_pid=$!
pids+=("$client_pid")
until grep -q HELD "$work/client.out" 2>/dev/null; do kill -0 "$client_pid" || exit 1; sleep 0.1; done
sleep 0.5
kill -INT "$tcpdump_pid"
wait "$tcpdump_pid" 2>/dev/null || true
wait "$client_pid"
echo "server:" >&2; ip netns exec "$S" nstat -az TcpInCsumErrors >&2 || true
echo "client:" >&2; ip netns exec "$C" nstat -az TcpInCsumErrors >&2 || true
cp "$work/damaged-teardown-veth.pcap" "$OUT/"
printf '%s: %s\n' damaged-teardown-veth.pcap "$(tail -n 3 "$work/tcpdump.log" | tr '\n' ' ')" >&2
