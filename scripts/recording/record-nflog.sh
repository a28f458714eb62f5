#!/usr/bin/env bash
# Records captures/nflog-group5.pcap and its twin captures/nflog-twin-veth.pcap: the same
# traffic as a firewall host's netfilter log hands it to `tcpdump -i nflog:5` (link type
# NFLOG, 239) and as the server's interface carried it.
#
# Two network namespaces, dasaudit-nflog-s (server 10.31.5.1, fd00:31:5::1) and
# dasaudit-nflog-c (client 10.31.5.2, fd00:31:5::2), joined by a veth pair (va, vb;
# segmentation offloads off: scripts/recording/netns-pair.sh). In the server's namespace an nftables table
# dasaudit-nflog logs every TCP packet of its input and output hooks to group 5. A Python
# server answers each request with 5,000 bytes on 9763 (carbon.http.port at offset 0),
# 31020 (no catalog port) and [fd00:31:5::1]:9763; the client fetches twice from each and
# connects once to 9999, where nothing listens. tcpdump on nflog:5 and (-s 192) on the
# server's end of the veth, at the same time. nflog:5 is recorded whole (-s 0): with -s 192
# libpcap's receive buffer for the group shrinks with the snapshot length, and tcpdump
# kept 9 of the 80 messages the kernel sent in batches, counting no drop.
#
# What the audit must say: Tests/EndToEndTests/NFLOGCaptureTests.swift.
# Needs root (namespaces, nft, tcpdump). Traffic stays in the namespaces.
# Usage: sudo scripts/recording/record-nflog.sh [CAPTURES_DIR]
set -euo pipefail
out="$(realpath -m "${1:-$(cd "$(dirname "$0")/../.." && pwd)/captures}")"
command -v tcpdump >/dev/null && command -v nft >/dev/null || apt-get install -y -qq tcpdump nftables
A=dasaudit-nflog-s B=dasaudit-nflog-c SUBNET=10.31.5
# shellcheck source=scripts/recording/netns-pair.sh
source "$(dirname "$0")/netns-pair.sh"
S=$A C=$B
ip -n "$S" addr add fd00:31:5::1/64 dev va nodad
ip -n "$C" addr add fd00:31:5::2/64 dev vb nodad
ip netns exec "$S" nft -f - <<'NFT'
table inet dasaudit-nflog {
  chain in { type filter hook input priority 0; meta l4proto tcp log group 5; }
  chain out { type filter hook output priority 0; meta l4proto tcp log group 5; }
}
NFT

cat >"$work/server.py" <<'PY'
import socket, threading
def serve(family, address, port):
    s = socket.socket(family); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((address, port)); s.listen(8)
    while True:
        c, _ = s.accept()
        c.recv(4096)
        c.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 5000\r\nConnection: close\r\n\r\n" + b"d" * 5000)
        c.shutdown(socket.SHUT_WR)
        while c.recv(4096): pass
        c.close()
for args in ((socket.AF_INET, "10.31.5.1", 9763), (socket.AF_INET, "10.31.5.1", 31020),
             (socket.AF_INET6, "fd00:31:5::1", 9763)):
    threading.Thread(target=serve, args=args, daemon=True).start()
print("ready", flush=True)
threading.Event().wait()
PY

cat >"$work/client.py" <<'PY'
import socket, time
for address, port in (("10.31.5.1", 9763), ("10.31.5.1", 31020), ("fd00:31:5::1", 9763)):
    for _ in range(2):
        c = socket.create_connection((address, port)); c.sendall(b"GET / HTTP/1.1\r\nHost: das\r\n\r\n")
        got = 0
        while (d := c.recv(65536)): got += len(d)
        c.close(); print(address, port, got, flush=True); time.sleep(0.05)
try:
    socket.create_connection(("10.31.5.1", 9999), timeout=2)
except OSError as error:
    print("9999:", error, flush=True)
PY

ip netns exec "$S" tcpdump -i nflog:5 -s 0 -U -w "$work/nflog-group5.pcap" 2>"$work/tcpdump-nflog.log" &
pids+=($!)
ip netns exec "$S" tcpdump -i va -s 192 -U -w "$work/nflog-twin-veth.pcap" tcp 2>"$work/tcpdump-veth.log" &
pids+=($!)
for log in tcpdump-nflog.log tcpdump-veth.log; do
  for _ in $(seq 50); do grep -q listening "$work/$log" 2>/dev/null && break; sleep 0.1; done
done
ip netns exec "$S" python3 "$work/server.py" >"$work/server.log" 2>&1 &
pids+=($!)
for _ in $(seq 50); do grep -q ready "$work/server.log" && break; sleep 0.1; done
ip netns exec "$C" python3 "$work/client.py" >&2
sleep 1
kill -INT "${pids[0]}" "${pids[1]}"
wait "${pids[0]}" "${pids[1]}" 2>/dev/null || true
mkdir -p "$out"
cp "$work/nflog-group5.pcap" "$work/nflog-twin-veth.pcap" "$out/"
for log in tcpdump-nflog.log tcpdump-veth.log; do printf '%s: %s\n' "$log" "$(tail -n 3 "$work/$log" | tr '\n' ' ')" >&2; done
