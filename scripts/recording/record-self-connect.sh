#!/usr/bin/env bash
# Records captures/self-connect-lo.pcap: TCP self-connects, a client socket connected to
# itself because nothing listened on the port it asked for.
#
# A client that connects to a local port inside its own ephemeral range (a retry loop
# waiting for a service that is down) is sometimes given that very port as its source port;
# its SYN then reaches its own socket, which answers as in a simultaneous open, and connect()
# succeeds with no server at all. In a namespace of its own ("$NETNS", default
# dasaudit-selfconn) with net.ipv4.ip_local_port_range = 9763 9766, nothing listening:
# a Python client connects to 127.0.0.1:9763 (carbon.http.port at offset 0) again and again
# until it is connected (the refused tries are RSTs), sends a request line to itself, reads
# it back and closes; then a socket bound to 127.0.0.1:45555 connects to that same address.
# tcpdump on the namespace's loopback.
#
# What the audit must say: Tests/EndToEndTests/SelfConnectCaptureTests.swift.
# Needs root (a namespace, tcpdump). Traffic stays in the namespace's loopback.
# Usage: sudo [NETNS=name] scripts/recording/record-self-connect.sh [CAPTURES_DIR]
set -euo pipefail
out="$(realpath -m "${1:-$(cd "$(dirname "$0")/../.." && pwd)/captures}")"
command -v tcpdump >/dev/null || apt-get install -y -qq tcpdump
ns=${NETNS:-dasaudit-selfconn}
NAMESPACES=("$ns")
# shellcheck source=scripts/recording/namespaces.sh
source "$(dirname "$0")/namespaces.sh"
ip netns exec "$ns" sysctl -qw net.ipv4.ip_local_port_range="9763 9766"

cat >"$work/self_connect.py" <<'PY'
import socket
for tries in range(1, 1000):
    c = socket.socket()
    try:
        c.connect(("127.0.0.1", 9763))
    except ConnectionRefusedError:
        c.close(); continue
    print("connected to itself on try", tries, c.getsockname(), c.getpeername(), flush=True)
    c.sendall(b"GET / HTTP/1.1\r\nHost: das\r\n\r\n"); print(c.recv(100), flush=True); c.close()
    break
c = socket.socket(); c.bind(("127.0.0.1", 45555)); c.connect(("127.0.0.1", 45555))
c.sendall(b"hello\n"); print(c.recv(100), flush=True); c.close()
PY

ip netns exec "$ns" tcpdump -i lo --immediate-mode -s 192 -U -w "$work/self-connect-lo.pcap" tcp 2>"$work/tcpdump.log" &
pids+=($!)
for _ in $(seq 50); do grep -q listening "$work/tcpdump.log" 2>/dev/null && break; sleep 0.1; done
ip netns exec "$ns" python3 "$work/self_connect.py" >&2
sleep 1
kill -INT "${pids[0]}"
wait "${pids[0]}" 2>/dev/null || true
mkdir -p "$out"
cp "$work/self-connect-lo.pcap" "$out/"
printf '%s: %s\n' self-connect-lo.pcap "$(tail -n 3 "$work/tcpdump.log" | tr '\n' ' ')" >&2
