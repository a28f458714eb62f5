#!/usr/bin/env bash
# Records captures/damaged-packets-veth.pcap: HTTP connections through a link that damages
# four of the client's packets (one bit flipped, the checksums left as they were), captured
# on the server's veth with checksum offload on, so that every packet the server sends
# carries the pseudo-header sum only (what offload leaves in a capture of a sending host).
#
#   sudo scripts/recording/record-damaged-packets.sh [OUTDIR]   # default: captures/
#
# Three network namespaces: the server 10.39.0.1 (python3 -m http.server on 9763,
# carbon.http.port at offset 0; interface va, transmit checksum offload on), the client
# 10.39.0.2 (interface vb; ten `curl` requests, one connection each), and between them a
# relay (damaging_relay.py) that forwards the frames and damages the client's 3rd FIN (a
# bit of the destination port: 9763 becomes 11811), its 5th packet with payload (a bit of
# its source port), its 20th bare ACK (a bit of the sequence number) and its 7th FIN (a bit
# of the IPv4 source address: the IPv4 header checksum is wrong). The server's kernel drops
# each of them and the client sends each FIN and payload again. tcpdump -s 0 on va.
#
# What the audit must say: Tests/EndToEndTests/DamagedPacketCaptureTests.swift.
# Needs root (ip netns, tcpdump, curl). Traffic stays inside the three namespaces it
# creates, which are removed on exit.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="$(realpath -m "${1:-$ROOT/captures}")"
S=dasaudit-damaged-s C=dasaudit-damaged-c M=dasaudit-damaged-m
NAMESPACES=("$S" "$C" "$M")
# shellcheck source=scripts/recording/namespaces.sh
source "$ROOT/scripts/recording/namespaces.sh"
mkdir -p "$OUT"
command -v tcpdump >/dev/null || apt-get install -y -qq tcpdump
command -v curl >/dev/null || apt-get install -y -qq curl

ip link add va netns "$S" type veth peer name ma netns "$M"
ip link add vb netns "$C" type veth peer name mb netns "$M"
ip -n "$S" addr add 10.39.0.1/24 dev va
ip -n "$C" addr add 10.39.0.2/24 dev vb
for link in "$S va" "$C vb" "$M ma" "$M mb"; do
    set -- $link
    ip -n "$1" link set dev "$2" up
    # Whole frames of at most one MTU for the relay; checksum offload on only where the
    # capture is taken (the server's sends).
    ip netns exec "$1" ethtool -K "$2" tso off gso off gro off tx off >/dev/null
done
ip netns exec "$S" ethtool -K va tx on >/dev/null
ip netns exec "$S" ethtool -k va | grep -E '^tx-checksumming' >&2

ip netns exec "$M" python3 "$ROOT/scripts/recording/damaging_relay.py" mb ma 9763 2>"$work/relay.log" &
pids+=($!)
mkdir "$work/site" && echo ok >"$work/site/index.html"
ip netns exec "$S" python3 -m http.server 9763 --bind 10.39.0.1 --directory "$work/site" >/dev/null 2>&1 &
pids+=($!)
for _ in $(seq 50); do
    ip netns exec "$S" ss -ltn "sport = :9763" | grep -q LISTEN && break
    sleep 0.1
done
ip netns exec "$S" tcpdump -i va -s 0 -U -w "$work/damaged-packets-veth.pcap" tcp 2>"$work/tcpdump.log" &
tcpdump_pid=$!
pids+=("$tcpdump_pid")
for _ in $(seq 50); do grep -q listening "$work/tcpdump.log" 2>/dev/null && break; sleep 0.1; done
for _ in $(seq 10); do
    ip netns exec "$C" curl -s -o /dev/null --max-time 20 http://10.39.0.1:9763/
done
sleep 1
kill -INT "$tcpdump_pid"
wait "$tcpdump_pid" 2>/dev/null || true
cat "$work/relay.log" >&2
ip netns exec "$S" nstat -az TcpInCsumErrors IpInHdrErrors IpInAddrErrors >&2 || true
cp "$work/damaged-packets-veth.pcap" "$OUT/"
printf '%s: %s\n' damaged-packets-veth.pcap "$(tail -n 3 "$work/tcpdump.log" | tr '\n' ' ')" >&2
