#!/usr/bin/env bash
# Records captures/rotated-gap/: a real time-rotated capture (`tcpdump -G 3`) of HTTP on
# loopback, whose second file is the one to leave out: `dasaudit audit` of the others is a
# rotated set with a file lost.
#
# Python's http.server (HTTP/1.1, so a connection is kept while its client sends) serves a
# 1 KiB file on 127.0.0.1:9763 (DAS's HTTP port at offset 0) in a namespace of its own
# ("$NETNS", default to-rotgap). curl fetches it four times a second over one kept
# connection for 13 s, and, 4.5 s after tcpdump started (in its second file), a second
# server on 127.0.0.1:8888, which no DAS catalog lists, is fetched twice over one
# connection. tcpdump -i lo -s 96 -G 3 starts a new file at the first packet 3 s after the
# file before began, rot-HHMMSS.pcap in strftime's order (the time order).
#
# Needs root (a namespace, tcpdump). Traffic stays in the namespace's loopback.
# Usage: sudo [NETNS=name] scripts/recording/record-rotated-gap.sh [CAPTURES_DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out="${1:-$here/../../captures}/rotated-gap"
command -v tcpdump >/dev/null && command -v curl >/dev/null || apt-get install -y -qq tcpdump curl
ns=${NETNS:-to-rotgap}
NAMESPACES=("$ns")
# shellcheck source=scripts/recording/namespaces.sh
source "$here/namespaces.sh"

mkdir -p "$work/rot"
serve_blob_http11 "$ns" 9763 8888

ip netns exec "$ns" tcpdump -Z root -i lo -U -s 96 -G 3 -w "$work/rot/rot-%H%M%S.pcap" 'tcp' 2>/dev/null &
recorder=$!
sleep 0.2
ip netns exec "$ns" curl -s -o /dev/null --rate 4/s "http://127.0.0.1:9763/blob?[1-52]" &
kept=$!
sleep 4.3
ip netns exec "$ns" curl -s -o /dev/null "http://127.0.0.1:8888/blob?[1-2]"
wait "$kept"
kill -INT "$recorder"; wait "$recorder" || true

rm -rf "$out"; mkdir -p "$out"
cp "$work"/rot/rot-*.pcap "$out"/
ls "$out"
for f in "$out"/rot-*.pcap; do capinfos -c -a -e "$f" 2>/dev/null | sed -n '2,4p'; done
