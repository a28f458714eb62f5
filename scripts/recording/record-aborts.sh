#!/usr/bin/env bash
# Records servers that abort idle connections (a close with SO_LINGER 0, which sends a
# RST carrying the connection's sequence number) beside a connect to a closed port (the
# kernel's RST, sequence number 0), the second captured from the middle of the idle time
# on, as a capture begun while long-lived connections are open sees them.
#
#   sudo scripts/recording/record-aborts.sh [OUTDIR]   # default: captures/
#
# Two hosts in network namespaces joined by a veth pair: the server 10.29.9.1 (Python
# sockets on 31341, a rogue port, and 7611, thrift.tcp.port at offset 0), the client
# 10.29.9.2. The client connects to both, sends a line, reads the answer and waits; the
# capture starts while both idle; the client connects to closed 31340 (refused); then the
# server closes both with SO_LINGER 0. Three tcpdumps on the server's end (-s 192):
#   aborts-full-veth.pcap      both directions, from before the connects (tshark's view)
#   aborts-idle-veth.pcap      both directions, begun while the connections idle
#   aborts-idle-out-veth.pcap  the same moment on, -Q out: the servers' side only
#
# Needs root (ip netns, tcpdump). Traffic stays inside the two namespaces it creates,
# which are removed on exit.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="$(realpath -m "${1:-$ROOT/captures}")"
PY=/usr/bin/python3
A=ts29-abort-s B=ts29-abort-c SUBNET=10.29.9
mkdir -p "$OUT"
# shellcheck source=scripts/recording/netns-pair.sh
source "$ROOT/scripts/recording/netns-pair.sh"

cat >"$WORK/server.py" <<'PY'
import os, socket, struct, sys, time
trigger = sys.argv[1]
listeners = []
for port in (31341, 7611):
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("10.29.9.1", port)); s.listen(); listeners.append(s)
print("ready", flush=True)
conns = []
for s in listeners:
    c, _ = s.accept()
    c.recv(100); c.sendall(b"hello from %d\n" % s.getsockname()[1])
    conns.append(c)
while not os.path.exists(trigger): time.sleep(0.01)
for c in conns:
    c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    c.close()
    time.sleep(0.2)
PY

cat >"$WORK/client.py" <<'PY'
import socket, sys, time
conns = []
for port in (31341, 7611):
    c = socket.create_connection(("10.29.9.1", port)); c.sendall(b"hi\n"); c.recv(100); conns.append(c)
print("idle", flush=True)
for c in conns:
    try: print("read", c.recv(100), flush=True)
    except ConnectionResetError as e: print("reset", e, flush=True)
PY

start_tcpdump() {  # name, extra options
    ip netns exec "$A" tcpdump -i va -s 192 -U "${@:2}" -w "$WORK/$1.pcap" tcp 2>"$WORK/$1.log" &
    pids+=($!)
    for _ in $(seq 50); do grep -q listening "$WORK/$1.log" 2>/dev/null && break; sleep 0.1; done
}
start_tcpdump aborts-full-veth
ip netns exec "$A" "$PY" "$WORK/server.py" "$WORK/abort" >"$WORK/server.log" &
pids+=($!)
for _ in $(seq 50); do grep -q ready "$WORK/server.log" && break; sleep 0.1; done
ip netns exec "$B" "$PY" "$WORK/client.py" >"$WORK/client.log" &
pids+=($!)
for _ in $(seq 50); do grep -q idle "$WORK/client.log" && break; sleep 0.1; done
sleep 2
start_tcpdump aborts-idle-veth
start_tcpdump aborts-idle-out-veth -Q out
sleep 1
ip netns exec "$B" "$PY" -c 'import socket
try: socket.create_connection(("10.29.9.1", 31340))
except ConnectionRefusedError: print("refused")'
sleep 0.5
touch "$WORK/abort"
sleep 1
for pid in "${pids[0]}" "${pids[3]}" "${pids[4]}"; do kill -INT "$pid"; done
wait "${pids[0]}" "${pids[3]}" "${pids[4]}" 2>/dev/null || true
cat "$WORK/client.log" >&2
for name in aborts-full-veth aborts-idle-veth aborts-idle-out-veth; do
    cp "$WORK/$name.pcap" "$OUT/"
    printf '%s: %s\n' "$name.pcap" "$(tail -n 2 "$WORK/$name.log" | tr '\n' ' ')" >&2
done
