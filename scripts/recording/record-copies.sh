#!/usr/bin/env bash
# Records real HTTP traffic through a host that bridges and routes, captured on every
# interface at once (`tcpdump -i any`), so that a forwarded packet is in the file once per
# interface it crossed (captures/README.md):
#   copies-any-sll2.pcap   the capture as tcpdump 4.99 writes it (LINUX_SLL2: each packet
#                          names its interface)
#   copies-any-sll.pcap    the same traffic recorded at the same time as older tcpdumps
#                          write it (LINUX_SLL, v1: only the packet type, no interface)
#   copies-dumpcap.pcapng  a second run of the traffic (three fetches from a, three from
#                          c, IPv4), recorded by dumpcap on the host's three veth ends at
#                          once: Ethernet, one Interface Description Block each, and
#                          packets that do not say which interface they came from to libpcap
#                          (`dasaudit audit --deduplicate`)
# The host is a namespace of its own (das-copies-host) with a bridge (10.205.0.254/24,
# fd00:205::fe/64) and two namespaces on it (a: 10.205.0.1, fd00:205::1; b: 10.205.0.2,
# fd00:205::2), and a routed namespace c (10.206.0.1, via 10.206.0.254 on the host).
# b serves HTTP (python3 -m http.server) on port 9763; a fetches a 64 KiB file five times
# over IPv4 and three times over IPv6 (two copies of every packet: into the bridge port,
# out of the other port); c fetches it five times over IPv4 (three copies of a request
# packet: in from c, out of the bridge, out of b's port; and of an answer packet: in from
# b's port, up the bridge, out to c). Snapshot length 128.
# Needs root (namespaces, tcpdump). Traffic stays in the namespaces.
# Usage: sudo scripts/recording/record-copies.sh [CAPTURES_DIR]
set -euo pipefail
out="${1:-$(cd "$(dirname "$0")/../.." && pwd)/captures}"
mkdir -p "$out"
command -v tcpdump >/dev/null && command -v curl >/dev/null && command -v dumpcap >/dev/null ||
  apt-get install -y -qq tcpdump curl iproute2 wireshark-common
H=das-copies-host LINK=dascp
# shellcheck source=host-lab.sh
. "$(dirname "$0")/host-lab.sh"

in_ns "$H" sysctl -qw net.ipv4.ip_forward=1
in_ns "$H" ip link add dascpbr type bridge
in_ns "$H" ip addr add 10.205.0.254/24 dev dascpbr
in_ns "$H" ip addr add fd00:205::fe/64 dev dascpbr nodad
in_ns "$H" ip link set dascpbr up
for side in a b c; do add_side "$side"; done
for side in a b; do in_ns "$H" ip link set "dascp$side" master dascpbr; done
in_ns "$H-a" ip addr add 10.205.0.1/24 dev eth0
in_ns "$H-a" ip addr add fd00:205::1/64 dev eth0 nodad
in_ns "$H-b" ip addr add 10.205.0.2/24 dev eth0
in_ns "$H-b" ip addr add fd00:205::2/64 dev eth0 nodad
in_ns "$H-b" ip route add default via 10.205.0.254
in_ns "$H" ip addr add 10.206.0.254/24 dev dascpc
in_ns "$H-c" ip addr add 10.206.0.1/24 dev eth0
in_ns "$H-c" ip route add default via 10.206.0.254

serve_blob 64 b :: 9763
sleep 2

record_any "$out/copies-any-sll2.pcap" LINUX_SLL2
record_any "$out/copies-any-sll.pcap" LINUX_SLL
sleep 2
fetch "$H-a" http://10.205.0.2:9763/blob 5
fetch "$H-a" 'http://[fd00:205::2]:9763/blob' 3
fetch "$H-c" http://10.205.0.2:9763/blob 5
sleep 2
stop_recording

ip netns exec "$H" dumpcap -q -i dascpa -s 128 -f tcp -i dascpb -s 128 -f tcp -i dascpc -s 128 -f tcp -w "$out/copies-dumpcap.pcapng" 2>/dev/null &
dump=$!
sleep 3
fetch "$H-a" http://10.205.0.2:9763/blob 3
fetch "$H-c" http://10.205.0.2:9763/blob 3
sleep 2
kill -INT "$dump"; wait "$dump" || true
for f in "$out"/copies-any-sll2.pcap "$out"/copies-any-sll.pcap "$out"/copies-dumpcap.pcapng; do
  capinfos -c -u "$f" 2>/dev/null | sed -n '2,3p' || ls -l "$f"
done
in_ns "$H" ip -o link show | awk '{print "interface", $1, $2}'
