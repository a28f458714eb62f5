#!/usr/bin/env bash
# Records real HTTP through a host that cuts the large segments it forwards (GSO), on every
# interface at once (`tcpdump -i any`, LINUX_SLL2), with enough traffic for the two things
# record-segmented.sh's three small fetches never showed (captures/README.md):
#   - the host receives the next large segment before it has sent all the pieces of the
#     last, and sends the pieces of both in turn, with the same acknowledgment number
#     (captures/segmented-interleaved-any-sll2.pcap);
#   - the server retransmits bytes the host already sent on as a piece, in a segment of one
#     piece's size: the same numbers, length and offloaded checksum as that piece
#     (captures/segmented-resent-any-sll2.pcap).
# Both depend on timing: in the recordings the committed files were cut from, each showed
# in about one run of four. The host is a namespace of its own ($LAB_HOST, default
# das-gso-fwd) routing between a client a (10.124.0.1 and fd00:124::1, behind
# "$LINK"a, whose offloads are off) and a server b (10.125.0.2 and fd00:125::2, behind
# "$LINK"b), which serves HTTP (python3 -m http.server) on 18083; a fetches a 2,930 KiB
# file over IPv4 and over IPv6, ROUNDS times each. b's veth hands the host segments of up to
# 64 KiB; the host cuts them into 1,448-byte (IPv4) or 1,428-byte (IPv6) pieces as it sends
# them out of "$LINK"a. Writes OUT_DIR/segmented-fetches-any-sll2.pcap (snapshot length
# 128) and lists each connection's packets: all of them, and those of b's link alone
# (ifindex of "$LINK"b), the count an audit must give. Cut a connection out with
# `tshark -r FILE -Y 'tcp.port==PORT' -F pcap -w CUT.pcap`. Needs root (namespaces,
# ethtool, tcpdump). Traffic stays in the namespaces.
# Usage: sudo scripts/recording/record-segmented-interleaved.sh [OUT_DIR] [ROUNDS]
set -euo pipefail
out="${1:-$(cd "$(dirname "$0")/../.." && pwd)/captures}"
rounds="${2:-3}"
mkdir -p "$out"
command -v tcpdump >/dev/null && command -v curl >/dev/null && command -v ethtool >/dev/null ||
  apt-get install -y -qq tcpdump curl iproute2 ethtool
H="${LAB_HOST:-das-gso-fwd}" LINK=gsf
# shellcheck source=host-lab.sh
. "$(dirname "$0")/host-lab.sh"

in_ns "$H" sysctl -qw net.ipv4.ip_forward=1
in_ns "$H" sysctl -qw net.ipv6.conf.all.forwarding=1
for side in a b; do add_side "$side"; done
for side in a b; do
  in_ns "$H-$side" sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.eth0.accept_dad=0
  in_ns "$H" sysctl -qw "net.ipv6.conf.$LINK$side.accept_dad=0"
done
route_sides 10.124 10.125 fd00:124 fd00:125
in_ns "$H" ethtool -K "$LINK"a tso off gso off >/dev/null

serve_blob 2930 b :: 18083
sleep 2

file="$out/segmented-fetches-any-sll2.pcap"
record_any "$file" LINUX_SLL2
sleep 2
for _ in $(seq "$rounds"); do
  in_ns "$H-a" curl -s -o /dev/null http://10.125.0.2:18083/blob
  in_ns "$H-a" curl -s -g -o /dev/null 'http://[fd00:125::2]:18083/blob'
  sleep 0.3
done
sleep 2
stop_recording
server_link=$(in_ns "$H" cat "/sys/class/net/${LINK}b/ifindex")
capinfos -c -u "$file" 2>/dev/null | sed -n '2,3p' || ls -l "$file"
for scope in "" "sll.ifindex == $server_link"; do
  echo "connections, ${scope:-every interface}:"
  tshark -r "$file" -q -z "conv,tcp${scope:+,$scope}" 2>/dev/null | sed -n '/<->/p'
done
in_ns "$H" ip -o link show | awk '{print "interface", $1, $2}'
