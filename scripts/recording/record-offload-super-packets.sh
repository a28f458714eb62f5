#!/usr/bin/env bash
# Records captures/offload-super-packets-veth.pcap: one upload and one download through a
# veth pair with segmentation and receive offloads on at the server, captured whole there,
# so that the capture holds the super-packets the server's kernel handled: the segments
# GRO merged on receipt and the ones it sent before TSO cut them up, each longer than an
# Ethernet frame and carrying no checksum a receiver would check (the pseudo-header's).
#
#   sudo scripts/recording/record-offload-super-packets.sh [OUTDIR]   # default: captures/
#
# Network namespaces dasaudit-offload-s (server, 10.39.1.1, TSO, GSO, GRO and checksum
# offload on) and dasaudit-offload-c (client, 10.39.1.2, segmentation and transmit checksum
# offload off, so that its segments leave whole, with their full sums, and GRO at the
# server merges them). The client sends 40,000 bytes to 9763 and reads 20,000 back, on one
# connection. tcpdump -s 0 on the server's end.
#
# What the audit must say: Tests/EndToEndTests/ChecksumCaptureTests.swift.
# Needs root (ip netns, ethtool, tcpdump). Traffic stays inside the two namespaces it
# creates, which are removed on exit.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="$(realpath -m "${1:-$ROOT/captures}")"
A=dasaudit-offload-s B=dasaudit-offload-c SUBNET=10.39.1
mkdir -p "$OUT"
# shellcheck source=scripts/recording/netns-pair.sh
source "$ROOT/scripts/recording/netns-pair.sh"
ip netns exec "$A" ethtool -K va tso on gso on gro on tx on rx on >/dev/null
ip netns exec "$B" ethtool -K vb tso off gso off gro off tx off >/dev/null
ip netns exec "$A" ethtool -k va | grep -E '^(tcp-segmentation-offload|generic-receive-offload|tx-checksumming):' >&2

cat >"$WORK/server.py" <<'PY'
import socket
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("10.39.1.1", 9763)); s.listen(8)
while True:
    c, _ = s.accept()
    got = 0
    while got < 40000: got += len(c.recv(65536))
    c.sendall(b"d" * 20000); c.shutdown(socket.SHUT_WR)
    while c.recv(65536): pass
    c.close()
PY
cat >"$WORK/client.py" <<'PY'
import socket
c = socket.create_connection(("10.39.1.1", 9763)); c.sendall(b"u" * 40000)
got = 0
while (n := len(c.recv(65536))): got += n
c.close(); assert got == 20000, got
PY
ip netns exec "$A" python3 "$WORK/server.py" &
pids+=($!)
wait_listening "$A" 9763
start_tcpdump "$A" "$WORK/tcpdump.log" -i va -s 0 -U -w "$WORK/offload-super-packets-veth.pcap" tcp
pids+=("$tcpdump_pid")
ip netns exec "$B" python3 "$WORK/client.py"
sleep 1
kill -INT "$tcpdump_pid"
wait "$tcpdump_pid" 2>/dev/null || true
cp "$WORK/offload-super-packets-veth.pcap" "$OUT/"
printf '%s: %s\n' offload-super-packets-veth.pcap "$(tail -n 3 "$WORK/tcpdump.log" | tr '\n' ' ')" >&2
