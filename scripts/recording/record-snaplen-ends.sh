#!/usr/bin/env bash
# Records one exchange at both of its ends with different snapshot lengths, as nodes of a
# fleet are often captured: the client's host with `tcpdump -i any -s 64` (headers only:
# no payload byte is kept), the server's host in full on its interface.
#
#   sudo scripts/recording/record-snaplen-ends.sh [OUTDIR]   # default: captures/
#
# Writes OUTDIR/snaplen-ends-client-sll2.pcap (host a, 10.79.0.1, -i any -s 64) and
# OUTDIR/snaplen-ends-server-eth.pcap (host b, 10.79.0.2, -s 0 on its veth). Host b serves,
# at offset 0: openssl s_server speaking only TLS 1.0 on carbon.https.port 9443, Python's
# http.server on thrift.tcp.port 7611 (HTTP where thrift belongs) and on 31337 (a rogue web
# server). a connects once to each (an HTTPS request with openssl s_client -tls1, two GETs
# with curl). b's capture alone shows a deprecated TLS version, a protocol mismatch and a web
# server; a's shows the same connections with every protocol unknown.
# Tests/EndToEndTests/SnaplenEndsMergeTests.swift merges their results.
#
# Needs root (ip netns), tcpdump, openssl and curl. Traffic stays inside the two namespaces
# it creates, which are removed on exit.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="$(realpath -m "${1:-$ROOT/captures}")"
PY=/usr/bin/python3
A=dasaudit-snap-a B=dasaudit-snap-b SUBNET=10.79.0
mkdir -p "$OUT"
# shellcheck source=scripts/recording/netns-pair.sh
source "$ROOT/scripts/recording/netns-pair.sh"

openssl req -x509 -newkey rsa:2048 -nodes -keyout "$WORK/key.pem" -out "$WORK/cert.pem" -days 2 -subj /CN=das \
    >/dev/null 2>&1
# TLS 1.0 needs OpenSSL 3's security level 0.
ip netns exec "$B" openssl s_server -accept 9443 -tls1 -cipher 'DEFAULT:@SECLEVEL=0' \
    -cert "$WORK/cert.pem" -key "$WORK/key.pem" -www -quiet >"$WORK/tls.log" 2>&1 &
pids+=($!)
for port in 7611 31337; do
    ip netns exec "$B" "$PY" -m http.server "$port" --bind "$SUBNET.2" >/dev/null 2>&1 &
    pids+=($!)
done
wait_listening "$B" 9443 7611 31337
start_tcpdump "$A" "$WORK/tcpdump-a.log" -i any -s 64 -U -w "$WORK/a.pcap" tcp
pids+=("$tcpdump_pid"); capture_a=$tcpdump_pid
start_tcpdump "$B" "$WORK/tcpdump-b.log" -i vb -s 0 -U -w "$WORK/b.pcap" tcp
pids+=("$tcpdump_pid"); capture_b=$tcpdump_pid

# The server answers and closes (-www), so the client ends without waiting for its input.
printf 'GET / HTTP/1.0\r\n\r\n' | ip netns exec "$A" timeout 5 openssl s_client -connect "$SUBNET.2:9443" -tls1 \
    -cipher 'DEFAULT:@SECLEVEL=0' -ign_eof 2>&1 | grep -E 'Protocol +:' >&2
ip netns exec "$A" curl -s -o /dev/null "http://$SUBNET.2:7611/"
ip netns exec "$A" curl -s -o /dev/null "http://$SUBNET.2:31337/"
sleep 1
kill -INT "$capture_a" "$capture_b"
wait "$capture_a" "$capture_b" 2>/dev/null || true
cp "$WORK/a.pcap" "$OUT/snaplen-ends-client-sll2.pcap"
cp "$WORK/b.pcap" "$OUT/snaplen-ends-server-eth.pcap"
tail -n 3 "$WORK/tcpdump-a.log" "$WORK/tcpdump-b.log" >&2
