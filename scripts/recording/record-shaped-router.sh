#!/usr/bin/env bash
# Records captures/shaped-router-any-sll2.pcap: HTTP through a router whose link to the
# client is shaped, captured on every interface of the router at once (`tcpdump -i any`),
# so that each forwarded packet is in the file twice, the second copy up to hundreds of
# milliseconds after the first.
#
#   sudo scripts/recording/record-shaped-router.sh [CAPTURES_DIR]   # default: captures/
#
# The router is a namespace of its own (dasaudit-shaped, forwarding on) with two sides:
# a, the server, 10.138.0.1 (python3 -m http.server on 9763, a 128 KiB /blob), and b, the
# client, 10.139.0.2. The router's end of b's link sends through tbf at 4 Mbit/s with a
# queue of up to 400 ms (`tc qdisc add dev dasshpb root tbf rate 4mbit burst 16kb latency
# 400ms`), as a traffic-shaped or congested uplink does; b fetches /blob twice at once, so
# the queue fills. tcpdump captures a packet sent on a link after its queue, so each
# answer packet is captured on the server's side when it arrives and on the client's side
# when the queue lets it go. Segmentation offloads are off on every end. Snapshot length 128.
#
# What the audit must say: Tests/EndToEndTests/InterfaceCopiesCaptureTests.swift.
# Needs root (namespaces, tc, tcpdump, curl). Traffic stays in the namespaces.
set -euo pipefail
out="$(realpath -m "${1:-$(cd "$(dirname "$0")/../.." && pwd)/captures}")"
mkdir -p "$out"
command -v tcpdump >/dev/null && command -v curl >/dev/null || apt-get install -y -qq tcpdump curl iproute2
H=dasaudit-shaped LINK=dasshp
# shellcheck source=host-lab.sh
. "$(dirname "$0")/host-lab.sh"

in_ns "$H" sysctl -qw net.ipv4.ip_forward=1
for side in a b; do add_side "$side"; done
route_sides 10.138 10.139 fd00:138 fd00:139
for side in a b; do
  in_ns "$H" ethtool -K "$LINK$side" tso off gso off gro off >/dev/null 2>&1 || true
  in_ns "$H-$side" ethtool -K eth0 tso off gso off gro off >/dev/null 2>&1 || true
done
in_ns "$H" tc qdisc add dev "${LINK}b" root tbf rate 4mbit burst 16kb latency 400ms

serve_blob 128 a 10.138.0.1 9763
sleep 2
record_any "$out/shaped-router-any-sll2.pcap" LINUX_SLL2
sleep 2
fetch "$H-b" http://10.138.0.1:9763/blob 1 &
fetch "$H-b" http://10.138.0.1:9763/blob 1
wait %2 2>/dev/null || true
sleep 2
stop_recording
