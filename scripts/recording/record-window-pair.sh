#!/bin/bash
# Records captures/window-full-lo.pcap and captures/window-idle-lo.pcap: one small DAS
# cluster at port offset 3 (cluster mode, 2 cores) seen in two capture windows, for
# `dasaudit infer` on a baseline and `dasaudit diff` between windows (docs/infer.md,
# docs/diff.md). Every server is a real listening process (das_scenario.py's echo server),
# every client a real connect over loopback, in a network namespace of the script's own
# (dasaudit-winpair), so that nothing else on the machine is in the captures:
#
#   127.0.0.1 master + receiver: spark.master.port 7080, thrift.tcp.port 7614,
#       block manager ports 12003 and 12004 (no driver port is used in the windows)
#   127.0.0.2 worker: spark.worker.port 11003, executors 12003, 12004, and a rogue echo
#       server on 31338 that 127.0.0.1 uses
#
# window-full: each client connects inside the window (handshake, one message, close).
# window-idle: the clients connect before the window opens and send heartbeats in it, as a
# capture started on a running cluster sees them (no handshake: what they speak is unknown).
# Needs root (ip netns, tcpdump).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/../../captures}
NAMESPACES=(dasaudit-winpair)
# shellcheck source=scripts/recording/namespaces.sh
source "$here/namespaces.sh"
command -v tcpdump >/dev/null || apt-get install -y tcpdump >/dev/null
ns=(ip netns exec dasaudit-winpair)

servers=("127.0.0.1 7080" "127.0.0.1 7614" "127.0.0.1 12003" "127.0.0.1 12004"
         "127.0.0.2 11003" "127.0.0.2 12003" "127.0.0.2 12004" "127.0.0.2 31338")
start_echo_servers dasaudit-winpair "${servers[@]}"

cat > "$work/clients.py" <<'PY'
import os, socket, sys, time
SERVERS = [("127.0.0.1", 7080), ("127.0.0.1", 7614), ("127.0.0.1", 12003), ("127.0.0.1", 12004),
           ("127.0.0.2", 11003), ("127.0.0.2", 12003), ("127.0.0.2", 12004), ("127.0.0.2", 31338)]
def connect(host, port):
    s = socket.socket()
    s.bind(("127.0.0.2" if host == "127.0.0.1" else "127.0.0.1", 0))
    s.connect((host, port))
    return s
def say(s, text):
    s.sendall(text)
    got = b""
    while len(got) < len(text):
        got += s.recv(100)
if sys.argv[1] == "full":
    for server in SERVERS:
        s = connect(*server); say(s, b"hello\n"); s.shutdown(socket.SHUT_WR); s.recv(100); s.close()
else:
    held = [connect(*server) for server in SERVERS]
    open(sys.argv[2], "w").write("connected")
    while not os.path.exists(sys.argv[3]):     # the capture is running
        time.sleep(0.05)
    for beat in range(3):
        for s in held: say(s, b"heartbeat %d\n" % beat)
        time.sleep(0.2)
    for s in held: s.close()
PY

# tcpdump on the namespace's loopback, --immediate-mode: without it, the packets of the
# last buffer block were lost at SIGINT (a window of 8 connections kept 2).
start_capture() {
  start_tcpdump dasaudit-winpair "$work/tcpdump-$1.err" -i lo -U --immediate-mode -w "$work/$1" tcp
  sleep 1
}
stop_capture() {
  sleep 0.5
  kill -INT "$tcpdump_pid"; wait "$tcpdump_pid" || true
  cp "$work/$1" "$out/$1"
}

start_capture window-full-lo.pcap
"${ns[@]}" python3 "$work/clients.py" full
stop_capture window-full-lo.pcap

# The idle window: the connections are opened first, the capture started after them.
"${ns[@]}" python3 "$work/clients.py" idle "$work/connected" "$work/go" &
clients=$!
until [ -e "$work/connected" ]; do sleep 0.1; done
sleep 0.5
start_capture window-idle-lo.pcap
touch "$work/go"
wait "$clients"
stop_capture window-idle-lo.pcap
