#!/usr/bin/env bash
# Records one connection at both of its ends over staggered windows, as the nodes of a
# fleet start and stop capturing at different moments: the client's host captures from
# before the connection opens to before it closes, the server's from after it opened to
# after it closed.
#
#   sudo scripts/recording/record-staggered-ends.sh [OUTDIR]   # default: captures/
#
# Writes OUTDIR/staggered-ends-client-eth.pcap (host a, 10.80.0.1: the handshake, then
# tcpdump stopped 4 s in) and OUTDIR/staggered-ends-server-eth.pcap (host b, 10.80.0.2:
# started 2 s in, without the handshake, to after the close). b serves an echo server on
# thrift.tcp.port 7611; a holds one connection to it for 6 s, 100 bytes each way every
# 0.5 s, then closes it (nodes_clients.py hold). Each capture alone: a has it open at its
# end, b mid-stream and closed. Tests/EndToEndTests/StaggeredEndsMergeTests.swift merges
# their results.
#
# Needs root (ip netns) and tcpdump. Traffic stays inside the two namespaces it creates,
# which are removed on exit.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="$(realpath -m "${1:-$ROOT/captures}")"
PY=/usr/bin/python3
A=dasaudit-stag-a B=dasaudit-stag-b SUBNET=10.80.0
mkdir -p "$OUT"
# shellcheck source=scripts/recording/netns-pair.sh
source "$ROOT/scripts/recording/netns-pair.sh"

ip netns exec "$B" "$PY" "$ROOT/scripts/recording/das_scenario.py" serve echo "$SUBNET.2" 7611 >/dev/null 2>&1 &
pids+=($!)
wait_listening "$B" 7611
start_tcpdump "$A" "$WORK/tcpdump-a.log" -i va -s 0 -U -w "$WORK/a.pcap" tcp
pids+=("$tcpdump_pid"); capture_a=$tcpdump_pid
ip netns exec "$A" "$PY" "$ROOT/scripts/recording/nodes_clients.py" hold "$SUBNET.2" 7611 6 &
client=$!
sleep 2
start_tcpdump "$B" "$WORK/tcpdump-b.log" -i vb -s 0 -U -w "$WORK/b.pcap" tcp
pids+=("$tcpdump_pid"); capture_b=$tcpdump_pid
sleep 2
kill -INT "$capture_a"; wait "$capture_a" 2>/dev/null || true
wait "$client"
sleep 1
kill -INT "$capture_b"; wait "$capture_b" 2>/dev/null || true
cp "$WORK/a.pcap" "$OUT/staggered-ends-client-eth.pcap"
cp "$WORK/b.pcap" "$OUT/staggered-ends-server-eth.pcap"
tail -n 3 "$WORK/tcpdump-a.log" "$WORK/tcpdump-b.log" >&2
