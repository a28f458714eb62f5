#!/usr/bin/env bash
# Records captures/frag-router-veth.pcap and frag-nmap-f-veth.pcap (real IP fragments),
# and makes frag-tiny-scapy.pcap, frag6-scapy.pcap and vlan-prio0-scapy.pcap from real
# captures with scapy:
#
#   sudo scripts/recording/record-fragments.sh [OUTDIR]   # default: captures/ (about 20 s)
#
# NETNS_PREFIX names the three namespaces (default fr-rec: fr-rec-c, fr-rec-r, fr-rec-s).
#
# A client c (10.79.1.1) reaches a server s (10.79.2.2) through a router r whose link to s
# has an MTU of 576; s advertises the MSS of a 1,500-byte path all the same (its route's
# advmss, as a host behind a tunnel it does not know of), c and s do no path MTU discovery
# (ip_no_pmtu_disc, so DF is clear), and r fragments what c sends that does not fit. s serves HTTP on 9763 (a DAS node's
# HTTP port at offset 0) and on 31337 (a rogue web server) with a small Python server that
# reads the request's body; recorded on s's interface:
#
# - frag-router-veth.pcap: c fetches a page from 9763, then uploads 20,000 bytes to 31337
#   (curl --data-binary): each of c's 1,448-byte segments reaches s as three fragments.
# - frag-nmap-f-veth.pcap: `nmap -sS -f -p 1-100,9763,31337` from c: every SYN in 8-byte
#   fragments (RFC 1858's tiny fragments: the first holds the ports, not the flags), the
#   answers whole.
#
# Made with scapy (python3-scapy) from real captures, so that their figures can be checked
# against tshark's:
# - frag-tiny-scapy.pcap: frag-router-veth.pcap with every packet c sent whole cut into
#   8-byte fragments (scapy's fragment(fragsize=8)): no first fragment holds a whole TCP
#   header (r's fragments stay as they were).
# - frag6-scapy.pcap: captures/dual-stack-7613-veth.pcap with every IPv6 packet longer
#   than 600 bytes cut into fragments of at most 600 (scapy's fragment6).
# - vlan-prio0-scapy.pcap: frag-router-veth.pcap with every frame given an 802.1Q priority
#   tag (VLAN id 0, priority 3), which is no VLAN.
#
# What the audit must say: Tests/EndToEndTests/FragmentCaptureTests.swift.
# Needs root (ip netns, tcpdump, nmap's raw packets). Traffic stays inside the three
# namespaces it creates, which are removed on exit.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="$(realpath -m "${1:-$ROOT/captures}")"
P=${NETNS_PREFIX:-fr-rec}
C=$P-c R=$P-r S=$P-s
command -v nmap >/dev/null && command -v curl >/dev/null && /usr/bin/python3 -c "import scapy" 2>/dev/null \
    || apt-get install -y -q nmap curl python3-scapy >/dev/null
mkdir -p "$OUT"
here="$ROOT/scripts/recording"
NAMESPACES=("$C" "$R" "$S")
# shellcheck source=scripts/recording/namespaces.sh
source "$here/namespaces.sh"
WORK=$work
ip link add fc netns "$C" type veth peer name fr1 netns "$R"
ip link add fr2 netns "$R" type veth peer name fs netns "$S"
ip -n "$C" addr add 10.79.1.1/24 dev fc
ip -n "$R" addr add 10.79.1.254/24 dev fr1
ip -n "$R" addr add 10.79.2.254/24 dev fr2
ip -n "$S" addr add 10.79.2.2/24 dev fs
ip -n "$R" link set fr2 mtu 576
ip -n "$S" link set fs mtu 576
for pair in "$C:fc" "$R:fr1" "$R:fr2" "$S:fs"; do
    ip -n "${pair%%:*}" link set "${pair##*:}" up
    ip netns exec "${pair%%:*}" ethtool -K "${pair##*:}" tso off gso off gro off 2>/dev/null || true
