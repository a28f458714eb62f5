#!/usr/bin/env bash
# Records a two-node fleet for `dasaudit merge`: two hosts in network namespaces joined by
# a veth pair, each capturing its own side with tcpdump, with connections that outlive
# the capture windows; then cuts each capture into 3-second windows with `editcap -i 3`.
#
#   sudo scripts/recording/record-fleet.sh [OUTDIR]   # default: captures/
#
# Writes OUTDIR/fleet-a.pcap (captured on host a, 10.78.0.1, interface va) and
# OUTDIR/fleet-b.pcap (host b, 10.78.0.2, interface vb), and their windows
# OUTDIR/fleet-a-w1.pcap, -w2, -w3 (and the same for b). Port offset 2, cores 2:
#   - a keeps one connection to b's thrift port 7613 open for about 7 s, sending every
#     0.25 s, then closes it: it crosses every window boundary and ends closed;
#   - b keeps one connection to a's driver port 13002 open past the end of the capture
#     (still established when tcpdump stops);
#   - a opens a short connection to b's executor port 12002 every second, one to the
#     rogue port 31337 and one to 5000, where nothing listens (refused).
# Every connection crosses the veth, so each is in both captures, each with its host's
# own timestamps. Tests/EndToEndTests/FleetMergeTests.swift audits the windows and the
# ends and merges them: windows of one capture point merge into the audit of the whole
# capture, both ends into each connection once, and any tree of merges into the same bytes.
#
# Needs root (ip netns, tcpdump) and editcap. Traffic stays inside the two namespaces it
# creates, which are removed on exit.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="$(realpath -m "${1:-$ROOT/captures}")"
PY=/usr/bin/python3
A=dasaudit-fleet-a B=dasaudit-fleet-b SUBNET=10.78.0
mkdir -p "$OUT"
command -v editcap >/dev/null || apt-get install -y tshark
# shellcheck source=scripts/recording/netns-pair.sh
source "$ROOT/scripts/recording/netns-pair.sh"

cat >"$WORK/client.py" <<'PY'
import socket, sys, time
# long HOST PORT SECONDS INTERVAL [open]: one connection sending every INTERVAL for
# SECONDS, then closed (or, with "open", left open until the process is killed).
# short HOST PORT COUNT INTERVAL: COUNT short exchanges, INTERVAL apart.
def exchange(s, n):
    s.sendall(b"q" * n)
    want, got = 2 * n, 0
    while got < want: got += len(s.recv(65536))
mode, host, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
if mode == "long":
    seconds, interval = float(sys.argv[4]), float(sys.argv[5])
    s = socket.create_connection((host, port))
    end = time.time() + seconds
    while time.time() < end:
        exchange(s, 100); time.sleep(interval)
    if sys.argv[6:] == ["open"]:
        time.sleep(3600)
    s.shutdown(socket.SHUT_WR)
    while s.recv(65536): pass
    s.close()
else:
    count, interval = int(sys.argv[4]), float(sys.argv[5])
    for _ in range(count):
        s = socket.socket()
        try:
            s.connect((host, port))
            exchange(s, 500)
            s.shutdown(socket.SHUT_WR)
            while s.recv(65536): pass
        except ConnectionRefusedError:
            pass
        s.close()
        time.sleep(interval)
PY

ip netns exec "$B" "$PY" "$ROOT/scripts/recording/reply_server.py" 2 7613 12002 31337 >"$WORK/server-b.log" &
pids+=($!)
ip netns exec "$A" "$PY" "$ROOT/scripts/recording/reply_server.py" 2 13002 >"$WORK/server-a.log" &
pids+=($!)
for _ in $(seq 50); do grep -q ready "$WORK/server-a.log" && grep -q ready "$WORK/server-b.log" && break; sleep 0.1; done
captures=()
for side in a b; do
    ns=$([[ $side == a ]] && echo "$A" || echo "$B")
    dev=$([[ $side == a ]] && echo va || echo vb)
    ip netns exec "$ns" tcpdump -i "$dev" -s 0 -U -w "$WORK/fleet-$side.pcap" tcp 2>"$WORK/tcpdump-$side.log" &
    pids+=($!); captures+=($!)
done
for _ in $(seq 50); do
    grep -q listening "$WORK/tcpdump-a.log" 2>/dev/null && grep -q listening "$WORK/tcpdump-b.log" 2>/dev/null && break
    sleep 0.1
done
sleep 0.2
ip netns exec "$A" "$PY" "$WORK/client.py" long 10.78.0.2 7613 7 0.25 &
long=$!
ip netns exec "$B" "$PY" "$WORK/client.py" long 10.78.0.1 13002 8 0.5 open &
pids+=($!)
sleep 0.3
ip netns exec "$A" "$PY" "$WORK/client.py" short 10.78.0.2 12002 8 1 &
short=$!
sleep 3.5
ip netns exec "$A" "$PY" "$WORK/client.py" short 10.78.0.2 31337 1 0
ip netns exec "$A" "$PY" "$WORK/client.py" short 10.78.0.2 5000 1 0
wait "$long" "$short"
sleep 1.5
for pid in "${captures[@]}"; do kill -INT "$pid"; done
wait "${captures[@]}" 2>/dev/null || true
for side in a b; do
    cp "$WORK/fleet-$side.pcap" "$OUT/"
    mkdir "$WORK/split-$side"
    editcap -F pcap -i 3 "$WORK/fleet-$side.pcap" "$WORK/split-$side/w.pcap"
    n=0
    for window in $(ls "$WORK/split-$side" | sort); do
        n=$((n + 1))
        cp "$WORK/split-$side/$window" "$OUT/fleet-$side-w$n.pcap"
    done
    printf '%s: %s; %d windows\n' "fleet-$side.pcap" "$(tail -n 2 "$WORK/tcpdump-$side.log" | tr '\n' ' ')" "$n" >&2
done
