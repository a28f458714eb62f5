#!/usr/bin/env bash
# Records captures/dumpcap-ring/: a ring of small files (`dumpcap -b packets:100`) written by
# dumpcap capturing on two interfaces of a host that routes, and, at the same time, the same
# packets in one file (dumpcap-2if.pcapng): the tests compare the two.
#
# The host is a namespace of its own ("$NETNS", default dasaudit-dring) routing between a
# (10.235.0.1) and b (10.236.0.2); b serves HTTP (python3 -m http.server) on 9763. From a,
# curl fetches a 1 KiB page 20 times in 4 loops at once, and a keep-alive client (curl,
# one connection) fetches it every 0.2 s for the whole recording. Both dumpcaps run in the
# host on its two links (-s 96, -f tcp): every forwarded packet is written twice, once per
# interface. dumpcap takes each interface's packets in turn, so its files run up to some
# 0.1 s out of time order, inside a file and from one file to the next: the next file may
# begin earlier than the one before ended.
# Needs root (namespaces, dumpcap). Traffic stays in the namespaces, which are removed on exit.
# Usage: sudo [NETNS=name] scripts/recording/record-dumpcap-ring.sh [CAPTURES_DIR]
set -euo pipefail
out="${1:-$(cd "$(dirname "$0")/../.." && pwd)/captures}"
command -v dumpcap >/dev/null && command -v curl >/dev/null || apt-get install -y -qq curl wireshark-common
H=${NETNS:-dasaudit-dring} LINK=${NETNS_LINK:-dasaudit-dr}
# shellcheck source=host-lab.sh
. "$(dirname "$0")/host-lab.sh"

in_ns "$H" sysctl -qw net.ipv4.ip_forward=1
for side in a b; do add_side "$side"; done
route_sides 10.235 10.236 fd00:235 fd00:236
serve_blob 1 b 10.236.0.2 9763
sleep 2

mkdir -p "$work/ring"
ip netns exec "$H" dumpcap -q -s 96 -f tcp -i "${LINK}a" -i "${LINK}b" -w "$work/dumpcap-2if.pcapng" 2>/dev/null &
one=$!
ip netns exec "$H" dumpcap -q -s 96 -f tcp -i "${LINK}a" -i "${LINK}b" -b packets:100 -w "$work/ring/ring.pcapng" 2>/dev/null &
ring=$!
pids="$pids $one $ring"
sleep 2
in_ns "$H-a" curl -s -o /dev/null --rate 5/s "http://10.236.0.2:9763/blob?[1-15]" &
kept=$!
loops=()
for loop in 1 2 3 4; do
  (for i in $(seq 5); do in_ns "$H-a" curl -s -o /dev/null http://10.236.0.2:9763/blob; sleep 0.1; done) &
  loops+=($!)
done
wait "${loops[@]}"
wait "$kept" || true
sleep 1
kill -INT "$one" "$ring"
wait "$one" "$ring" || true

rm -rf "$out/dumpcap-ring"
mkdir -p "$out/dumpcap-ring"
cp "$work/dumpcap-2if.pcapng" "$out/"
cp "$work/ring/"* "$out/dumpcap-ring/"
ls -l "$out/dumpcap-2if.pcapng" "$out/dumpcap-ring"
