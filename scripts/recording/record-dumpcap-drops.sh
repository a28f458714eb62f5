#!/usr/bin/env bash
# Records captures/dumpcap-drops-lo.pcapng: a real pcapng written by dumpcap (as Wireshark
# and tshark write them), whose Interface Statistics Block records packets its capture lost.
#
# A DAS-like node's HTTP port at offset 0 (127.0.0.1:9763) serves real HTTP (Python's
# http.server) to curl and to a client that uploads 4 MB, under `dumpcap -i lo -B 1` (a 1 MiB kernel buffer). Halfway,
# dumpcap is stopped (SIGSTOP) while that client sends its upload in 40,000 small
# segments, so the kernel's buffer fills and drops what no longer fits; then dumpcap goes on
# (SIGCONT), more requests come, and it stops with the counts of pcap_stats in the file's
# Interface Statistics Block (isb_ifdrop: the kernel's drops and its own).
#
# Needs root (dumpcap on lo). Usage: sudo scripts/recording/record-dumpcap-drops.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out="$(cd "$here/../.." && pwd)/captures/dumpcap-drops-lo.pcapng"
command -v dumpcap >/dev/null || apt-get install -y -q wireshark-common curl >/dev/null
# shellcheck source=scripts/recording/cleanup.sh
source "$here/cleanup.sh"

# Real HTTP/1.1: GETs get a page, a POST's body is read and acknowledged.
python3 "$(dirname "$0")/upload_server.py" 127.0.0.1 9763 >/dev/null 2>&1 &
pids+=($!)
sleep 1
dumpcap -q -i lo -B 1 -s 128 -f 'tcp port 9763' -w "$work/capture.pcapng" 2>"$work/dumpcap.err" &
dump=$!
pids+=("$dump")
sleep 1.5
for _ in 1 2 3; do curl -s -o /dev/null http://127.0.0.1:9763/; done

kill -STOP "$dump"
python3 - <<'PY'
import socket
# A POST whose 4,000,000-byte body goes in 40,000 sends of 100 bytes, each its own
# segment (TCP_NODELAY).
s = socket.create_connection(("127.0.0.1", 9763))
s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
s.sendall(b"POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 4000000\r\n\r\n")
for i in range(40_000):
    s.sendall(b"x" * 100)
s.settimeout(10)
assert s.recv(4096).startswith(b"HTTP/1.1 200")
s.close()
PY
sleep 0.5
kill -CONT "$dump"
sleep 1
for _ in 1 2 3; do curl -s -o /dev/null http://127.0.0.1:9763/; done
sleep 1
kill -INT "$dump"
wait "$dump" || true
cat "$work/dumpcap.err" >&2
cp "$work/capture.pcapng" "$out"
chmod 644 "$out"
echo "wrote $out" >&2
