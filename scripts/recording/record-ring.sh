#!/usr/bin/env bash
# Records captures/ring/: a wrapped ring buffer (`tcpdump -C 1 -W 3`) of real HTTP on
# loopback, whose names' order is not its time order, cut down around its two boundaries.
#
# Python's http.server (HTTP/1.1, so a connection is kept while its client sends) serves a
# 1 KiB file on 127.0.0.1:9763 in a namespace of its own ("$NETNS", default to-ring).
# ApacheBench fetches it 9,000 times (4 at once, a connection each), while curl fetches it
# ten times a second over one kept connection for the whole recording. tcpdump -i lo -s 96
# writes 1 MB files, ring.pcap0 to ring.pcap2, and wraps: a fourth file overwrites
# ring.pcap0, a fifth ring.pcap1 (then ring.pcap2 is the oldest, and the time order
# ring.pcap2 ring.pcap0 ring.pcap1), a sixth ring.pcap2; a run whose time order is its
# names' (three or six files) is refused. Each file is then filtered (tcpdump -r, which keeps its
# header) to the kept connection and to the client ports of the last six packets before
# each boundary and the first six after it: connections that cross a boundary.
#
# Needs root (a namespace, tcpdump). Traffic stays in the namespace's loopback.
# Usage: sudo [NETNS=name] scripts/recording/record-ring.sh [CAPTURES_DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out="${1:-$here/../../captures}/ring"
command -v tcpdump >/dev/null && command -v ab >/dev/null && command -v curl >/dev/null &&
  command -v tshark >/dev/null || apt-get install -y -qq tcpdump apache2-utils curl tshark
ns=${NETNS:-to-ring}
NAMESPACES=("$ns")
# shellcheck source=scripts/recording/namespaces.sh
source "$here/namespaces.sh"

mkdir -p "$work/ring"
serve_blob_http11 "$ns" 9763

ip netns exec "$ns" tcpdump -Z root -i lo -U -s 96 -C 1 -W 3 -w "$work/ring/ring.pcap" 'tcp port 9763' 2>/dev/null &
recorder=$!
sleep 1
ip netns exec "$ns" curl -s -o /dev/null --rate 10/s "http://127.0.0.1:9763/blob?[1-400]" &
kept=$!
sleep 1
ip netns exec "$ns" ab -q -n 9000 -c 4 http://127.0.0.1:9763/blob >/dev/null
sleep 1
kill "$kept" 2>/dev/null || true
wait "$kept" 2>/dev/null || true
sleep 1
kill -INT "$recorder"; wait "$recorder" || true

order=($(ls -tr "$work/ring"))
[ "${#order[@]}" = 3 ] && [ "${order[*]}" != "ring.pcap0 ring.pcap1 ring.pcap2" ] ||
  { echo "record-ring: the ring did not wrap into another order than its names': ${order[*]}" >&2; exit 1; }
echo "time order: ${order[*]}"

# The kept connection's client port, and those of the packets around each boundary.
ports() { tshark -r "$1" -T fields -e tcp.srcport -e tcp.dstport 2>/dev/null | tr '\t' '\n' | grep -vx 9763; }
ports "$work/ring/${order[0]}" | sort | uniq -c | sort -rn | awk 'NR == 1 { print $2 }' > "$work/ports"
for i in 0 1; do
  ports "$work/ring/${order[i]}" | tail -6 >> "$work/ports"
  ports "$work/ring/${order[i + 1]}" | awk 'NR <= 6' >> "$work/ports"
done
filter=$(sort -un "$work/ports" | sed 's/^/tcp port /' | paste -sd' ' | sed 's/ tcp/ or tcp/g')
echo "kept: $filter"
rm -rf "$out"; mkdir -p "$out"
for name in "${order[@]}"; do
  tcpdump -Z root -r "$work/ring/$name" -w "$out/$name" "$filter" 2>/dev/null
done
for f in "${order[@]}"; do capinfos -c -a -e -s -H "$out/$f" 2>/dev/null; done
