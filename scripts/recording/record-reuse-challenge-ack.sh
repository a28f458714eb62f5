#!/usr/bin/env bash
# Records captures/reuse-challenge-ack-veth.pcap: a client that reuses its 4-tuple at once,
# whose SYN meets the server's socket of the connection before (RFC 5961's challenge ACK).
#
#   sudo scripts/recording/record-reuse-challenge-ack.sh [OUTDIR]   # default: captures/
#
# Two hosts in network namespaces joined by a veth pair: the server 10.37.0.1 answers
# HTTP/1.0 on 9763 (carbon.http.port at offset 0) and closes first; the client 10.37.0.2
# binds port 40000 with SO_REUSEADDR for each of 8 connections, sends a GET, reads the
# answer and closes with SO_LINGER 0 (a RST with ACK, as load tools and pools that abort
# do). The server's nftables input drops those RSTs, as a lossy link may (tcpdump on the
# server's end captures them before the input hook), so the server's socket is still in
# FIN-WAIT-2 when the next SYN, a new initial sequence number, comes: it answers with a
# challenge ACK, the client answers that with a RST (no ACK) that the server takes, and
# sends its SYN again a second later, which the server answers. tcpdump -s 192.
#
# What the audit must say: Tests/EndToEndTests/ReusedTupleCaptureTests.swift.
# Needs root (ip netns, nft, tcpdump). Traffic stays inside the two namespaces it creates,
# which are removed on exit.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="$(realpath -m "${1:-$ROOT/captures}")"
A=dasaudit-reuse-s B=dasaudit-reuse-c SUBNET=10.37.0
mkdir -p "$OUT"
# shellcheck source=scripts/recording/netns-pair.sh
source "$ROOT/scripts/recording/netns-pair.sh"
ip netns exec "$A" nft -f - <<'NFT'
table inet dasaudit-lossy {
    chain input {
        type filter hook input priority 0;
        tcp sport 40000 tcp flags & (rst | ack) == rst | ack drop
    }
}
NFT

ip netns exec "$A" python3 "$ROOT/scripts/recording/reuse_tuple.py" serve "$SUBNET.1" &
pids+=($!)
wait_listening "$A" 9763
start_tcpdump "$A" "$WORK/tcpdump.log" -i va -s 192 -U -w "$WORK/reuse-challenge-ack-veth.pcap" tcp
pids+=("$tcpdump_pid")
ip netns exec "$B" python3 "$ROOT/scripts/recording/reuse_tuple.py" connect "$SUBNET.1" "$SUBNET.2" >&2
sleep 1
kill -INT "$tcpdump_pid"
wait "$tcpdump_pid" 2>/dev/null || true
cp "$WORK/reuse-challenge-ack-veth.pcap" "$OUT/"
printf '%s: %s\n' reuse-challenge-ack-veth.pcap "$(tail -n 3 "$WORK/tcpdump.log" | tr '\n' ' ')" >&2
