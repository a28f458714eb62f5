#!/usr/bin/env bash
# Records captures/first-segments-veth.pcap and its copy with the first payload segment of
# each side of each connection taken out, captures/first-segments-lost-veth.pcap: what a
# capture that dropped those packets (a kernel ring full at a burst, a SPAN port over its
# rate) holds. Two hosts in network namespaces joined by a veth pair (segmentation offloads
# off, so each capture holds the segments as they crossed the wire, at most 1448 bytes of
# payload each): host b serves HTTP on 9763 (carbon.http.port at offset 0) with Python's
# http.server, answering each POST with an HTML page of about 6 KB in one write; host a
# POSTs a JSON document of about 6 KB to it twice with curl. Captured on host a.
#
#   sudo scripts/recording/record-first-segments-lost.sh [OUTDIR]   # default: captures/
#
# Each side's first payload is then the middle of a request body or of a page: dasaudit
# says `unknown` (the start of the payload was not captured), not `other`
# (docs/protocols.md, "Payload samples"). Needs root (ip netns, tcpdump); traffic stays in
# the two namespaces it creates, which are removed on exit.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="$(realpath -m "${1:-$ROOT/captures}")"
A=dasaudit-lost-a B=dasaudit-lost-b SUBNET=10.77.35
mkdir -p "$OUT"
command -v curl >/dev/null && command -v editcap >/dev/null || apt-get install -y curl tshark >/dev/null
# shellcheck source=scripts/recording/netns-pair.sh
source "$ROOT/scripts/recording/netns-pair.sh"

cat >"$WORK/server.py" <<'PY'
import http.server, sys
class Console(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        body = ("<html><body>" + "a row of the management console's page, " * 150 + "</body></html>").encode()
        head = b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n" % len(body)
        self.wfile.write(head + body)  # one write: the status line and the page's start share a segment
        self.close_connection = True
    def log_message(self, *args): pass
http.server.HTTPServer((sys.argv[1], int(sys.argv[2])), Console).serve_forever()
PY
python3 -c 'import json; print(json.dumps({"events": [{"name": "event-%d" % i, "payload": "abcdefghij"} for i in range(120)]}))' >"$WORK/body.json"

ip netns exec "$B" python3 "$WORK/server.py" "$SUBNET.2" 9763 &
pids+=($!)
ip netns exec "$A" tcpdump -i va -s 0 -U -w "$WORK/whole.pcap" tcp 2>"$WORK/tcpdump.log" &
pids+=($!)
for _ in $(seq 50); do grep -q listening "$WORK/tcpdump.log" 2>/dev/null && break; sleep 0.1; done
sleep 0.5
for _ in 1 2; do
    ip netns exec "$A" curl -s -o /dev/null -H 'Content-Type: application/json' \
        --data-binary @"$WORK/body.json" "http://$SUBNET.2:9763/publish"
done
sleep 1
kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null || true

cp "$WORK/whole.pcap" "$OUT/first-segments-veth.pcap"
# The first payload segment of each side: relative sequence number 1 and payload.
mapfile -t first < <(tshark -r "$WORK/whole.pcap" -Y 'tcp.len > 0 && tcp.seq == 1' -T fields -e frame.number)
editcap -F pcap "$WORK/whole.pcap" "$OUT/first-segments-lost-veth.pcap" "${first[@]}"
echo "took out frames ${first[*]}"
for f in first-segments-veth.pcap first-segments-lost-veth.pcap; do capinfos -c -s "$OUT/$f" | tail -2; sha256sum "$OUT/$f"; done
