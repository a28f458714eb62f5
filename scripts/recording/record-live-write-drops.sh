#!/usr/bin/env bash
# Records captures/live-write-drops-lo/: the evidence files `dasaudit live --write` writes
# (pcapng, rotated every 4 KiB) of a run that lost packets, and live-write-drops-lo.json,
# the live run's own JSON result, whose drops the files' Interface Statistics Blocks must
# add up to.
#
# A DAS-like node's HTTP port at offset 0 (127.0.0.1:9763) serves real HTTP (Python's
# http.server) to curl and to a client that uploads 300,000 bytes in 3,000 segments of 100
# bytes (TCP_NODELAY), under `dasaudit live -i lo --buffer-size 64k --snaplen 96` (the
# kernel's ring holds a few hundred packets). dasaudit is stopped (SIGSTOP) while the upload
# runs, so the kernel drops what no longer fits; it goes on (SIGCONT), the same again once
# more, with GETs between and after, and SIGINT ends the run: each file's statistics block holds the drops
# counted during its own window.
#
# Needs root (live capture on lo) and a built dasaudit (DASAUDIT, default .build/debug/dasaudit).
# Usage: sudo scripts/recording/record-live-write-drops.sh [CAPTURES_DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${1:-$root/captures}
dasaudit=${DASAUDIT:-$root/.build/debug/dasaudit}
command -v curl >/dev/null || apt-get install -y -q curl >/dev/null
# shellcheck source=scripts/recording/cleanup.sh
source "$here/cleanup.sh"

python3 "$(dirname "$0")/upload_server.py" 127.0.0.1 9763 >/dev/null 2>&1 &
pids+=($!)
sleep 1
"$dasaudit" live -i lo --filter 'tcp port 9763' --offset 0 --buffer-size 64k --snaplen 96 --interval 0.2s \
    --write "$work/evidence" --rotate-size 4k --format json --output "$work/live.json" 2>"$work/live.err" &
live=$!
pids+=("$live")
until grep -q "capturing on lo" "$work/live.err"; do sleep 0.1; done
upload() {
    python3 - <<'PY'
import socket
s = socket.create_connection(("127.0.0.1", 9763))
s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
s.sendall(b"POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 300000\r\n\r\n")
for i in range(3_000):
    s.sendall(b"x" * 100)
s.settimeout(10)
assert s.recv(4096).startswith(b"HTTP/1.1 200")
s.close()
PY
}
for round in 1 2; do
    for _ in 1 2 3; do curl -s -o /dev/null http://127.0.0.1:9763/; done
    kill -STOP "$live"
    upload
    sleep 0.3
    kill -CONT "$live"
    sleep 1
    # Requests enough to fill a file between the two stops, so each stop's drops are
    # counted in a window of its own.
    for _ in 1 2 3 4 5 6; do curl -s -o /dev/null http://127.0.0.1:9763/; done
done
for _ in 1 2 3; do curl -s -o /dev/null http://127.0.0.1:9763/; done
sleep 0.5
kill -INT "$live"
wait "$live" || true
cat "$work/live.err" >&2
rm -rf "$out/live-write-drops-lo"
mkdir -p "$out/live-write-drops-lo"
cp "$work"/evidence/*.pcapng "$out/live-write-drops-lo/"
chmod 644 "$out"/live-write-drops-lo/*.pcapng
cp "$work/live.json" "$out/live-write-drops-lo.json"
chmod 644 "$out/live-write-drops-lo.json"
echo "wrote $out/live-write-drops-lo/ and $out/live-write-drops-lo.json" >&2
