#!/usr/bin/env bash
# Records captures/tls-reordered-tun.pcap: TLS connections whose server's first payload
# segment (its ServerHello) reached the capture after a later one, as on a network that
# reorders packets. Two hosts in network namespaces joined by a point-to-point link that
# reorders (reordering-router.py: two TUN devices and a process that holds each side's
# first payload segment until that side's next segment has gone by): host b runs
# `openssl s_server` on 9443 (carbon.https.port at offset 0) with a 4096-bit RSA
# certificate naming 40 hosts, so that its first flight takes two segments; host a
# connects with `openssl s_client` with TLS 1.0, 1.2 and 1.3 (TLS 1.0 at @SECLEVEL=0).
# Captured on host a's end of the link (raw IP), after the reordering of what b sent: each
# server's first flight comes second segment first.
#
#   sudo scripts/recording/record-reordered-first-segments.sh [OUTDIR]   # default: captures/
#
# dasaudit takes a side's sample again when its first segment arrives after a later one,
# so each connection's version is read from its ServerHello: 1.0, 1.2 and 1.3, and the 1.0
# one is a `deprecated-tls` finding (docs/protocols.md, "Payload samples"). Needs root (ip
# netns, TUN devices, tcpdump); traffic stays in the two namespaces it creates, which are
# removed on exit.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="$(realpath -m "${1:-$ROOT/captures}")"
NAMESPACES=(dasaudit-reorder-a dasaudit-reorder-b)
A=${NAMESPACES[0]} B=${NAMESPACES[1]} SUBNET=10.77.36
mkdir -p "$OUT"
command -v tshark >/dev/null && command -v tcpdump >/dev/null || apt-get install -y tshark tcpdump >/dev/null
# shellcheck source=scripts/recording/namespaces.sh
source "$ROOT/scripts/recording/namespaces.sh"

python3 -u "$ROOT/scripts/recording/reordering-router.py" "$A" "$SUBNET.1" "$B" "$SUBNET.2" >"$work/router.log" 2>&1 &
pids+=($!)
for _ in $(seq 50); do grep -q ready "$work/router.log" && break; sleep 0.1; done
names=$(python3 -c 'print(",".join("DNS:node%d.das.example" % i for i in range(40)))')
openssl req -x509 -newkey rsa:4096 -nodes -subj /CN=das.example -days 2 -addext "subjectAltName=$names" \
    -keyout "$work/server.key" -out "$work/server.crt" 2>/dev/null
ip netns exec "$B" openssl s_server -accept 9443 -cert "$work/server.crt" -key "$work/server.key" \
    -cipher 'DEFAULT:@SECLEVEL=0' -www -quiet &
pids+=($!)
for _ in $(seq 50); do ip netns exec "$B" ss -ltn "sport = :9443" | grep -q LISTEN && break; sleep 0.1; done
ip netns exec "$A" tcpdump -i dasaudit-ta -s 0 -U -w "$work/reordered.pcap" tcp 2>"$work/tcpdump.log" &
tcpdump_pid=$!
for _ in $(seq 50); do grep -q listening "$work/tcpdump.log" 2>/dev/null && break; sleep 0.1; done
for version in tls1 tls1_2 tls1_3; do
    ip netns exec "$A" openssl s_client -connect "$SUBNET.2:9443" "-$version" -cipher 'DEFAULT:@SECLEVEL=0' \
        </dev/null >"$work/s_client-$version.log" 2>&1 || { cat "$work/s_client-$version.log" >&2; exit 1; }
done
sleep 1
kill "$tcpdump_pid"; wait "$tcpdump_pid" 2>/dev/null || true

cp "$work/reordered.pcap" "$OUT/tls-reordered-tun.pcap"
# Each side whose first payload segment (relative sequence number 1) was captured after a
# later segment of its own: the three servers.
tshark -r "$OUT/tls-reordered-tun.pcap" -Y 'tcp.len > 0' -T fields -e tcp.stream -e ip.src -e tcp.seq \
    | awk '{ side = $1 " " $2 } $3 > 1 && !(side in first) { late[side] = 1 } { first[side] = 1 }
           $3 == 1 && (side in late) { n++; delete late[side] } END { print n + 0, "sides: first payload captured after a later segment" }'
capinfos -c -s "$OUT/tls-reordered-tun.pcap" | tail -2
sha256sum "$OUT/tls-reordered-tun.pcap"
