#!/usr/bin/env bash
# Records real nmap scans (Debian's nmap) for the port-scan tests (captures/README.md):
#   scan-syn-connect-lo.pcap   on loopback: a SYN scan (-sS) of 127.0.0.1 ports 9000-11999
#                              and a connect scan (-sT) of 127.0.0.2 ports 20000-21999;
#                              listeners on 127.0.0.1:9443, :9763, :11111 and 127.0.0.2:20100
#                              (`tcpdump -i lo`).
#   scan-netns-veth.pcap       hosts in a network namespace of its own (veth pair,
#                              10.203.0.1 = scanner, 10.203.0.2-.21 = 20 addresses in the
#                              namespace): a SYN scan of 10.203.0.2 and 10.203.0.3, ports
#                              9000-9999, then a horizontal SYN sweep of port 9999 across
#                              all 20 addresses (`tcpdump -i` the host's end of the pair).
#   scan-two-scanners-veth.pcap two scanners of the same host, over the same pair: SYN scans
#                              of 10.203.0.2 by 10.203.0.1 (ports 9000-9599) and then by
#                              10.203.0.250 (`nmap -S`, ports 9300-9999): 300 ports both
#                              tried, so neither scan may claim the other's refusals or time.
#   scan-duplicated-any.pcap   a SYN scan through a bridge, recorded on every interface at
#                              once (`tcpdump -i any`): two namespaces (10.204.0.1 the
#                              scanner, 10.204.0.2 the target) on veth pairs to a bridge, so
#                              each packet is seen twice, on both bridge ports. A SYN scan of
#                              ports 9000-9999; a listener on 9443. Every refusal's RST comes
#                              twice: the second must not make the closed port look open.
# With BIG=DIR it also records, into DIR (not the repository: about 300,000 packets), the
# issue's size benchmark: SYN scans of 127.0.0.1 and 127.0.0.2, all 65,535 ports, and a
# 20,000-port connect scan of 127.0.0.3 (`scan-big-lo.pcap`).
# Needs root (namespaces, raw sockets, tcpdump). Traffic stays on lo and the veth pair.
# Usage: sudo scripts/recording/record-scans.sh [CAPTURES_DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out="${1:-$here/../../captures}"
mkdir -p "$out"
NS=dasaudit-scan
command -v nmap >/dev/null || apt-get install -y -qq nmap tcpdump iproute2

listen() {  # listen [NETNS] ADDRESS:PORT...: accept and close until killed
  local ns=()
  if [ "$1" != "-" ]; then ns=(ip netns exec "$1"); fi
  shift
  "${ns[@]}" python3 - "$@" >/dev/null 2>&1 <<'PY' &
import socket, sys, selectors
sel = selectors.DefaultSelector()
for spec in sys.argv[1:]:
    host, port = spec.rsplit(":", 1)
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((host, int(port))); s.listen(256); sel.register(s, selectors.EVENT_READ)
while True:
    for key, _ in sel.select():
        conn, _ = key.fileobj.accept(); conn.close()
PY
  echo $!
}

NAMESPACES=("$NS" "$NS-a" "$NS-b")
# shellcheck source=scripts/recording/cleanup.sh
source "$here/cleanup.sh"
at_exit 'ip link del dasscan0; ip link del dasdupbr'

record() {  # record FILE INTERFACE FILTER COMMAND...: runs COMMAND under tcpdump
  local file="$1" iface="$2" filter="$3"; shift 3
  tcpdump -i "$iface" -U -s 128 -w "$file" "$filter" 2>/dev/null &
  local dump=$!
  sleep 1
  "$@" >/dev/null
  sleep 1
  kill -INT "$dump"; wait "$dump" || true
}

# 1. Loopback: SYN scan and connect scan.
pids="$pids $(listen - 127.0.0.1:9443 127.0.0.1:9763 127.0.0.1:11111 127.0.0.2:20100)"
sleep 0.5
record "$out/scan-syn-connect-lo.pcap" lo tcp sh -c '
  nmap -n -Pn -sS -T4 -p 9000-11999 127.0.0.1
  nmap -n -Pn -sT -T4 -p 20000-21999 127.0.0.2'

# 2. Hosts in a namespace of their own, over a veth pair.
ip netns add "$NS"
ip link add dasscan0 type veth peer name dasscan1
ip link set dasscan1 netns "$NS"
ip addr add 10.203.0.1/24 dev dasscan0
ip link set dasscan0 up
ip -n "$NS" link set lo up
for i in $(seq 2 21); do ip -n "$NS" addr add "10.203.0.$i/24" dev dasscan1; done
ip -n "$NS" link set dasscan1 up
pids="$pids $(listen "$NS" 10.203.0.2:9443 10.203.0.2:9763 10.203.0.3:9443)"
sleep 1
record "$out/scan-netns-veth.pcap" dasscan0 tcp sh -c '
  nmap -n -Pn -sS -T4 -p 9000-9999 10.203.0.2-3
  nmap -n -Pn -sS -T4 -p 9999 10.203.0.2-21'

# 3. Two scanners of the same ports, one after the other.
ip addr add 10.203.0.250/24 dev dasscan0
sleep 1
record "$out/scan-two-scanners-veth.pcap" dasscan0 tcp sh -c '
  nmap -n -Pn -sS -T4 -p 9000-9599 10.203.0.2
  nmap -n -Pn -sS -T4 -S 10.203.0.250 -e dasscan0 -p 9300-9999 10.203.0.2'

# 4. Every packet twice: a scan through a bridge, recorded on all interfaces.
ip link add dasdupbr type bridge
ip link set dasdupbr up
for side in a b; do
  ip netns add "$NS-$side"
  ip link add "dasdup$side" type veth peer name "dasdup${side}1"
  ip link set "dasdup${side}1" netns "$NS-$side"
  ip link set "dasdup$side" master dasdupbr
  ip link set "dasdup$side" up
  ip -n "$NS-$side" link set lo up
  ip -n "$NS-$side" link set "dasdup${side}1" up
done
ip -n "$NS-a" addr add 10.204.0.1/24 dev dasdupa1
ip -n "$NS-b" addr add 10.204.0.2/24 dev dasdupb1
pids="$pids $(listen "$NS-b" 10.204.0.2:9443)"
sleep 2
record "$out/scan-duplicated-any.pcap" any 'tcp and net 10.204.0.0/24' \
  ip netns exec "$NS-a" nmap -n -Pn -sS -T4 -p 9000-9999 10.204.0.2

# 5. The size benchmark (optional, outside the repository).
if [ -n "${BIG:-}" ]; then
  mkdir -p "$BIG"
  pids="$pids $(listen - 127.0.0.3:20100 127.0.0.3:20200)"
  sleep 0.5
  record "$BIG/scan-big-lo.pcap" lo tcp sh -c '
    nmap -n -Pn -sS -T5 -p 1-65535 127.0.0.1 127.0.0.2
    nmap -n -Pn -sT -T5 -p 20000-39999 127.0.0.3'
fi
for f in "$out"/scan-*.pcap ${BIG:+"$BIG"/scan-big-lo.pcap}; do capinfos -c -u "$f" | sed -n '2,3p'; done
