#!/usr/bin/env bash
# Records captures/tcp-features-veth-s80.pcap, TCP doing what is not a capture's loss but
# moves sequence and acknowledgment numbers in ways a loss measure could take for one, and
# captures/tcp-features-wrapped-veth-s80.pcap, the same packets with every sequence and
# acknowledgment number moved so that each connection's numbers wrap past 2^32.
#
# Two hosts in network namespaces joined by a veth pair (offloads off), the server
# 10.38.0.1 on 9763 (carbon.http.port at offset 0), captured on the server's end with
# `tcpdump -s 80` (headers and the first payload bytes). The client 10.38.0.2, in turn:
#   - TCP Fast Open (net.ipv4.tcp_fastopen=3 both ends): a first connection takes a cookie,
#     a second sends its 100-byte request in its SYN (MSG_FASTOPEN), which the server takes;
#   - keep-alives (SO_KEEPALIVE, TCP_KEEPIDLE 1 s, TCP_KEEPINTVL 1 s): an idle connection,
#     whose probes go at the sequence number before the next, for 3.5 s;
#   - zero-window probes: the server stops reading (its receive buffer 4 KiB) while the
#     client sends 200 KB; the client's window probes go for 3 s, then the server reads all;
#   - a bulk send of 200 KB in 100-byte writes with a receiver that reads slowly (its window
#     opens and closes), then a close.
# The wrapped copy is written from the first with scapy: each side's numbers moved by
# 2^32 - (its first sequence number) - 5000, so that a few thousand bytes into each
# direction the numbers wrap past 0.
#
#   sudo scripts/recording/record-tcp-features.sh [OUTDIR]   # default: captures/
#
# What the audits must say: Tests/EndToEndTests/CaptureLossCaptureTests.swift (no byte
# missed). Needs root (ip netns, tcpdump) and python3 with scapy. Traffic stays inside the
# two namespaces it creates, which are removed on exit.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="$(realpath -m "${1:-$ROOT/captures}")"
A=dasaudit-tcpfeat-s B=dasaudit-tcpfeat-c SUBNET=10.38.0
mkdir -p "$OUT"
# shellcheck source=scripts/recording/netns-pair.sh
source "$ROOT/scripts/recording/netns-pair.sh"
ip netns exec "$A" sysctl -qw net.ipv4.tcp_fastopen=3
ip netns exec "$B" sysctl -qw net.ipv4.tcp_fastopen=3

ip netns exec "$A" python3 - <<'PY' >"$WORK/server.log" 2>&1 &
import socket, threading, time
listener = socket.socket()
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
listener.setsockopt(socket.IPPROTO_TCP, socket.TCP_FASTOPEN, 16)
listener.bind(("10.38.0.1", 9763))
listener.listen(16)
def serve(conn):
    first = conn.recv(100)
    if first.startswith(b"STALL"):
        time.sleep(3)          # the client's window probes meet a zero window
    elif first.startswith(b"SLOW"):
        while True:
            data = conn.recv(1000)
            if not data:
                break
            time.sleep(0.001)  # a slow reader: its window opens and closes
        conn.close()
        return
    data = first
    while data:
        conn.sendall(b"ok:" + data[:20])
        data = conn.recv(65536)
    conn.close()
while True:
    conn, _ = listener.accept()
    threading.Thread(target=serve, args=(conn,), daemon=True).start()
PY
pids+=($!)
wait_listening "$A" 9763
start_tcpdump "$A" "$WORK/tcpdump.log" -i va -s 80 -U -w "$WORK/tcp-features-veth-s80.pcap" 'tcp port 9763'
pids+=("$tcpdump_pid")

ip netns exec "$B" python3 - <<'PY'
import socket, time
SERVER = ("10.38.0.1", 9763)
MSG_FASTOPEN = 0x20000000
# TCP Fast Open: the first connection takes the cookie, the second sends data in its SYN.
for _ in range(2):
    s = socket.socket()
    s.sendto(b"R" * 100, MSG_FASTOPEN, SERVER)
    assert s.recv(100).startswith(b"ok:")
    s.close()
    time.sleep(0.2)
# Keep-alives on an idle connection.
s = socket.create_connection(SERVER)
s.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, 1)
s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPINTVL, 1)
s.sendall(b"hello")
assert s.recv(100).startswith(b"ok:")
time.sleep(3.5)
s.close()
# Zero-window probes: the server stops reading for 3 s.
s = socket.create_connection(SERVER)
s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 65536)
s.sendall(b"STALL")
s.setblocking(False)
sent, payload, deadline = 0, b"z" * 200_000, time.time() + 10
while sent < len(payload) and time.time() < deadline:
    try:
        sent += s.send(payload[sent:sent + 1000])
    except BlockingIOError:
        time.sleep(0.05)
s.setblocking(True)
s.shutdown(socket.SHUT_WR)
s.settimeout(10)
while s.recv(65536):
    pass
s.close()
# A bulk send to a slow reader.
s = socket.create_connection(SERVER)
s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
s.sendall(b"SLOW")
for _ in range(2000):
    s.sendall(b"b" * 100)
s.shutdown(socket.SHUT_WR)
s.settimeout(10)
s.recv(100)
s.close()
PY
sleep 2
kill -INT "$tcpdump_pid"
wait "$tcpdump_pid" 2>/dev/null || true
cp "$WORK/tcp-features-veth-s80.pcap" "$OUT/"

# Every connection's numbers moved so that they wrap past 2^32 a few thousand bytes in.
python3 - "$OUT/tcp-features-veth-s80.pcap" "$OUT/tcp-features-wrapped-veth-s80.pcap" <<'PY'
import sys
from scapy.all import rdpcap, wrpcap, TCP, IP
packets = rdpcap(sys.argv[1])
shift = {}
for packet in packets:
    if TCP not in packet:
        continue
    ip, tcp = packet[IP], packet[TCP]
    side, other = (ip.src, tcp.sport, ip.dst, tcp.dport), (ip.dst, tcp.dport, ip.src, tcp.sport)
    if side not in shift:
        shift[side] = (2**32 - tcp.seq - 5000) % 2**32
    tcp.seq = (tcp.seq + shift[side]) % 2**32
    if tcp.flags & 0x10 and other in shift:
        tcp.ack = (tcp.ack + shift[other]) % 2**32
    del tcp.chksum  # written again, so that the packet is not damaged
wrpcap(sys.argv[2], packets)
PY
chmod 644 "$OUT"/tcp-features-*veth-s80.pcap
printf '%s\n' "$(tail -n 3 "$WORK/tcpdump.log" | tr '\n' ' ')" >&2
