#!/usr/bin/env bash
# Records real HTTP traffic carried in VXLAN tunnels, as a capture on a cluster node's
# physical interface sees an overlay network (Docker Swarm, Kubernetes with flannel or
# Cilium, an AWS VPC traffic mirror): every TCP segment inside UDP (captures/README.md):
#   tunnel-vxlan-underlay.pcap      the underlay interface of node a (Ethernet, whole
#                                   packets): VXLAN on UDP 4789 (IANA) and on 8472 (Linux's
#                                   default and flannel's), over IPv4, and on 4789 over IPv6;
#                                   inner IPv4 and IPv6
#   tunnel-vxlan-underlay-s96.pcap  the same traffic at snapshot length 96, recorded at the
#                                   same time: 50 bytes of outer headers leave no room for
#                                   an inner TCP header, so every segment is cut
#   tunnel-vxlan-overlay.pcap       the same traffic on node a's three VXLAN devices at the
#                                   same time (dumpcap, pcapng, one interface each): the
#                                   inner frames as the nodes saw them, the truth the
#                                   decapsulated underlay must equal
#   tunnel-vxlan-any.pcap           node a with `tcpdump -i any` (LINUX_SLL2): each segment
#                                   once on a VXLAN device and once encapsulated on the
#                                   underlay, the two copies of one packet
# Nodes a and b are network namespaces joined by a veth pair (underlay 10.210.0.1 and .2,
# fd00:210::1 and ::2). Each has three VXLAN devices to the other: vni 42 on UDP 4789
# (overlay 10.211.0.0/24 and fd00:211::/64), vni 43 on UDP 8472 (10.212.0.0/24), vni 44 on
# UDP 4789 over the IPv6 underlay (10.213.0.0/24), each with an MTU that leaves room for
# the outer headers. b serves HTTP (python3 -m http.server)
# on port 9763 on every overlay address; a fetches a 64 KiB file over each overlay (IPv6
# too), and tries port 9443, where nothing listens (refused), over the first.
# Needs root (namespaces, tcpdump, dumpcap). Traffic stays in the namespaces.
# Usage: sudo scripts/recording/record-tunnels.sh [CAPTURES_DIR]
set -euo pipefail
out="${1:-$(cd "$(dirname "$0")/../.." && pwd)/captures}"
mkdir -p "$out"
A=das-tunnel-a
B=das-tunnel-b
command -v tcpdump >/dev/null && command -v curl >/dev/null && command -v dumpcap >/dev/null ||
  apt-get install -y -qq tcpdump curl iproute2 wireshark-common

UNDERLAY=10.210.0
UNDERLAY6=fd00:210
# shellcheck source=vxlan-pair.sh
. "$(dirname "$0")/vxlan-pair.sh"

tunnel vx4789 42 4789 10.210.0.1 10.210.0.2 10.211.0 fd00:211
tunnel vx8472 43 8472 10.210.0.1 10.210.0.2 10.212.0
tunnel vx6 44 4789 fd00:210::1 fd00:210::2 10.213.0

mkdir -p "$work/site"
python3 -c 'import sys; sys.stdout.buffer.write(bytes(range(256)) * 256)' > "$work/site/blob"
(cd "$work/site" && exec ip netns exec "$B" python3 -m http.server 9763 --bind :: >/dev/null 2>&1) &
pids="$pids $!"
sleep 2

ip netns exec "$A" tcpdump -i under -U -s 0 -w "$out/tunnel-vxlan-underlay.pcap" 2>/dev/null &
t1=$!
ip netns exec "$A" tcpdump -i under -U -s 96 -w "$out/tunnel-vxlan-underlay-s96.pcap" 2>/dev/null &
t2=$!
ip netns exec "$A" dumpcap -q -i vx4789 -i vx8472 -i vx6 -w "$out/tunnel-vxlan-overlay.pcapng" 2>/dev/null &
t3=$!
ip netns exec "$A" tcpdump -i any -y LINUX_SLL2 -U -s 0 -w "$out/tunnel-vxlan-any.pcap" 2>/dev/null &
t4=$!
sleep 3
for i in 1 2 3; do in_ns "$A" curl -s -o /dev/null http://10.211.0.2:9763/blob; done
for i in 1 2; do in_ns "$A" curl -s -o /dev/null 'http://[fd00:211::2]:9763/blob'; done
for i in 1 2; do in_ns "$A" curl -s -o /dev/null http://10.212.0.2:9763/blob; done
for i in 1 2; do in_ns "$A" curl -s -o /dev/null http://10.213.0.2:9763/blob; done
in_ns "$A" curl -s -o /dev/null --max-time 3 http://10.211.0.2:9443/ || true
sleep 2
kill -INT "$t1" "$t2" "$t3" "$t4"; wait "$t1" "$t2" "$t3" "$t4" || true
for f in underlay underlay-s96 overlay any; do
  file="$out/tunnel-vxlan-$f.pcap"; [ -f "$file" ] || file="$file"ng
  capinfos -c "$file" 2>/dev/null | grep "Number of packets" | sed "s|^|$(basename "$file"): |"
done
