#!/usr/bin/env bash
# Records captures/ipv6-options-veth.pcap: HTTP over IPv6 whose client sends every packet
# with an extension header before TCP, a hop-by-hop options header (IPV6_HOPOPTS), a
# destination options header (IPV6_DSTOPTS) or both, as a host with a router-alert or
# jumbo option, or a tunnel's encapsulation limit, does. A capture filter `tcp port N`
# does not look past such a header (BPF's `tcp` reads the fixed header's next-header field
# only), so it drops the client's side of these connections and keeps the server's.
#
# Two network namespaces, dasaudit-v6opt-s (server fd00:31:8::1) and dasaudit-v6opt-c
# (client fd00:31:8::2), joined by a veth pair (scripts/recording/netns-pair.sh). A Python
# server answers a request with 3,000 bytes on [fd00:31:8::1]:9763 (carbon.http.port at
# offset 0); the client fetches three times with options (hop-by-hop, destination, both:
# an 8-byte header of padding each) and once without. tcpdump -s 192 on the server's end,
# no filter but `tcp or ip6`.
#
# What the audit must say: Tests/EndToEndTests/CaptureFilterTests.swift.
# Needs root (namespaces, tcpdump). Traffic stays in the namespaces.
# Usage: sudo scripts/recording/record-ipv6-options.sh [CAPTURES_DIR]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="$(realpath -m "${1:-$ROOT/captures}")"
A=dasaudit-v6opt-s B=dasaudit-v6opt-c SUBNET=10.31.8
# shellcheck source=scripts/recording/netns-pair.sh
source "$ROOT/scripts/recording/netns-pair.sh"
ip -n "$A" addr add fd00:31:8::1/64 dev va nodad
ip -n "$B" addr add fd00:31:8::2/64 dev vb nodad

cat >"$WORK/server.py" <<'PY'
import socket
s = socket.socket(socket.AF_INET6); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("fd00:31:8::1", 9763)); s.listen(4); print("ready", flush=True)
while True:
    c, _ = s.accept()
    c.recv(4096)
    c.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 3000\r\nConnection: close\r\n\r\n" + b"d" * 3000)
    c.shutdown(socket.SHUT_WR)
    while c.recv(4096): pass
    c.close()
PY

cat >"$WORK/client.py" <<'PY'
import socket, time
padding = bytes([0, 0, 1, 4, 0, 0, 0, 0])  # next header and length (set by the kernel), PadN of 4
hop = (socket.IPPROTO_IPV6, socket.IPV6_HOPOPTS, padding)
destination = (socket.IPPROTO_IPV6, socket.IPV6_DSTOPTS, padding)
for options in ([hop], [destination], [hop, destination], []):
    c = socket.socket(socket.AF_INET6)
    for option in options: c.setsockopt(*option)
    c.connect(("fd00:31:8::1", 9763)); c.sendall(b"GET / HTTP/1.1\r\nHost: das\r\n\r\n")
    got = 0
    while (d := c.recv(65536)): got += len(d)
    c.close(); print(len(options), "options:", got, "bytes", flush=True); time.sleep(0.05)
PY

ip netns exec "$A" tcpdump -i va --immediate-mode -s 192 -U -w "$WORK/ipv6-options-veth.pcap" 'tcp or ip6' 2>"$WORK/tcpdump.log" &
pids+=($!)
for _ in $(seq 50); do grep -q listening "$WORK/tcpdump.log" 2>/dev/null && break; sleep 0.1; done
ip netns exec "$A" python3 "$WORK/server.py" >"$WORK/server.log" 2>&1 &
pids+=($!)
for _ in $(seq 50); do grep -q ready "$WORK/server.log" 2>/dev/null && break; sleep 0.1; done
ip netns exec "$B" python3 "$WORK/client.py" >&2
sleep 0.5
kill -INT "${pids[0]}"
wait "${pids[0]}" 2>/dev/null || true
mkdir -p "$out"
cp "$WORK/ipv6-options-veth.pcap" "$out/"
printf '%s: %s\n' ipv6-options-veth.pcap "$(tail -n 3 "$WORK/tcpdump.log" | tr '\n' ' ')" >&2
