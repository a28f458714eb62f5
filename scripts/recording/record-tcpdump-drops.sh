#!/usr/bin/env bash
# Records captures/tcpdump-drops-veth-s80.pcap and captures/tcpdump-no-drops-veth-s80.pcap:
# one exchange captured by two tcpdumps at once, writing pcap files (which have no place
# for a drop count), one of which loses packets in the kernel and one of which does not.
#
# A DAS-like node's HTTP port at offset 0 (10.36.0.1:9763, carbon.http.port) serves real
# HTTP (Python's http.server) through a veth pair (offloads off) to curl and to a client
# that uploads 100,000 bytes in 1,000 sends of 100 bytes, 0.3 ms apart, each its own
# segment (TCP_NODELAY). Both tcpdumps capture the server's end at `-s 80` (Ethernet,
# IPv4 and TCP with its options). The first, with the smallest buffer (`-B 1`: libpcap
# rounds it up to one 256 KiB block of its ring, some 1,600 packets at `-s 80`, which is
# why its file cannot be much smaller), is stopped (SIGSTOP) while the upload goes: its
# buffer fills and the kernel drops what no longer fits; it goes on (SIGCONT) once the
# upload is answered, before a second request on the same connection (whose
# acknowledgments cover the bytes it lost) and three more, and says on exit how many
# packets the kernel dropped. The second
# (`-B 8192`) is never stopped and drops nothing. The same traffic: the audit of the
# first must say that the capture lost packets (acknowledged data it never held), the
# second's must say none.
#
#   sudo scripts/recording/record-tcpdump-drops.sh [OUTDIR]   # default: captures/
#
# Network namespaces dasaudit-tdrops-s (server, 10.36.0.1) and dasaudit-tdrops-c (client,
# 10.36.0.2). What the audits must say: Tests/EndToEndTests/CaptureLossCaptureTests.swift.
# Needs root (ip netns, tcpdump), curl and python3. Traffic stays inside the two namespaces
# it creates, which are removed on exit.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="$(realpath -m "${1:-$ROOT/captures}")"
A=dasaudit-tdrops-s B=dasaudit-tdrops-c SUBNET=10.36.0
mkdir -p "$OUT"
command -v curl >/dev/null || apt-get install -y -q curl >/dev/null
# shellcheck source=scripts/recording/netns-pair.sh
source "$ROOT/scripts/recording/netns-pair.sh"

# Real HTTP/1.1: GETs get a page, a POST's body is read and acknowledged.
ip netns exec "$A" python3 "$(dirname "$0")/upload_server.py" 10.36.0.1 9763 >/dev/null 2>&1 &
pids+=($!)
wait_listening "$A" 9763

start_tcpdump "$A" "$WORK/drops.log" -i va -B 1 -s 80 -w "$WORK/tcpdump-drops-veth-s80.pcap" 'tcp port 9763'
dropping=$tcpdump_pid
pids+=("$dropping")
start_tcpdump "$A" "$WORK/no-drops.log" -i va -B 8192 -s 80 -w "$WORK/tcpdump-no-drops-veth-s80.pcap" 'tcp port 9763'
keeping=$tcpdump_pid
pids+=("$keeping")
for _ in 1 2 3; do ip netns exec "$B" curl -s -o /dev/null http://10.36.0.1:9763/; done
sleep 0.5

# The client stops the first tcpdump, uploads, and lets it go on once the server has
# answered; then asks again on the same connection (HTTP/1.1 keeps it open), so that the
# capture holds acknowledgments of the bytes it lost.
DROPPING=$dropping ip netns exec "$B" python3 - <<'PY'
import os, signal, socket, time
tcpdump = int(os.environ["DROPPING"])
s = socket.create_connection(("10.36.0.1", 9763))
s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
s.settimeout(10)
time.sleep(0.2)
os.kill(tcpdump, signal.SIGSTOP)
s.sendall(b"POST /upload HTTP/1.1\r\nHost: 10.36.0.1\r\nContent-Length: 100000\r\n\r\n")
for i in range(1_000):
    s.sendall(b"x" * 100)
    time.sleep(0.0003)
assert s.recv(4096).startswith(b"HTTP/1.1 200")
time.sleep(0.2)
os.kill(tcpdump, signal.SIGCONT)
time.sleep(0.5)
s.sendall(b"GET / HTTP/1.1\r\nHost: 10.36.0.1\r\n\r\n")
assert s.recv(4096).startswith(b"HTTP/1.1 200")
s.close()
PY
sleep 0.5
for _ in 1 2 3; do ip netns exec "$B" curl -s -o /dev/null http://10.36.0.1:9763/; done
sleep 1
kill -INT "$dropping" "$keeping"
wait "$dropping" "$keeping" 2>/dev/null || true
for name in drops no-drops; do
    cp "$WORK/tcpdump-$name-veth-s80.pcap" "$OUT/"
    chmod 644 "$OUT/tcpdump-$name-veth-s80.pcap"
    printf 'tcpdump-%s-veth-s80.pcap: %s\n' "$name" "$(grep packets "$WORK/$name.log" | tr '\n' ' ')" >&2
done
