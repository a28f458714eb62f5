#!/usr/bin/env bash
# Records captures/scan-ack-random-in-range-veth.pcap and keepalive-8-fixed-ports-veth.pcap:
# the two cases the client ports cannot tell apart, a scan from a service's port with an
# acknowledgment number per probe whose ports lie inside the clients' range, and a
# server's keep-alives to eight dead clients whose ports lie outside it.
#
#   sudo scripts/recording/record-ack-probes-by-port-range.sh [OUTDIR]   # default: captures/ (about 15 s)
#
# NETNS_A and NETNS_B name the two namespaces (default dasaudit-apr-a and dasaudit-apr-b).
#
# Two hosts in network namespaces joined by a veth pair (netns-pair.sh): b (10.84.0.2) is a
# DAS node at offset 2 with HTTP on 9765 (Python's http.server), two more real listeners
# inside the clients' range (Python's http.server on 40005 and 40017) and a line server on
# the thrift port 7613 (keepalive_server.py: TCP keep-alive every second after 2 s idle); a (10.84.0.1)
# is the client and the scanner. Recorded on b's end of the pair, -s 192 (no payload is
# needed):
#
# - scan-ack-random-in-range-veth.pcap: a fetches a page from 9765 with curl, then
#   `hping3 -A -s 7613 -k -p ++40000 -c 30`: bare ACKs from the thrift port to ports
#   40000-40029 of b (inside Linux's 32768-60999), each with a random sequence and
#   acknowledgment number, no TCP option and DF clear; b's kernel answers each with a RST,
#   listening port or not.
# - keepalive-8-fixed-ports-veth.pcap: no scan. Eight clients in a, bound to fixed ports
#   5001-5008 (outside the range), connect to the line server and exchange a line; each is
#   then closed with SO_LINGER 0 while an nft rule in a (table dasaudit-apr) drops its RST,
#   so that its socket is gone and b's still open. Recorded from then on: b's keep-alives
#   (bare ACKs with the connection's timestamps, DF set), each answered by a's RST.
#
# What the audit must say: Tests/EndToEndTests/ScanLookalikeCaptureTests.swift.
# Needs root (ip netns, tcpdump, nft, hping3's raw packets). Traffic stays inside the two
# namespaces it creates, which are removed on exit.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="$(realpath -m "${1:-$ROOT/captures}")"
A=${NETNS_A:-dasaudit-apr-a} B=${NETNS_B:-dasaudit-apr-b} SUBNET=10.84.0
TABLE=${NFT_TABLE:-dasaudit-apr}
for tool in curl hping3 nft; do command -v "$tool" >/dev/null || apt-get install -y -qq "$tool" >/dev/null; done
mkdir -p "$OUT"
# shellcheck source=scripts/recording/netns-pair.sh
source "$ROOT/scripts/recording/netns-pair.sh"
# shellcheck source=scripts/recording/keepalives-to-dead-clients.sh
source "$ROOT/scripts/recording/keepalives-to-dead-clients.sh"
at_exit "ip netns exec $A nft delete table inet $TABLE"

mkdir -p "$WORK/site" && echo "<html>carbon</html>" > "$WORK/site/index.html"
for port in 9765 40005 40017; do
    ip netns exec "$B" python3 -m http.server "$port" --bind "$SUBNET.2" --directory "$WORK/site" >/dev/null 2>&1 &
    pids+=($!)
done
ip netns exec "$B" python3 "$ROOT/scripts/recording/keepalive_server.py" "$SUBNET.2" 7613 >/dev/null 2>&1 &
pids+=($!)
wait_listening "$B" 9765 40005 40017 7613

# The scan, after a real fetch.
name=scan-ack-random-in-range-veth
start_tcpdump "$B" "$WORK/tcpdump.log" -i vb -s 192 -U -w "$WORK/$name.pcap" tcp
ip netns exec "$A" curl -s -o /dev/null --max-time 5 "http://$SUBNET.2:9765/"
ip netns exec "$A" hping3 -A -s 7613 -k -p ++40000 -c 30 -i u20000 "$SUBNET.2" >"$WORK/hping3.log" 2>&1 || true
sleep 1
kill -INT "$tcpdump_pid"; wait "$tcpdump_pid" 2>/dev/null || true
tail -n 3 "$WORK/hping3.log" >&2
cp "$WORK/$name.pcap" "$OUT/"
echo "== $name: $(tail -n 3 "$WORK/tcpdump.log" | tr '\n' ' ')" >&2

# The keep-alives: eight clients on fixed ports whose sockets go away unseen.
record_keepalives_to_dead_clients keepalive-8-fixed-ports-veth "$OUT" "$SUBNET.2" "$SUBNET.1" 5001
