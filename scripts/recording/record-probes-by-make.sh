#!/usr/bin/env bash
# Records the cases that how a bare ACK was made (TCPSegment.looksHandMade: no TCP option,
# and no DF in IPv4) read wrong before December 7, 2026: raw-socket scans from a service's
# port that set DF or add a timestamp option, and a server's IPv6 keep-alives from a stack
# without TCP timestamps; beside them nmap's IPv6 ACK scan from the same port.
#
#   sudo scripts/recording/record-probes-by-make.sh [OUTDIR]   # default: captures/ (about 30 s)
#
# NETNS_A and NETNS_B name the two namespaces (default dasaudit-pbm-a and dasaudit-pbm-b).
#
# Two hosts in network namespaces joined by a veth pair (netns-pair.sh): b (10.85.0.2,
# fd85::2) is a DAS node at offset 2 with HTTP on 9765 (Python's http.server) and a line
# server on the thrift port 7613 (keepalive_server.py: TCP keep-alive every second after
# 2 s idle); a (10.85.0.1, fd85::1) is the client and the scanner. Recorded on b's end of
# the pair, -s 192 (no payload is needed):
#
# - scan-ack-df-random-g7613-veth.pcap: a fetches a page from 9765 with curl, then
#   `hping3 -A -y -s 7613 -k -p ++40000 -c 30`: bare ACKs from the thrift port to ports
#   40000-40029 of b, each with a random sequence and acknowledgment number, DF set, no
#   TCP option; b's kernel answers each with a RST.
# - scan-ack-timestamp-g7613-veth.pcap: the same with `--tcp-timestamp` instead of `-y`:
#   each probe carries a TCP timestamp option (DF clear).
# - scan-ack-ipv6-g7613-veth.pcap: a fetches a page from [fd85::2]:9765, then
#   `nmap -6 -sA -g 7613 -p 40000-40029 fd85::2`.
# - keepalive-8-dead-clients-ipv6-no-timestamps-veth.pcap: no scan. Both namespaces set
#   net.ipv4.tcp_timestamps=0 (Linux applies it to IPv6 too). Eight clients of fd85::1
#   connect to [fd85::2]:7613 and exchange a line; each is then closed with SO_LINGER 0
#   while an nft rule in a (table dasaudit-pbm) drops its RST, so that its socket is gone
#   and b's still open (dying_clients.py). Recorded from then on: b's keep-alives (bare
#   ACKs with no TCP option: no timestamps were negotiated), each answered by a's RST.
#
# What the audit must say: Tests/EndToEndTests/ProbesByMakeCaptureTests.swift.
# Needs root (ip netns, tcpdump, nft, hping3's and nmap's raw packets). Traffic stays
# inside the two namespaces it creates, which are removed on exit.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="$(realpath -m "${1:-$ROOT/captures}")"
A=${NETNS_A:-dasaudit-pbm-a} B=${NETNS_B:-dasaudit-pbm-b} SUBNET=10.85.0 SUBNET6=fd85:
TABLE=${NFT_TABLE:-dasaudit-pbm}
for tool in curl hping3 nmap nft; do command -v "$tool" >/dev/null || apt-get install -y -qq "$tool" >/dev/null; done
mkdir -p "$OUT"
# shellcheck source=scripts/recording/netns-pair.sh
source "$ROOT/scripts/recording/netns-pair.sh"
# shellcheck source=scripts/recording/keepalives-to-dead-clients.sh
source "$ROOT/scripts/recording/keepalives-to-dead-clients.sh"
at_exit "ip netns exec $A nft delete table inet $TABLE"
ip -n "$A" addr add "$SUBNET6:1/64" dev va nodad
ip -n "$B" addr add "$SUBNET6:2/64" dev vb nodad

mkdir -p "$WORK/site" && echo "<html>carbon</html>" > "$WORK/site/index.html"
ip netns exec "$B" python3 -m http.server 9765 --bind :: --directory "$WORK/site" >/dev/null 2>&1 &
pids+=($!)
wait_listening "$B" 9765

# record NAME COMMAND...: captures, on b's end, a fetch from b's 9765 then COMMAND, run in a.
record() {
    local name=$1 url=$2
    shift 2
    start_tcpdump "$B" "$WORK/tcpdump.log" -i vb -s 192 -U -w "$WORK/$name.pcap" tcp
    ip netns exec "$A" curl -s -o /dev/null --max-time 5 "$url"
    ip netns exec "$A" "$@" >"$WORK/scan.log" 2>&1 || true
    sleep 1
    kill -INT "$tcpdump_pid"; wait "$tcpdump_pid" 2>/dev/null || true
    tail -n 3 "$WORK/scan.log" >&2
    cp "$WORK/$name.pcap" "$OUT/"
    echo "== $name: $(tail -n 3 "$WORK/tcpdump.log" | tr '\n' ' ')" >&2
}
record scan-ack-df-random-g7613-veth "http://$SUBNET.2:9765/" \
    hping3 -A -y -s 7613 -k -p ++40000 -c 30 -i u20000 "$SUBNET.2"
record scan-ack-timestamp-g7613-veth "http://$SUBNET.2:9765/" \
    hping3 -A --tcp-timestamp -s 7613 -k -p ++40000 -c 30 -i u20000 "$SUBNET.2"
record scan-ack-ipv6-g7613-veth "http://[$SUBNET6:2]:9765/" \
    nmap -6 -n -Pn -sA -g 7613 -p 40000-40029 "$SUBNET6:2"

# The keep-alives, without timestamps on either side: eight clients whose sockets go away unseen.
ip netns exec "$A" sysctl -qw net.ipv4.tcp_timestamps=0
ip netns exec "$B" sysctl -qw net.ipv4.tcp_timestamps=0
ip netns exec "$B" python3 "$ROOT/scripts/recording/keepalive_server.py" "$SUBNET6:2" 7613 >/dev/null 2>&1 &
pids+=($!)
wait_listening "$B" 7613
record_keepalives_to_dead_clients keepalive-8-dead-clients-ipv6-no-timestamps-veth "$OUT" "$SUBNET6:2" "$SUBNET6:1"
