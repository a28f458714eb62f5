#!/usr/bin/env bash
# Records real HTTP carried in VXLAN tunnels on the IANA port and on a port of the
# operator's choosing, recorded on a node's underlay interface (captures/README.md):
#   tunnel-vxlan-ports-underlay.pcap       whole packets: VXLAN on UDP 4789 over IPv4, on
#                                          UDP 9999 over IPv4 (a port only a declared
#                                          `--vxlan-port 9999` opens), and on 4789 over IPv6;
#                                          inner IPv4 and IPv6; and one fetch outside any tunnel
#   tunnel-vxlan-ports-underlay-s96.pcap   the same packets cut to 96 bytes (editcap -s 96):
#                                          every tunnelled segment cut before its inner TCP
#                                          header, the fetch outside a tunnel whole
#   tunnel-vxlan-ports-underlay-s128.pcap  cut to 128 bytes: only inner IPv6 over the IPv6
#                                          underlay (144 bytes of headers) is cut
# Nodes a and b are network namespaces (f28t-a, f28t-b) joined by a veth pair (underlay
# 10.220.0.1 and .2, fd00:220::1 and ::2), with three VXLAN devices each: vni 51 on UDP 4789
# (overlay 10.221.0.0/24, fd00:221::/64), vni 52 on UDP 9999 (10.222.0.0/24), vni 53 on UDP
# 4789 over the IPv6 underlay (10.223.0.0/24, fd00:223::/64). b serves HTTP
# (python3 -m http.server) on 9763, a DAS port, and on 31337, a rogue one; a fetches a small
# page from each port over each tunnel, over IPv6 inside the first and third, and once from
# 10.220.0.2:9763 outside any tunnel.
# Needs root (namespaces, tcpdump). Traffic stays in the namespaces.
# Usage: sudo scripts/recording/record-tunnel-ports.sh [CAPTURES_DIR]
set -euo pipefail
out="${1:-$(cd "$(dirname "$0")/../.." && pwd)/captures}"
mkdir -p "$out"
A=f28t-a
B=f28t-b
command -v tcpdump >/dev/null && command -v curl >/dev/null && command -v editcap >/dev/null ||
  apt-get install -y -qq tcpdump curl iproute2 wireshark-common

UNDERLAY=10.220.0
UNDERLAY6=fd00:220
# shellcheck source=vxlan-pair.sh
. "$(dirname "$0")/vxlan-pair.sh"

tunnel vx4789 51 4789 10.220.0.1 10.220.0.2 10.221.0 fd00:221
tunnel vx9999 52 9999 10.220.0.1 10.220.0.2 10.222.0
tunnel vx6 53 4789 fd00:220::1 fd00:220::2 10.223.0 fd00:223

mkdir -p "$work/site"
echo hello > "$work/site/index.html"
for port in 9763 31337; do
  (cd "$work/site" && exec ip netns exec "$B" python3 -m http.server "$port" --bind :: >/dev/null 2>&1) &
  pids="$pids $!"
done
sleep 2

whole="$out/tunnel-vxlan-ports-underlay.pcap"
ip netns exec "$A" tcpdump -i under -U -s 0 -w "$whole" 2>/dev/null &
t1=$!
sleep 3
for host in 10.221.0.2 '[fd00:221::2]' 10.222.0.2 10.223.0.2 '[fd00:223::2]'; do
  for port in 9763 31337; do in_ns "$A" curl -sg -o /dev/null "http://$host:$port/"; done
done
in_ns "$A" curl -s -o /dev/null http://10.220.0.2:9763/
sleep 2
kill -INT "$t1"; wait "$t1" || true
for length in 96 128; do
  editcap -F pcap -s "$length" "$whole" "${whole%.pcap}-s$length.pcap"
done
for file in "$whole" "${whole%.pcap}-s96.pcap" "${whole%.pcap}-s128.pcap"; do
  capinfos -c "$file" 2>/dev/null | grep "Number of packets" | sed "s|^|$(basename "$file"): |"
done
