#!/usr/bin/env bash
# Records captures/cut-after-syn-lo.pcap: a capture that `tcpdump -c N` stopped right after
# a SYN to an expected port, whose SYN-ACK came a fraction of a millisecond later, after
# the capture had ended.
#
# In a namespace of its own ("$NETNS", default dasaudit-cutsyn), Python's http.server
# serves 127.0.0.1:9763 (carbon.http.port at offset 0) and 127.0.0.1:9443
# (carbon.https.port; plain HTTP, no payload of it is captured). curl fetches a page from
# 9763, then a second later from 9443. A first run records everything and counts the
# packets before the SYN to 9443 (M); a second run records with `tcpdump -c M+1`, and is
# kept when its last packet is that SYN (else it is tried again, at most five times).
#
# What the audit must say: Tests/EndToEndTests/CutByEndCaptureTests.swift.
# Needs root (a namespace, tcpdump). Traffic stays in the namespace's loopback.
# Usage: sudo [NETNS=name] scripts/recording/record-cut-after-syn.sh [CAPTURES_DIR]
set -euo pipefail
out="${1:-$(cd "$(dirname "$0")/../.." && pwd)/captures}"
command -v tcpdump >/dev/null && command -v curl >/dev/null && command -v tshark >/dev/null ||
  apt-get install -y -qq tcpdump curl tshark
ns=${NETNS:-dasaudit-cutsyn}
NAMESPACES=("$ns")
# shellcheck source=scripts/recording/namespaces.sh
source "$(dirname "$0")/namespaces.sh"
mkdir -p "$work/site"
echo "hello" > "$work/site/index.html"
for port in 9763 9443; do
  (cd "$work/site" && exec ip netns exec "$ns" python3 -m http.server "$port" --bind 127.0.0.1 >/dev/null 2>&1) &
  pids+=($!)
done
sleep 2

# record FILE [COUNT]: the scenario recorded by tcpdump on the namespace's loopback, with -c COUNT when given.
record() {
  ip netns exec "$ns" tcpdump -i lo -s 0 -U ${2:+-c "$2"} -w "$1" tcp 2>/dev/null &
  local recorder=$!
  sleep 1
  ip netns exec "$ns" curl -s -o /dev/null http://127.0.0.1:9763/index.html
  sleep 1
  ip netns exec "$ns" curl -s -o /dev/null http://127.0.0.1:9443/index.html
  sleep 1
  kill -INT "$recorder" 2>/dev/null || true
  wait "$recorder" || true
}

record "$work/full.pcap"
before=$(tshark -r "$work/full.pcap" -Y 'tcp.dstport == 9443 && tcp.flags.syn == 1 && tcp.flags.ack == 0' \
  -T fields -e frame.number 2>/dev/null | head -1)
count=$before
for try in 1 2 3 4 5; do
  record "$work/cut.pcap" "$count"
  last=$(tshark -r "$work/cut.pcap" -T fields -e tcp.dstport -e tcp.flags 2>/dev/null | tail -1)
  if [[ "$last" == 9443*0x0002 ]]; then
    cp "$work/cut.pcap" "$out/cut-after-syn-lo.pcap"
    echo "tcpdump -c $count: last packet the SYN to 9443"
    exit 0
  fi
done
echo "record-cut-after-syn: the last packet of tcpdump -c $count was not the SYN to 9443" >&2
exit 1
