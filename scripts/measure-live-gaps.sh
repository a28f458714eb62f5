#!/usr/bin/env bash
# Measures the gap between successive `dasaudit live --duration` runs of one capture point:
# from one run's last packet to the next one's first, with traffic every 20 ms, so that the
# gap is the dead time between two runs (exit, start, opening the capture) and not quiet.
# What docs/merge.md's 2 s tolerance for joining a capture point's windows rests on
# (`CaptureGaps.tolerance`). In a network namespace of its own, `dasaudit-livegap`,
# removed on exit. Needs root.
#   scripts/measure-live-gaps.sh DASAUDIT [RUNS] [SECONDS]   (prints each gap, then the merge's line)
set -euo pipefail
DASAUDIT=$(realpath "$1"); RUNS=${2:-10}; SECONDS_PER_RUN=${3:-2}
NS=dasaudit-livegap
WORK=$(mktemp -d)
cleanup() { kill "${pids[@]}" 2>/dev/null || true; ip netns del "$NS" 2>/dev/null || true; rm -rf "$WORK"; }
pids=()
trap cleanup EXIT
ip netns add "$NS"
ip -n "$NS" link set lo up
# A server on 7080 echoing what it gets, and a client writing 8 bytes every 20 ms on one
# connection, and opening a new one every second.
ip netns exec "$NS" python3 - <<'PY' &
import socket, threading
server = socket.socket(); server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(("127.0.0.1", 7080)); server.listen(64)
def echo(connection):
    while (data := connection.recv(4096)): connection.sendall(data)
while True:
    connection, _ = server.accept()
    threading.Thread(target=echo, args=(connection,), daemon=True).start()
PY
pids+=($!)
sleep 0.5
ip netns exec "$NS" python3 - <<'PY' &
import socket, time
held = socket.create_connection(("127.0.0.1", 7080))
tick = 0
while True:
    held.sendall(b"heartbt\n"); held.recv(64)
    tick += 1
    if tick % 50 == 0:
        with socket.create_connection(("127.0.0.1", 7080)) as short:
            short.sendall(b"hello\n"); short.recv(64)
    time.sleep(0.02)
PY
pids+=($!)
sleep 0.5
for run in $(seq 1 "$RUNS"); do
    ip netns exec "$NS" "$DASAUDIT" live -i lo --duration "${SECONDS_PER_RUN}s" --capture-point livegap --connections \
        --fail-on never --format json --output "$WORK/w$run.json" --offset 0 --mode local --cores 1 2>/dev/null || true
done
python3 - "$WORK" "$RUNS" <<'PY'
import json, sys, datetime
def t(text): return datetime.datetime.fromisoformat(text[:26]).timestamp() + int(text[26:29]) * 1e-9
work, runs = sys.argv[1], int(sys.argv[2])
windows = [json.load(open(f"{work}/w{run}.json"))["coverage"] for run in range(1, runs + 1)]
gaps = [t(b["capture_start"]) - t(a["capture_end"]) for a, b in zip(windows, windows[1:])]
for gap in gaps: print(f"gap {gap:.3f} s")
print(f"gaps: {len(gaps)}, min {min(gaps):.3f} s, median {sorted(gaps)[len(gaps)//2]:.3f} s, max {max(gaps):.3f} s")
PY
"$DASAUDIT" merge "$WORK"/w*.json --fail-on never --format json --output "$WORK/merged.json" 2>/dev/null || true
python3 -c "import json,sys; c=json.load(open(sys.argv[1]))['coverage']; print('merge: capture_gaps', c.get('capture_gaps'), 'joined', c.get('capture_gaps_joined'))" "$WORK/merged.json"
