#!/usr/bin/env bash
# Records real HTTP through a host that cuts the large segments it forwards (GSO: the
# interface it sends them out of has TCP segmentation offload turned off), captured on every
# interface at once (`tcpdump -i any`): each large segment is in the file once as received
# and again as its MTU-sized pieces (captures/README.md):
#   segmented-any-sll2.pcap  as tcpdump 4.99 writes it (LINUX_SLL2)
#   segmented-any-sll.pcap   the same traffic recorded at the same time (LINUX_SLL, v1)
# The host is a namespace of its own (das-gso-host) routing between a client a
# (10.215.0.1, behind dsga, whose offloads are off) and a server b (10.216.0.2, behind
# dsgb), which serves HTTP (python3 -m http.server) on 9763; a fetches a 256 KiB file three
# times. b's veth hands the host segments of up to 64 KiB; the host cuts them as it sends
# them out of dsga. Snapshot length 128. Needs root (namespaces, ethtool, tcpdump). Traffic
# stays in the namespaces.
# Usage: sudo scripts/recording/record-segmented.sh [CAPTURES_DIR]
set -euo pipefail
out="${1:-$(cd "$(dirname "$0")/../.." && pwd)/captures}"
mkdir -p "$out"
command -v tcpdump >/dev/null && command -v curl >/dev/null && command -v ethtool >/dev/null ||
  apt-get install -y -qq tcpdump curl iproute2 ethtool
H=das-gso-host LINK=dsg
# shellcheck source=host-lab.sh
. "$(dirname "$0")/host-lab.sh"

in_ns "$H" sysctl -qw net.ipv4.ip_forward=1
for side in a b; do add_side "$side"; done
in_ns "$H" ip addr add 10.215.0.254/24 dev dsga
in_ns "$H" ip addr add 10.216.0.254/24 dev dsgb
in_ns "$H-a" ip addr add 10.215.0.1/24 dev eth0
in_ns "$H-a" ip route add default via 10.215.0.254
in_ns "$H-b" ip addr add 10.216.0.2/24 dev eth0
in_ns "$H-b" ip route add default via 10.216.0.254
in_ns "$H" ethtool -K dsga tso off gso off >/dev/null

serve_blob 256 b 10.216.0.2 9763
sleep 2

record_any "$out/segmented-any-sll2.pcap" LINUX_SLL2
record_any "$out/segmented-any-sll.pcap" LINUX_SLL
sleep 2
fetch "$H-a" http://10.216.0.2:9763/blob 3
sleep 2
stop_recording
for f in "$out"/segmented-any-sll2.pcap "$out"/segmented-any-sll.pcap; do
  capinfos -c -u "$f" 2>/dev/null | sed -n '2,3p' || ls -l "$f"
done
in_ns "$H" ip -o link show | awk '{print "interface", $1, $2}'
