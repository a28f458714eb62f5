#!/usr/bin/env bash
# Records captures/scanner-probes-veth.pcap: port scanners that send payload to the ports
# they find open (nmap -sV's version probes, a connect loop that sends a line), next to a
# real client that, besides its TLS, sends plaintext HTTP to the TLS port.
#
#   sudo scripts/recording/record-scanner-probes.sh [OUTDIR]     # default: captures/
#   PREFIX=myprobes sudo scripts/recording/record-scanner-probes.sh /tmp/out
#
# Four network namespaces, PREFIX-br (a bridge) and PREFIX-node (10.78.0.2), PREFIX-client
# (.3), PREFIX-scan (.10) on veth pairs to it (segmentation offloads off). The node serves
# a DAS node's ports at offset 2: thrift.ssl.port 7713 (socat OPENSSL-LISTEN, reads and
# discards), thrift.tcp.port 7613 (socat TCP-LISTEN, the same) and carbon.https.port 9445
# (Python's http.server wrapped in ssl). The client, for ROUNDS rounds a second apart,
# sends "event" over TLS to 7713 and in the clear to 7613, fetches https://node:9445/, and
# fetches http://node:9445/: plain HTTP to the TLS port, which the server does not answer
# (a real misconfigured client). The scanner runs, 2 s in, a Python connect loop over
# ports 1-400, 7613, 7713 and 9445 that sends "HELO\r\n" to each open port (the bug hunt's
# pyscan.py), then Debian's nmap `-sS -sV --version-light` of ports 1-1000, 7613, 7713
# and 9445. Recorded with tcpdump on the node's interface, 200 bytes a packet (every
# header and the first payload bytes the recognizers read).
#
# What the audit must say (captures/README.md, Tests/EndToEndTests/ScannerProbeCaptureTests.swift):
# the scanner's probes give no protocol finding; the client's plain HTTP to 9445 still does.
#
# Needs root (ip netns, tcpdump, nmap's raw SYNs), socat, openssl, curl, nmap. Traffic stays
# inside the namespaces it creates, which are removed on exit.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="$(realpath -m "${1:-$ROOT/captures}")"
PREFIX="${PREFIX:-dasaudit-probes}"
ROUNDS="${ROUNDS:-8}"
SUBNET=10.78.0
BR="$PREFIX-br" NODE="$PREFIX-node" CLIENT="$PREFIX-client" SCAN="$PREFIX-scan"
for tool in nmap socat curl openssl tcpdump; do command -v "$tool" >/dev/null || apt-get install -y -q "$tool" >/dev/null; done
mkdir -p "$OUT"
NAMESPACES=("$NODE" "$CLIENT" "$SCAN" "$BR")
here="$ROOT/scripts/recording"
# shellcheck source=scripts/recording/cleanup.sh
source "$here/cleanup.sh"
WORK=$work

ip netns add "$BR"
ip -n "$BR" link add br0 type bridge
ip -n "$BR" link set br0 up
number=0
for pair in "$NODE:2" "$CLIENT:3" "$SCAN:10"; do
    ns=${pair%:*} host=${pair##*:} number=$((number + 1))
    ip netns add "$ns"
    ip link add eth0 netns "$ns" type veth peer name "port$number" netns "$BR"
    ip -n "$BR" link set "port$number" master br0
    ip -n "$BR" link set "port$number" up
    ip -n "$ns" addr add "$SUBNET.$host/24" dev eth0
    ip -n "$ns" link set lo up
    ip -n "$ns" link set eth0 up
    ip netns exec "$ns" ethtool -K eth0 tso off gso off gro off 2>/dev/null || true
done

openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=das-node -keyout "$WORK/key.pem" -out "$WORK/cert.pem" 2>/dev/null
cat "$WORK/key.pem" "$WORK/cert.pem" > "$WORK/both.pem"
mkdir -p "$WORK/site" && echo "<html>carbon</html>" > "$WORK/site/index.html"
N=(ip netns exec "$NODE")
"${N[@]}" socat "OPENSSL-LISTEN:7713,fork,reuseaddr,cert=$WORK/both.pem,verify=0" SYSTEM:'cat >/dev/null' >/dev/null 2>&1 &
pids+=($!)
"${N[@]}" socat TCP-LISTEN:7613,fork,reuseaddr SYSTEM:'cat >/dev/null' >/dev/null 2>&1 &
pids+=($!)
"${N[@]}" python3 - "$WORK/both.pem" "$WORK/site" >/dev/null 2>&1 <<'PY' &
import functools, http.server, ssl, sys
handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=sys.argv[2])
server = http.server.ThreadingHTTPServer(("0.0.0.0", 9445), handler)
context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.load_cert_chain(sys.argv[1])
server.socket = context.wrap_socket(server.socket, server_side=True)
server.serve_forever()
PY
pids+=($!)
for port in 7613 7713 9445; do
    for _ in $(seq 50); do
        "${N[@]}" ss -ltn "sport = :$port" | grep -q LISTEN && break
        sleep 0.1
    done
done

"${N[@]}" tcpdump -i eth0 -s 200 -U -w "$WORK/scanner-probes-veth.pcap" tcp 2>"$WORK/tcpdump.log" &
tcpdump_pid=$!
for _ in $(seq 50); do
    grep -q listening "$WORK/tcpdump.log" 2>/dev/null && break
    sleep 0.1
done

C=(ip netns exec "$CLIENT")
(
    for _ in $(seq "$ROUNDS"); do
        echo event | "${C[@]}" timeout 2 socat - "OPENSSL:$SUBNET.2:7713,verify=0" >/dev/null 2>&1 || true
        echo event | "${C[@]}" timeout 2 socat - "TCP:$SUBNET.2:7613" >/dev/null 2>&1 || true
        "${C[@]}" curl -s -o /dev/null -k "https://$SUBNET.2:9445/" || true
        "${C[@]}" curl -s -o /dev/null -m 2 "http://$SUBNET.2:9445/" || true
        sleep 1
    done
) &
client=$!
sleep 2
S=(ip netns exec "$SCAN")
"${S[@]}" python3 - "$SUBNET.2" <<'PY'
import socket, sys
for port in list(range(1, 401)) + [7613, 7713, 9445]:
    s = socket.socket(); s.settimeout(0.5)
    try:
        s.connect((sys.argv[1], port)); s.sendall(b"HELO\r\n")
        try: s.recv(64)
        except OSError: pass
    except OSError: pass
    finally: s.close()
PY
"${S[@]}" nmap -n -Pn -sS -sV --version-light -p 1-1000,7613,7713,9445 "$SUBNET.2" >"$WORK/nmap.txt"
wait "$client"
sleep 1
kill -INT "$tcpdump_pid"; wait "$tcpdump_pid" 2>/dev/null || true
cp "$WORK/scanner-probes-veth.pcap" "$OUT/"
cat "$WORK/nmap.txt"
