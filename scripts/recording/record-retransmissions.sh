#!/usr/bin/env bash
# Records real TCP retransmissions that come within 67 ms of the segment they resend, over
# IPv4 and IPv6: what `--deduplicate` must not take for copies of one packet.
#
#   sudo scripts/recording/record-retransmissions.sh [OUTDIR]   # default: captures/
#
# Two hosts in network namespaces joined by a veth pair: the server 10.29.10.1 and
# fd00:29:10::1 (Python, sending 150 kB in answer to each request on 9763), the client
# 10.29.10.2 and fd00:29:10::2 (four requests over each family). The server's end sends at
# 20 Mbit/s (tbf), so that its queue makes the round trip some milliseconds long, and the
# client's nftables input drops one in eight of the server's segments at random, after
# tcpdump on the client's end (-s 192) has captured them: the capture holds each lost
# segment and its retransmission (a fast or RACK retransmit), milliseconds later. Writes OUTDIR/retransmissions-veth.pcap.
#
# Needs root (ip netns, tc, nft, tcpdump). Traffic stays inside the two namespaces it
# creates, which are removed on exit.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="$(realpath -m "${1:-$ROOT/captures}")"
PY=/usr/bin/python3
A=ts29-rt-s B=ts29-rt-c SUBNET=10.29.10
mkdir -p "$OUT"
# shellcheck source=scripts/recording/netns-pair.sh
source "$ROOT/scripts/recording/netns-pair.sh"
ip -n "$A" addr add fd00:29:10::1/64 dev va nodad
ip -n "$B" addr add fd00:29:10::2/64 dev vb nodad
ip netns exec "$A" tc qdisc add dev va root tbf rate 20mbit burst 16kb latency 100ms
ip netns exec "$B" nft -f - <<'NFT'
table inet lossy {
    chain input {
        type filter hook input priority 0;
        tcp sport 9763 numgen random mod 8 == 0 drop
    }
}
NFT

cat >"$WORK/server.py" <<'PY'
import socket, threading
def serve(family, address):
    s = socket.socket(family); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((address, 9763)); s.listen()
    while True:
        c, _ = s.accept()
        with c:
            c.recv(100); c.sendall(b"r" * 150_000); c.shutdown(socket.SHUT_WR)
            while c.recv(65536): pass
for args in ((socket.AF_INET, "10.29.10.1"), (socket.AF_INET6, "fd00:29:10::1")):
    threading.Thread(target=serve, args=args, daemon=True).start()
print("ready", flush=True)
threading.Event().wait()
PY

cat >"$WORK/client.py" <<'PY'
import socket, time
for host in ("10.29.10.1", "fd00:29:10::1"):
    for _ in range(4):
        c = socket.create_connection((host, 9763)); c.sendall(b"GET\n")
        got = 0
        while (n := len(c.recv(65536))): got += n
        c.close(); print(host, got, flush=True); time.sleep(0.1)
PY

ip netns exec "$B" tcpdump -i vb -s 192 -U -w "$WORK/retransmissions-veth.pcap" tcp 2>"$WORK/tcpdump.log" &
pids+=($!)
for _ in $(seq 50); do grep -q listening "$WORK/tcpdump.log" 2>/dev/null && break; sleep 0.1; done
ip netns exec "$A" "$PY" "$WORK/server.py" >"$WORK/server.log" &
pids+=($!)
for _ in $(seq 50); do grep -q ready "$WORK/server.log" && break; sleep 0.1; done
ip netns exec "$B" "$PY" "$WORK/client.py" >&2
ip netns exec "$A" ss -tni >&2 || true
sleep 0.5
kill -INT "${pids[0]}"
wait "${pids[0]}" 2>/dev/null || true
cp "$WORK/retransmissions-veth.pcap" "$OUT/"
printf '%s: %s\n' retransmissions-veth.pcap "$(tail -n 2 "$WORK/tcpdump.log" | tr '\n' ' ')" >&2
