#!/usr/bin/env bash
# Records real HTTP through a host that publishes a container's port, runs a Service of two
# containers and masquerades its containers' connections, captured at three points at once,
# for `dasaudit merge` (docs/merge.md, "Address translation between capture points";
# captures/README.md):
#   nat-merge-host-sll2.pcap       the translating host, `tcpdump -i any` (each translated
#                                  connection in it twice, before and after translation)
#   nat-merge-client-sll2.pcap     the outside host b, `tcpdump -i any`: the published port and
#                                  the Service as b addressed them, and the masqueraded
#                                  connections as they left the host
#   nat-merge-container-eth.pcap   container c's own interface, `tcpdump -i eth0`: its
#                                  connections out as it made them, before masquerade
# The host is a namespace of its own (LAB_HOST, default das-natm-host) with:
#   - a bridge (10.227.0.254/24) and two "containers" on it, c (10.227.0.2) and d
#     (10.227.0.3), each serving HTTP (python3 -m http.server) on 9763;
#   - an outside host b, routed (10.228.0.1; the host is 10.228.0.254 there), serving HTTP
#     on 9763 too.
# The translations, in the host's nat table:
#   - DNAT 10.228.0.254:19763 -> 10.227.0.2:9763 (`docker run -p 19763:9763`): 3 fetches by b;
#   - DNAT 10.96.0.10:80 -> 10.227.0.2:9763 and 10.227.0.3:9763, every other connection
#     (a Service's ClusterIP in front of two pods, as kube-proxy's iptables mode balances):
#     4 fetches by b, which routes 10.96.0.0/16 through the host;
#   - MASQUERADE of the containers' connections out to b: 2 fetches by c of b's 9763;
#   - and, untranslated, 1 fetch by b of c's 9763 directly (routed).
# Snapshot length 128. Needs root (namespaces, iptables, tcpdump). Traffic stays in the
# namespaces, which are removed on exit.
# Usage: sudo [LAB_HOST=NAME] scripts/recording/record-nat-merge.sh [CAPTURES_DIR]
set -euo pipefail
out="${1:-$(cd "$(dirname "$0")/../.." && pwd)/captures}"
mkdir -p "$out"
command -v tcpdump >/dev/null && command -v curl >/dev/null && command -v iptables >/dev/null ||
  apt-get install -y -qq tcpdump curl iproute2 iptables
H=${LAB_HOST:-das-natm-host} LINK=dnm
# shellcheck source=host-lab.sh
. "$(dirname "$0")/host-lab.sh"

in_ns "$H" sysctl -qw net.ipv4.ip_forward=1
in_ns "$H" ip link add "${LINK}br" type bridge
in_ns "$H" ip addr add 10.227.0.254/24 dev "${LINK}br"
in_ns "$H" ip link set "${LINK}br" up
for side in b c d; do add_side "$side"; done
for side in c d; do
  in_ns "$H" ip link set "$LINK$side" master "${LINK}br"
  in_ns "$H-$side" ip addr add "10.227.0.$([ "$side" = c ] && echo 2 || echo 3)/24" dev eth0
  in_ns "$H-$side" ip route add default via 10.227.0.254
done
in_ns "$H" ip addr add 10.228.0.254/24 dev "${LINK}b"
in_ns "$H-b" ip addr add 10.228.0.1/24 dev eth0
in_ns "$H-b" ip route add 10.227.0.0/24 via 10.228.0.254
in_ns "$H-b" ip route add 10.96.0.0/16 via 10.228.0.254

in_ns "$H" iptables -t nat -A PREROUTING -d 10.228.0.254 -p tcp --dport 19763 -j DNAT --to-destination 10.227.0.2:9763
in_ns "$H" iptables -t nat -A PREROUTING -d 10.96.0.10 -p tcp --dport 80 -m statistic --mode nth --every 2 --packet 0 \
  -j DNAT --to-destination 10.227.0.2:9763
in_ns "$H" iptables -t nat -A PREROUTING -d 10.96.0.10 -p tcp --dport 80 -j DNAT --to-destination 10.227.0.3:9763
in_ns "$H" iptables -t nat -A POSTROUTING -s 10.227.0.0/24 -o "${LINK}b" -j MASQUERADE

serve_blob 4 b 0.0.0.0 9763
serve_blob 4 c 0.0.0.0 9763
serve_blob 4 d 0.0.0.0 9763
sleep 2

record_any "$out/nat-merge-host-sll2.pcap" LINUX_SLL2
ip netns exec "$H-b" tcpdump -i any -y LINUX_SLL2 -U -s 128 -w "$out/nat-merge-client-sll2.pcap" tcp 2>/dev/null &
recorders="$recorders $!"
ip netns exec "$H-c" tcpdump -i eth0 -U -s 128 -w "$out/nat-merge-container-eth.pcap" tcp 2>/dev/null &
recorders="$recorders $!"
sleep 2
fetch "$H-b" http://10.228.0.254:19763/blob 3
fetch "$H-b" http://10.96.0.10:80/blob 4
fetch "$H-c" http://10.228.0.1:9763/blob 2
fetch "$H-b" http://10.227.0.2:9763/blob 1
sleep 2
stop_recording
for f in nat-merge-host-sll2 nat-merge-client-sll2; do capinfos -c -u "$out/$f.pcap" 2>/dev/null | sed -n '2,3p' || true; done
capinfos -c -u "$out/nat-merge-container-eth.pcap" 2>/dev/null | sed -n '2,3p' || true
in_ns "$H" ip -o link show | awk '{print "host interface", $1, $2}'
in_ns "$H-b" ip -o link show | awk '{print "b interface", $1, $2}'
