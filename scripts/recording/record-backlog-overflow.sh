#!/usr/bin/env bash
# Records captures/backlog-overflow-veth.pcap: a load test that overflows a server's listen
# queue, so that the kernel drops SYNs of a service that is up and answering.
#
#   sudo scripts/recording/record-backlog-overflow.sh [OUTDIR]   # default: captures/
#
# Two hosts in network namespaces joined by a veth pair: the server 10.36.0.1 answers
# HTTP/1.0 on 9763 (carbon.http.port at offset 0) with net.core.somaxconn = 4, listen(2),
# SYN cookies always on (net.ipv4.tcp_syncookies = 2) and one accept() every 10 ms; the
# client 10.36.0.2 runs ApacheBench, `ab -n 40 -c 30`. Linux drops a SYN while the accept
# queue is full (nstat TcpExtListenOverflows), so ab's connects retry their SYNs, and the
# few it still has open when its 40 requests are done are never answered. Four seconds
# later one more request is made (`ab -n 1`), as traffic goes on after a burst, so that the
# capture does not end within 3 s of those connects (which would be cut by its end, not
# judged). tcpdump -s 192 on the server's end.
#
# What the audit must say: Tests/EndToEndTests/BacklogOverflowCaptureTests.swift.
# Needs root (ip netns, tcpdump, ab from apache2-utils). Traffic stays inside the two
# namespaces it creates, which are removed on exit.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="$(realpath -m "${1:-$ROOT/captures}")"
A=dasaudit-backlog-s B=dasaudit-backlog-c SUBNET=10.36.0
mkdir -p "$OUT"
command -v ab >/dev/null || apt-get install -y -qq apache2-utils
# shellcheck source=scripts/recording/netns-pair.sh
source "$ROOT/scripts/recording/netns-pair.sh"
ip netns exec "$A" sysctl -qw net.core.somaxconn=4 net.ipv4.tcp_syncookies=2

cat >"$WORK/server.py" <<'PY'
import socket, threading, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("10.36.0.1", 9763)); s.listen(2)
def serve(c):
    try:
        c.settimeout(5); c.recv(4096)
        c.sendall(b"HTTP/1.0 200 OK\r\nContent-Length: 3\r\n\r\nok\n")
    except OSError: pass
    c.close()
while True:
    c, _ = s.accept(); threading.Thread(target=serve, args=(c,), daemon=True).start(); time.sleep(0.01)
PY
ip netns exec "$A" python3 "$WORK/server.py" &
pids+=($!)
wait_listening "$A" 9763
start_tcpdump "$A" "$WORK/tcpdump.log" -i va -s 192 -U -w "$WORK/backlog-overflow-veth.pcap" tcp
pids+=("$tcpdump_pid")
ip netns exec "$B" ab -n 40 -c 30 -s 10 http://10.36.0.1:9763/ >"$WORK/ab.txt" 2>&1 || true
grep -E 'Complete requests|Failed requests' "$WORK/ab.txt" >&2
sleep 4
ip netns exec "$B" ab -n 1 http://10.36.0.1:9763/ >/dev/null 2>&1 || true
ip netns exec "$A" nstat -az TcpExtListenOverflows >&2 || true
sleep 1
kill -INT "$tcpdump_pid"
wait "$tcpdump_pid" 2>/dev/null || true
cp "$WORK/backlog-overflow-veth.pcap" "$OUT/"
printf '%s: %s\n' backlog-overflow-veth.pcap "$(tail -n 3 "$WORK/tcpdump.log" | tr '\n' ' ')" >&2
