#!/usr/bin/env bash
# Records captures/scan-ack-random-g7613-veth.pcap: an ACK scan whose probes each carry an
# acknowledgment number of their own (hping3 draws one per probe, where nmap's -sA, -sW
# and -sM send one for all), sent from 7613 (thrift.tcp.port at offset 2), next to real use
# of a port.
#
#   sudo scripts/recording/record-scan-ack-random.sh [OUTDIR]   # default: captures/ (about 5 s)
#
# Two hosts in network namespaces joined by a veth pair: b (10.83.0.2) serves HTTP on 9765
# (carbon.http.port at offset 2, Python's http.server); a (10.83.0.1) fetches a page from it
# with curl, then scans ports 1-30 of b with `hping3 -A -s 7613 -k -p ++1 -c 30`: bare ACKs
# from source port 7613, each with a random sequence and acknowledgment number, which b's
# kernel answers with a RST at the probe's acknowledgment number. tcpdump -s 192 on b's end.
#
# What the audit must say: Tests/EndToEndTests/ScanLookalikeCaptureTests.swift.
# Needs root (ip netns, tcpdump, hping3, curl). Traffic stays inside the two namespaces it
# creates, which are removed on exit.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="$(realpath -m "${1:-$ROOT/captures}")"
A=dasaudit-ackrand-a B=dasaudit-ackrand-b
NAMESPACES=("$A" "$B")
# shellcheck source=scripts/recording/namespaces.sh
source "$ROOT/scripts/recording/namespaces.sh"
mkdir -p "$OUT"
for tool in tcpdump hping3 curl; do command -v "$tool" >/dev/null || apt-get install -y -qq "$tool"; done

ip link add va netns "$A" type veth peer name vb netns "$B"
ip -n "$A" addr add 10.83.0.1/24 dev va
ip -n "$B" addr add 10.83.0.2/24 dev vb
ip -n "$A" link set va up
ip -n "$B" link set vb up
mkdir "$work/site" && echo ok >"$work/site/index.html"
ip netns exec "$B" python3 -m http.server 9765 --bind 10.83.0.2 --directory "$work/site" >/dev/null 2>&1 &
pids+=($!)
wait_listening "$B" 9765
start_tcpdump "$B" "$work/tcpdump.log" -i vb -s 192 -U -w "$work/scan-ack-random-g7613-veth.pcap" tcp
pids+=("$tcpdump_pid")
ip netns exec "$A" curl -s -o /dev/null --max-time 5 http://10.83.0.2:9765/
ip netns exec "$A" hping3 -A -s 7613 -k -p ++1 -c 30 -i u20000 10.83.0.2 >"$work/hping3.log" 2>&1 || true
sleep 1
kill -INT "$tcpdump_pid"
wait "$tcpdump_pid" 2>/dev/null || true
tail -n 3 "$work/hping3.log" >&2
cp "$work/scan-ack-random-g7613-veth.pcap" "$OUT/"
printf '%s: %s\n' scan-ack-random-g7613-veth.pcap "$(tail -n 3 "$work/tcpdump.log" | tr '\n' ' ')" >&2
