#!/bin/bash
# Records captures/refused-runs-lo.pcap: one client's refused connects to 80 closed ports of
# one host, in 40 runs of two consecutive ports (30000-30001, 30003-30004, ... 30117-30118),
# too few ports for a port scan (100): the attempts table of the terminal summary shows
# each run as one row, 40 rows for 80 attempted endpoints, more than its 30-row cap (what
# docs/reports.md, "The terminal summary caps every long table", is tested on). Python's
# socket.connect from 127.0.0.1 to 127.0.0.5, nothing listening there.
# Needs root (tcpdump); run it in a network namespace of its own:
#   ip netns add rec; ip netns exec rec ip link set lo up
#   ip netns exec rec scripts/recording/record-refused-runs.sh [OUTDIR]; ip netns del rec
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/../../captures}
command -v tcpdump >/dev/null || apt-get install -y tcpdump >/dev/null
tcpdump -i lo -U -w "$out/refused-runs-lo.pcap" tcp 2>"$out/.tcpdump.err" & dump=$!
trap 'kill $dump 2>/dev/null || true; rm -f "$out/.tcpdump.err"' EXIT
sleep 1
/usr/bin/python3 - <<'PY'
import socket
for run in range(40):
    for port in (30000 + 3 * run, 30001 + 3 * run):
        s = socket.socket()
        try:
            s.connect(('127.0.0.5', port))
        except ConnectionRefusedError:
            pass
        s.close()
PY
sleep 1
kill -INT $dump; wait $dump || true
cat "$out/.tcpdump.err" >&2
