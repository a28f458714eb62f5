#!/usr/bin/env bash
# Records captures/mptcp-join-tls-any-s192.pcap: TLS over Multipath TCP (RFC 8684), the
# way `mptcpize run` or an IPPROTO_MPTCP socket makes it, with a second path that joins
# the connection (MP_JOIN) and carries its bytes from the middle of a TLS record.
#
# Two network namespaces, dasaudit-mp-s (server) and dasaudit-mp-c (client), joined by two
# veth pairs: path 1 10.31.1.0/24 (dasaudit-mp1s, dasaudit-mp1c) and path 2 10.31.2.0/24
# (dasaudit-mp2s, dasaudit-mp2c), segmentation offloads off. net.mptcp.enabled=1 in both;
# the client's path-2 address is an MPTCP `subflow` endpoint, the server's path-2 address a
# `signal` endpoint (announced with ADD_ADDR). A Python TLS server (ssl over an
# IPPROTO_MPTCP socket, a throw-away self-signed certificate) listens on 0.0.0.0:9443
# (carbon.https.port at offset 0); the Python client connects to 10.31.1.1:9443 over MPTCP,
# completes the TLS handshake, and sends 10 writes of 16,000 bytes (a TLS record each), 50 ms
# apart, then reads to the end; the server sends no session ticket and nothing else. Path 1's
# client end sends at 2 Mbit/s (tbf), so records are still in flight on it when the
# scheduler hands the rest of them to path 2. 200 ms into the writes, path 1's client end goes down for
# 1.5 s, so the rest of the stream goes over the subflows of path 2, which take it up in
# the middle of a TLS record. tcpdump -i any -s 192 in the client's namespace.
#
# What the audit must say: Tests/EndToEndTests/MultipathJoinCaptureTests.swift.
# Needs root (namespaces, tcpdump) and a kernel with MPTCP. Traffic stays in the namespaces.
# Usage: sudo scripts/recording/record-mptcp-join.sh [CAPTURES_DIR]
set -euo pipefail
out="$(realpath -m "${1:-$(cd "$(dirname "$0")/../.." && pwd)/captures}")"
command -v tcpdump >/dev/null && command -v openssl >/dev/null || apt-get install -y -qq tcpdump openssl
S=dasaudit-mp-s C=dasaudit-mp-c
NAMESPACES=("$S" "$C")
# shellcheck source=scripts/recording/namespaces.sh
source "$(dirname "$0")/namespaces.sh"
for path in 1 2; do
  ip link add "dasaudit-mp${path}s" netns "$S" type veth peer name "dasaudit-mp${path}c" netns "$C"
  ip -n "$S" addr add "10.31.$path.1/24" dev "dasaudit-mp${path}s"
  ip -n "$C" addr add "10.31.$path.2/24" dev "dasaudit-mp${path}c"
  ip -n "$S" link set "dasaudit-mp${path}s" up
  ip -n "$C" link set "dasaudit-mp${path}c" up
  ip netns exec "$S" ethtool -K "dasaudit-mp${path}s" tso off gso off gro off >/dev/null 2>&1 || true
  ip netns exec "$C" ethtool -K "dasaudit-mp${path}c" tso off gso off gro off >/dev/null 2>&1 || true
done
for ns in "$S" "$C"; do
  ip netns exec "$ns" sysctl -qw net.mptcp.enabled=1
  ip -n "$ns" mptcp limits set subflow 4 add_addr_accepted 4
done
ip netns exec "$C" tc qdisc add dev dasaudit-mp1c root tbf rate 2mbit burst 8kb latency 200ms
ip -n "$C" mptcp endpoint add 10.31.2.2 dev dasaudit-mp2c subflow
ip -n "$S" mptcp endpoint add 10.31.2.1 dev dasaudit-mp2s signal
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$work/key.pem" -out "$work/cert.pem" \
  -subj /CN=das -days 2 2>/dev/null

cat >"$work/mptcp_tls.py" <<'PY'
import socket, ssl, sys, threading, time
IPPROTO_MPTCP = 262
if sys.argv[1] == "server":
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER); ctx.load_cert_chain(sys.argv[2], sys.argv[3])
    ctx.num_tickets = 0  # no NewSessionTicket: the joined subflows carry stream bytes only
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM, IPPROTO_MPTCP)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("0.0.0.0", 9443)); s.listen(4); print("ready", flush=True)
    c, _ = s.accept()
    t = ctx.wrap_socket(c, server_side=True); got = 0
    while got < 160_000:
        d = t.recv(65536)
        if not d: break
        got += len(d)
    t.close(); print("server got", got, flush=True)
else:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
    c = socket.socket(socket.AF_INET, socket.SOCK_STREAM, IPPROTO_MPTCP); c.connect(("10.31.1.1", 9443))
    t = ctx.wrap_socket(c); time.sleep(0.3)
    print("writing", flush=True)
    for _ in range(10): t.sendall(b"c" * 16000); time.sleep(0.05)
    got = 0
    try:
        while (d := t.recv(65536)): got += len(d)
    except (ssl.SSLError, OSError): pass
    t.close(); print("client got", got, flush=True)
PY

ip netns exec "$C" tcpdump -i any -s 192 -U -w "$work/mptcp-join-tls-any-s192.pcap" 'tcp or udp or ip6' 2>"$work/tcpdump.log" &
pids+=($!)
for _ in $(seq 50); do grep -q listening "$work/tcpdump.log" 2>/dev/null && break; sleep 0.1; done
(cd "$work" && exec ip netns exec "$S" python3 mptcp_tls.py server cert.pem key.pem) >"$work/server.log" 2>&1 &
pids+=($!)
for _ in $(seq 50); do grep -q ready "$work/server.log" && break; sleep 0.1; done
ip netns exec "$C" python3 "$work/mptcp_tls.py" client >"$work/client.log" 2>&1 &
client=$!
for _ in $(seq 100); do grep -q writing "$work/client.log" && break; sleep 0.05; done
sleep 0.2
ip -n "$C" link set dasaudit-mp1c down
sleep 1.5
ip -n "$C" link set dasaudit-mp1c up
wait "$client"
cat "$work/client.log" "$work/server.log" >&2
sleep 0.5
kill -INT "${pids[0]}"
wait "${pids[0]}" 2>/dev/null || true
mkdir -p "$out"
cp "$work/mptcp-join-tls-any-s192.pcap" "$out/"
printf '%s: %s\n' mptcp-join-tls-any-s192.pcap "$(tail -n 3 "$work/tcpdump.log" | tr '\n' ' ')" >&2
