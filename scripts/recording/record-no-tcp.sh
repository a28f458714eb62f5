#!/usr/bin/env bash
# Records the two captures without a TCP segment that the no-traffic tests audit
# (Tests/Fixtures/no-tcp): real packets from the kernel, nothing hand-made.
#   udp-only-lo.pcap   UDP datagrams over loopback, recorded with `tcpdump -i lo`: what a
#                      capture filter too tight (or the wrong service) leaves.
#   arp-udp-veth.pcap  ARP, UDP and ICMP on a veth pair between two network namespaces:
#                      the wrong interface, where the cluster's TCP never passes.
#   sections-only.pcapng, sections-only-shb-options.pcapng
#                      what `editcap -r IN OUT 0` keeps of udp-only-lo.pcap, as such and
#                      first made a pcapng: a section header (with editcap's application
#                      option, for the second) and no interface. libpcap refuses to open
#                      it; tshark reads it as an empty capture, and so does dasaudit.
# Needs root (namespaces, tcpdump). Usage: sudo scripts/recording/record-no-tcp.sh
set -euo pipefail
out="$(cd "$(dirname "$0")/../.." && pwd)/Tests/Fixtures/no-tcp"
mkdir -p "$out"

send_udp() {  # send_udp ADDRESS PORT COUNT: COUNT datagrams, one every 50 ms
  python3 - "$@" <<'PY'
import socket, sys, time
address, port, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(count):
    s.sendto(b"dasaudit no-tcp %d" % i, (address, port))
    time.sleep(0.05)
PY
}

# 1. UDP on loopback: a listener on 127.0.0.1:7611 (thrift's port number, but UDP) and datagrams to it.
tcpdump -i lo -U -w "$out/udp-only-lo.pcap" 'udp and host 127.0.0.1' 2>/dev/null &
dump=$!
sleep 1
python3 -c 'import socket,time; s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM); s.bind(("127.0.0.1",7611)); time.sleep(2)' &
listener=$!
sleep 0.3
send_udp 127.0.0.1 7611 10
wait "$listener"
sleep 0.5
kill -INT "$dump"; wait "$dump" || true

# 2. ARP, UDP and ICMP between two namespaces joined by a veth pair.
a=dasaudit-notcp-a b=dasaudit-notcp-b
for ns in "$a" "$b"; do ip netns del "$ns" 2>/dev/null || true; done  # left by an earlier run
NAMESPACES=("$a" "$b")
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=scripts/recording/cleanup.sh
source "$here/cleanup.sh"
ip netns add "$a"; ip netns add "$b"
ip link add veth-notcp-a netns "$a" type veth peer name veth-notcp-b netns "$b"
ip -n "$a" addr add 10.231.7.1/24 dev veth-notcp-a; ip -n "$a" link set veth-notcp-a up
ip -n "$b" addr add 10.231.7.2/24 dev veth-notcp-b; ip -n "$b" link set veth-notcp-b up
ip netns exec "$a" tcpdump -i veth-notcp-a -U -w "$out/arp-udp-veth.pcap" 'not tcp and not ip6' 2>/dev/null &
dump=$!
sleep 1
# Nothing listens on 10.231.7.2:9: ARP to find it, then UDP answered by ICMP port unreachable.
ip netns exec "$a" bash -c "$(declare -f send_udp); send_udp 10.231.7.2 9 5"
sleep 0.5
kill -INT "$dump"; wait "$dump" || true

# 3. No packet kept: a section header only, no Interface Description Block.
editcap -r "$out/udp-only-lo.pcap" "$out/sections-only.pcapng" 0
scratch=$(mktemp -d)
editcap -F pcapng "$out/udp-only-lo.pcap" "$scratch/udp.pcapng"
editcap -r "$scratch/udp.pcapng" "$out/sections-only-shb-options.pcapng" 0
rm -r "$scratch"
capinfos -c "$out/sections-only.pcapng" "$out/sections-only-shb-options.pcapng"
tcpdump -nr "$out/udp-only-lo.pcap" | head -3
tcpdump -nr "$out/arp-udp-veth.pcap"
