#!/usr/bin/env bash
# Records captures/scan-after-use-veth.pcap: a client that uses a service for real, then
# port-scans the service's host.
#
#   sudo scripts/recording/record-scan-after-use.sh [OUTDIR]   # default: captures/
#
# Two hosts in network namespaces joined by a veth pair (netns-pair.sh): b (10.77.0.2)
# serves HTTP on 9763 (a DAS node's HTTP port at offset 0, Python's http.server); a
# (10.77.0.1) fetches a page from it three times with curl, waits 3 s, then runs Debian's
# nmap SYN scan of b's ports 1-1000 and 9763. Recorded on a's end of the pair. The scan
# found 9763 open, but the curls to it are no probes: the scan's window and type must
# come from its probes alone (Tests/EndToEndTests/PortScanCaptureTests.swift).
#
# Needs root (ip netns, tcpdump, nmap's raw SYNs). Traffic stays inside the two namespaces
# it creates, which are removed on exit.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="$(realpath -m "${1:-$ROOT/captures}")"
A=dasaudit-use-a B=dasaudit-use-b SUBNET=10.77.0
command -v nmap >/dev/null && command -v curl >/dev/null || apt-get install -y -q nmap curl >/dev/null
mkdir -p "$OUT"
# shellcheck source=scripts/recording/netns-pair.sh
source "$ROOT/scripts/recording/netns-pair.sh"

mkdir -p "$WORK/site" && echo "<html>carbon</html>" > "$WORK/site/index.html"
ip netns exec "$B" python3 -m http.server 9763 --bind "$SUBNET.2" --directory "$WORK/site" >/dev/null 2>&1 &
pids+=($!)
for _ in $(seq 50); do
    ip netns exec "$B" ss -ltn 'sport = :9763' | grep -q LISTEN && break
    sleep 0.1
done
ip netns exec "$A" tcpdump -i va -s 0 -U -w "$WORK/scan-after-use-veth.pcap" tcp 2>"$WORK/tcpdump.log" &
pids+=($!)
for _ in $(seq 50); do
    grep -q listening "$WORK/tcpdump.log" 2>/dev/null && break
    sleep 0.1
done
for _ in 1 2 3; do ip netns exec "$A" curl -s -o /dev/null "http://$SUBNET.2:9763/"; done
sleep 3
ip netns exec "$A" nmap -n -Pn -sS -p 1-1000,9763 "$SUBNET.2" >"$WORK/nmap.txt"
sleep 1
kill -INT "${pids[1]}"; wait "${pids[1]}" 2>/dev/null || true
cp "$WORK/scan-after-use-veth.pcap" "$OUT/"
cat "$WORK/nmap.txt"
