#!/usr/bin/env bash
# Records captures/snaplen-cut-v6-veth-s64.pcap: HTTP over IPv4 and over IPv6 through a veth
# pair, captured at the server with `tcpdump -s 64`, the shortest snapshot length
# `dasaudit live --snaplen` takes. 64 bytes hold Ethernet (14), IPv4 (20) and TCP's fixed
# header (20), but over IPv6 (40) only the first 10 bytes of TCP: every IPv6 segment is
# cut before the end of its TCP header, and the service it reached is missing from the
# audit. One more packet is short as it was sent, not cut: an IPv4 header whose total
# length (60) promises a TCP header the frame does not hold, sent whole with scapy.
#
#   sudo scripts/recording/record-snaplen-cut.sh [OUTDIR]   # default: captures/
#
# Network namespaces dasaudit-snapcut-s (server, 10.35.1.1 and fd35:1::1) and
# dasaudit-snapcut-c (client, 10.35.1.2 and fd35:1::2). The server runs python3 -m
# http.server on 10.35.1.1:9763 (carbon.http.port at offset 0: expected) and on
# [fd35:1::1]:8888 (no catalog port: a rogue service, HIGH when seen); curl fetches each
# three times. tcpdump -s 64 on the server's end.
#
# What the audit must say: Tests/EndToEndTests/SnaplenCutCaptureTests.swift.
# Needs root (ip netns, tcpdump), curl and python3 with scapy. Traffic stays inside the two
# namespaces it creates, which are removed on exit.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="$(realpath -m "${1:-$ROOT/captures}")"
A=dasaudit-snapcut-s B=dasaudit-snapcut-c SUBNET=10.35.1
mkdir -p "$OUT"
# shellcheck source=scripts/recording/netns-pair.sh
source "$ROOT/scripts/recording/netns-pair.sh"
ip -n "$A" addr add fd35:1::1/64 dev va nodad
ip -n "$B" addr add fd35:1::2/64 dev vb nodad
mkdir -p "$WORK/www" && echo hello >"$WORK/www/index.html"
(cd "$WORK/www" && exec ip netns exec "$A" python3 -m http.server 9763 --bind 10.35.1.1 >/dev/null 2>&1) &
pids+=($!)
(cd "$WORK/www" && exec ip netns exec "$A" python3 -m http.server 8888 --bind fd35:1::1 >/dev/null 2>&1) &
pids+=($!)
wait_listening "$A" 9763 8888
start_tcpdump "$A" "$WORK/tcpdump.log" -i va -s 64 -U -w "$WORK/snaplen-cut-v6-veth-s64.pcap"
pids+=("$tcpdump_pid")
for _ in 1 2 3; do
    ip netns exec "$B" curl -s -o /dev/null http://10.35.1.1:9763/
    ip netns exec "$B" curl -s -o /dev/null 'http://[fd35:1::1]:8888/'
done
# The short packet, sent whole: 14 + 20 bytes, the IPv4 header claiming 60.
ip netns exec "$B" python3 -c '
from scapy.all import Ether, IP, sendp, get_if_hwaddr
frame = Ether(src=get_if_hwaddr("vb"), dst="ff:ff:ff:ff:ff:ff") / IP(src="10.35.1.2", dst="10.35.1.1", proto=6, len=60)
sendp(frame, iface="vb", verbose=False)'
sleep 1
kill -INT "$tcpdump_pid"
wait "$tcpdump_pid" 2>/dev/null || true
cp "$WORK/snaplen-cut-v6-veth-s64.pcap" "$OUT/"
printf '%s: %s\n' snaplen-cut-v6-veth-s64.pcap "$(tail -n 3 "$WORK/tcpdump.log" | tr '\n' ' ')" >&2
