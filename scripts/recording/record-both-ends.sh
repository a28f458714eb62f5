#!/usr/bin/env bash
# Records the same traffic at both of its ends: two hosts in network namespaces joined by
# a veth pair, each capturing its own side with tcpdump.
#
#   sudo scripts/recording/record-both-ends.sh [OUTDIR]   # default: captures/
#
# Writes OUTDIR/both-ends-a.pcap (captured on host a, 10.77.0.1) and
# OUTDIR/both-ends-b.pcap (captured on host b, 10.77.0.2). A DAS/Spark-like pair at port
# offset 2 (cores 2): b serves thrift.tcp.port 7613, an executor at 12002, an executor
# out of range at 12006 and a rogue service at 31337; a serves the driver at 13002.
# a connects to each of b's services (several connections, real data both ways, normal
# close), and once to b:5000 where nothing listens (refused); b connects to a's driver.
# Every connection crosses the veth, so each appears in both captures, with each host's
# own timestamps. The merge test (Tests/EndToEndTests/MergeTests.swift) audits each
# capture alone and merges the two results: the merge must count every connection once.
#
# Needs root (ip netns, tcpdump). Traffic stays inside the two namespaces it creates,
# which are removed on exit.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="$(realpath -m "${1:-$ROOT/captures}")"
PY=/usr/bin/python3
A=dasaudit-end-a B=dasaudit-end-b SUBNET=10.77.0
mkdir -p "$OUT"
# shellcheck source=scripts/recording/netns-pair.sh
source "$ROOT/scripts/recording/netns-pair.sh"

cat >"$WORK/client.py" <<'PY'
import socket, sys, time
# host:port:connections[:refused]
for spec in sys.argv[1:]:
    host, port, count = spec.split(":")[:3]
    for i in range(int(count)):
        s = socket.socket()
        try:
            s.connect((host, int(port)))
        except ConnectionRefusedError:
            s.close(); continue
        for n in (100, 1000, 20000)[: 1 + i % 3]:
            s.sendall(b"q" * n)
            want, got = 3 * n, 0
            while got < want: got += len(s.recv(65536))
        s.shutdown(socket.SHUT_WR)
        while s.recv(65536): pass
        s.close()
        time.sleep(0.02)
PY

for side in a b; do
    ns=$([[ $side == a ]] && echo "$A" || echo "$B")
    dev=$([[ $side == a ]] && echo va || echo vb)
    ip netns exec "$ns" tcpdump -i "$dev" -s 0 -U -w "$WORK/both-ends-$side.pcap" tcp 2>"$WORK/tcpdump-$side.log" &
    pids+=($!)
done
for _ in $(seq 50); do
    grep -q listening "$WORK/tcpdump-a.log" 2>/dev/null && grep -q listening "$WORK/tcpdump-b.log" 2>/dev/null && break
    sleep 0.1
done
ip netns exec "$B" "$PY" "$ROOT/scripts/recording/reply_server.py" 3 7613 12002 12006 31337 >"$WORK/server-b.log" &
pids+=($!)
ip netns exec "$A" "$PY" "$ROOT/scripts/recording/reply_server.py" 3 13002 >"$WORK/server-a.log" &
pids+=($!)
for _ in $(seq 50); do grep -q ready "$WORK/server-a.log" && grep -q ready "$WORK/server-b.log" && break; sleep 0.1; done

ip netns exec "$A" "$PY" "$WORK/client.py" 10.77.0.2:7613:6 10.77.0.2:12002:4 10.77.0.2:12006:2 10.77.0.2:31337:2 10.77.0.2:5000:1
ip netns exec "$B" "$PY" "$WORK/client.py" 10.77.0.1:13002:3
sleep 1
for pid in "${pids[@]:0:2}"; do kill -INT "$pid"; done
wait "${pids[0]}" "${pids[1]}" 2>/dev/null || true
cp "$WORK/both-ends-a.pcap" "$WORK/both-ends-b.pcap" "$OUT/"
for side in a b; do
    printf '%s: %s\n' "both-ends-$side.pcap" "$(tail -n 2 "$WORK/tcpdump-$side.log" | tr '\n' ' ')" >&2
done
