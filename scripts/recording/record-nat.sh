#!/usr/bin/env bash
# Records real HTTP traffic through a host that translates addresses as Docker's published
# ports and a Kubernetes Service do, captured on every interface at once (`tcpdump -i any`):
# each connection is in the file twice, once as the client addressed it and once as it
# reached the server, and the packets of the two views differ in an address or a port
# (captures/README.md):
#   nat-any-sll2.pcap   the capture as tcpdump 4.99 writes it (LINUX_SLL2: each packet names
#                       its interface)
#   nat-any-sll.pcap    the same traffic recorded at the same time as older tcpdumps write it
#                       (LINUX_SLL, v1: no interface)
#   nat-nodeport-sll2.pcap  a second run, through a NodePort (below)
# The host is a namespace of its own (das-nat-host) with:
#   - a bridge (10.207.0.254/24, fd00:207::fe/64) and a "container" b on it (10.207.0.2,
#     fd00:207::2) serving HTTP (python3 -m http.server) on 9763;
#   - an outside client c, routed (10.208.0.1 and fd00:208::1; the host is 10.208.0.254 and
#     fd00:208::fe there);
#   - a "pod" d, routed (10.209.0.1; the host is 10.209.0.254).
# The translations, in the host's nat table (iptables and ip6tables):
#   - DNAT 10.208.0.254:19763 -> 10.207.0.2:9763 (`docker run -p 19763:9763`): 4 fetches by c;
#   - DNAT 10.208.0.254:9763  -> 10.207.0.2:9763 (`-p 9763:9763`, the port kept): 3 by c;
#   - DNAT [fd00:208::fe]:19763 -> [fd00:207::2]:9763 (IPv6): 2 by c;
#   - DNAT 10.96.0.10:80 -> 10.207.0.2:9763 (a Service's ClusterIP and port 80 in front of
#     targetPort 9763): 3 by d;
#   - MASQUERADE of b's connections out to c (c serves HTTP on 8080): 2 by b, which reach c
#     from 10.208.0.254 and a port of the host's choosing;
#   - and, untranslated, 2 fetches by c of b's 9763 directly (routed, no NAT).
# Then a second capture, nat-nodeport-sll2.pcap, as kube-proxy serves a NodePort: DNAT
# 10.208.0.254:30763 -> 10.207.0.2:9763 and MASQUERADE of what it marked (both endpoints
# translated: b sees the host's 10.207.0.254 as the client): 3 fetches by c.
# Snapshot length 128. Needs root (namespaces, iptables, tcpdump). Traffic stays in the
# namespaces.
# Usage: sudo scripts/recording/record-nat.sh [CAPTURES_DIR]
set -euo pipefail
out="${1:-$(cd "$(dirname "$0")/../.." && pwd)/captures}"
mkdir -p "$out"
command -v tcpdump >/dev/null && command -v curl >/dev/null && command -v iptables >/dev/null ||
  apt-get install -y -qq tcpdump curl iproute2 iptables
H=das-nat-host LINK=dsn
# shellcheck source=host-lab.sh
. "$(dirname "$0")/host-lab.sh"

in_ns "$H" sysctl -qw net.ipv4.ip_forward=1
in_ns "$H" sysctl -qw net.ipv6.conf.all.forwarding=1
in_ns "$H" ip link add dsnbr type bridge
in_ns "$H" ip addr add 10.207.0.254/24 dev dsnbr
in_ns "$H" ip addr add fd00:207::fe/64 dev dsnbr nodad
in_ns "$H" ip link set dsnbr up
for side in b c d; do add_side "$side"; done
in_ns "$H" ip link set dsnb master dsnbr
in_ns "$H-b" ip addr add 10.207.0.2/24 dev eth0
in_ns "$H-b" ip addr add fd00:207::2/64 dev eth0 nodad
in_ns "$H-b" ip route add default via 10.207.0.254
in_ns "$H-b" ip -6 route add default via fd00:207::fe
in_ns "$H" ip addr add 10.208.0.254/24 dev dsnc
in_ns "$H" ip addr add fd00:208::fe/64 dev dsnc nodad
in_ns "$H-c" ip addr add 10.208.0.1/24 dev eth0
in_ns "$H-c" ip addr add fd00:208::1/64 dev eth0 nodad
in_ns "$H-c" ip route add default via 10.208.0.254
in_ns "$H-c" ip -6 route add default via fd00:208::fe
in_ns "$H" ip addr add 10.209.0.254/24 dev dsnd
in_ns "$H-d" ip addr add 10.209.0.1/24 dev eth0
in_ns "$H-d" ip route add default via 10.209.0.254

in_ns "$H" iptables -t nat -A PREROUTING -d 10.208.0.254 -p tcp --dport 19763 -j DNAT --to-destination 10.207.0.2:9763
in_ns "$H" iptables -t nat -A PREROUTING -d 10.208.0.254 -p tcp --dport 9763 -j DNAT --to-destination 10.207.0.2:9763
in_ns "$H" iptables -t nat -A PREROUTING -d 10.96.0.10 -p tcp --dport 80 -j DNAT --to-destination 10.207.0.2:9763
in_ns "$H" iptables -t nat -A POSTROUTING -s 10.207.0.0/24 -o dsnc -j MASQUERADE
in_ns "$H" ip6tables -t nat -A PREROUTING -d fd00:208::fe -p tcp --dport 19763 -j DNAT --to-destination '[fd00:207::2]:9763'

serve_blob 16 b :: 9763
serve_blob 16 c 10.208.0.1 8080
sleep 2

record_any "$out/nat-any-sll2.pcap" LINUX_SLL2
record_any "$out/nat-any-sll.pcap" LINUX_SLL
sleep 2
fetch "$H-c" http://10.208.0.254:19763/blob 4
fetch "$H-c" http://10.208.0.254:9763/blob 3
fetch "$H-c" 'http://[fd00:208::fe]:19763/blob' 2
fetch "$H-d" http://10.96.0.10:80/blob 3
fetch "$H-b" http://10.208.0.1:8080/blob 2
fetch "$H-c" http://10.207.0.2:9763/blob 2
sleep 2
stop_recording

# kube-proxy's NodePort: mark, DNAT, and masquerade what was marked.
in_ns "$H" iptables -t nat -A PREROUTING -d 10.208.0.254 -p tcp --dport 30763 -j MARK --set-xmark 0x4000/0x4000
in_ns "$H" iptables -t nat -A PREROUTING -d 10.208.0.254 -p tcp --dport 30763 -j DNAT --to-destination 10.207.0.2:9763
in_ns "$H" iptables -t nat -I POSTROUTING -m mark --mark 0x4000/0x4000 -j MASQUERADE
record_any "$out/nat-nodeport-sll2.pcap" LINUX_SLL2
sleep 2
fetch "$H-c" http://10.208.0.254:30763/blob 3
sleep 2
stop_recording
for f in "$out"/nat-any-sll2.pcap "$out"/nat-any-sll.pcap "$out"/nat-nodeport-sll2.pcap; do
  capinfos -c -u "$f" 2>/dev/null | sed -n '2,3p' || ls -l "$f"
done
in_ns "$H" ip -o link show | awk '{print "interface", $1, $2}'