done
ip -n "$C" route add 10.79.2.0/24 via 10.79.1.254
# s advertises the MSS of a 1,500-byte path (advmss): the narrow link is one it does not
# know of, as behind a tunnel, so c sends segments that r must cut.
ip -n "$S" route add default via 10.79.2.254 advmss 1460
ip netns exec "$R" sysctl -qw net.ipv4.ip_forward=1
ip netns exec "$C" sysctl -qw net.ipv4.ip_no_pmtu_disc=1
ip netns exec "$S" sysctl -qw net.ipv4.ip_no_pmtu_disc=1

cat > "$WORK/server.py" <<'PY'
import http.server, sys
class Handler(http.server.BaseHTTPRequestHandler):
    def reply(self, body):
        self.send_response(200); self.send_header("Content-Length", str(len(body))); self.end_headers()
        self.wfile.write(body)
    def do_GET(self): self.reply(b"<html>das</html>\n")
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0))); self.reply(b"stored\n")
    def log_message(self, *args): pass
http.server.ThreadingHTTPServer(("10.79.2.2", int(sys.argv[1])), Handler).serve_forever()
PY
for port in 9763 31337; do
    ip netns exec "$S" python3 "$WORK/server.py" "$port" & pids+=($!)
done
for port in 9763 31337; do
    for _ in $(seq 50); do ip netns exec "$S" ss -ltn "sport = :$port" | grep -q LISTEN && break; sleep 0.1; done
done

# record NAME COMMAND...: COMMAND run in c while s's interface is recorded.
record() {
    local name=$1; shift
    ip netns exec "$S" tcpdump -U -i fs -w "$OUT/$name" tcp 2>/dev/null & local dump=$!
    sleep 1.5
    ip netns exec "$C" "$@"
    sleep 1
    kill -INT "$dump"; wait "$dump" 2>/dev/null || true
}
head -c 20000 /dev/zero | tr '\0' 'x' > "$WORK/upload"
record frag-router-veth.pcap bash -c "curl -s -o /dev/null http://10.79.2.2:9763/index.html && \
    curl -s -o /dev/null --data-binary @$WORK/upload http://10.79.2.2:31337/upload"
record frag-nmap-f-veth.pcap nmap -sS -f -n -Pn -p 1-100,9763,31337 10.79.2.2 -oN "$WORK/nmap.txt"
grep -E "open|closed" "$WORK/nmap.txt" | head -5

/usr/bin/python3 - "$OUT" "$ROOT/captures/dual-stack-7613-veth.pcap" <<'PY'
import sys
from scapy.all import rdpcap, wrpcap, Ether, IP, IPv6, IPv6ExtHdrFragment, Dot1Q, fragment, fragment6
out, dual = sys.argv[1:3]
def make(name, packets, change):
    made = []
    for packet in packets:
        for piece in change(packet):
            piece.time = packet.time; made.append(piece)
    wrpcap(f"{out}/{name}", made)
router = rdpcap(f"{out}/frag-router-veth.pcap")
def tiny(p):
    # What r already cut stays as it is: only c's whole packets are cut again.
    if IP not in p or p[IP].src != "10.79.1.1" or p[IP].frag != 0 or p[IP].flags.MF: return [p]
    ip = p[IP].copy(); ip.flags = 0
    return [Ether(src=p.src, dst=p.dst) / f for f in fragment(ip, fragsize=8)]
make("frag-tiny-scapy.pcap", router, tiny)
ident = [1000]
def six(p):
    if IPv6 not in p or len(p[IPv6]) <= 600: return [p]
    ip6 = p[IPv6].copy(); payload = ip6.payload; ip6.remove_payload(); ip6.nh = None; ip6.plen = None
    ident[0] += 1
    pieces = fragment6(ip6 / IPv6ExtHdrFragment(id=ident[0]) / payload, 600)
    made = []
    for piece in pieces:
        piece = IPv6(bytes(piece)); piece.nh = 44  # scapy 2.5 leaves 0 (hop-by-hop) there
        made.append(Ether(src=p.src, dst=p.dst) / IPv6(bytes(piece)))
    return made
make("frag6-scapy.pcap", rdpcap(dual), six)
make("vlan-prio0-scapy.pcap", router, lambda p: [Ether(src=p.src, dst=p.dst) / Dot1Q(vlan=0, prio=3) / p.payload])
PY
ls -l "$OUT"/frag-*.pcap "$OUT"/vlan-prio0-scapy.pcap
