#!/bin/bash
# Records captures/protocol-sides-lo.pcap: connections whose two sides disagree, connections
# picked up mid-stream, and multiplexed Thrift, from real components on loopback (what
# docs/protocols.md, "Which side names the protocol", is tested on). Needs root (tcpdump);
# run it in a network namespace of its own so that its addresses and ports are free:
#   ip netns add rec; ip netns exec rec ip link set lo up
#   ip netns exec rec scripts/recording/record-protocol-sides.sh [OUTDIR]; ip netns del rec
#
# - 127.0.0.90:7711 and 127.0.0.91:9443: openssl s_server with an s_client session opened
#   3.5 s before tcpdump starts, which sends a line (an HTTP request to 9443) after it: the
#   capture sees TLS application data only;
# - 127.0.0.80:9443: nginx without `ssl`, reached by curl https:// (a ClientHello answered by
#   a plaintext "400 Bad Request");
# - 127.0.0.81:9443: nginx with `ssl`, reached by curl http:// (a plaintext request answered
#   by nginx's plaintext "400 The plain HTTP request was sent to HTTPS port");
# - 127.0.0.63:31339: Python's http.server reached by curl https:// (a ClientHello answered
#   by an HTML error page with no status line, as HTTP/0.9 answers);
# - 127.0.0.62:9443: openssl s_server -www reached by curl http:// (the server says nothing);
# - 127.0.0.72:9443: OpenJDK's JSSE server (sides/TlsServer.java) reached by curl http://
#   (answered with a TLS alert, 15 03 03 00 02);
# - 127.0.0.36:7611 and 127.0.0.37:7611: python3-thrift through TMultiplexedProtocol
#   (method "ThriftEventTransmissionService:connect"), binary framed and compact buffered.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/../../captures}
# work (a temporary directory) and pids (the processes to stop), cleaned up on exit; no
# namespace of its own, as it runs in the caller's.
NAMESPACES=()
# shellcheck source=scripts/recording/namespaces.sh
source "$here/namespaces.sh"

missing=()
for tool in tcpdump openssl curl nginx java javac; do command -v "$tool" >/dev/null || missing+=("$tool"); done
/usr/bin/python3 -c 'import thrift' 2>/dev/null || missing+=(python3-thrift)
if ((${#missing[@]})); then
    apt-get install -y tcpdump openssl curl nginx-light default-jdk-headless python3-thrift >/dev/null
fi

openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=localhost -days 2 \
    -keyout "$work/server.key" -out "$work/server.crt" 2>/dev/null
openssl pkcs12 -export -in "$work/server.crt" -inkey "$work/server.key" -out "$work/ks.p12" -passout pass:changeit
javac -d "$work/java" "$here/sides/TlsServer.java"
cat > "$work/nginx.conf" <<CONF
daemon off; pid $work/nginx.pid; error_log $work/error.log;
events {}
http { access_log off; client_body_temp_path $work/body;
  server { listen 127.0.0.80:9443; location / { return 200 "plain\n"; } }
  server { listen 127.0.0.81:9443 ssl; ssl_certificate $work/server.crt; ssl_certificate_key $work/server.key;
           location / { return 200 "tls\n"; } }
}
CONF
background() { "$@" >/dev/null 2>&1 & pids+=($!); }

# The long sessions' servers read their stdin (an end of it ends the session): a pipe kept
# open, not the /dev/null a background command gets.
for server in 127.0.0.90:7711 127.0.0.91:9443; do
    timeout 30 openssl s_server -accept "$server" -cert "$work/server.crt" -key "$work/server.key" \
        -naccept 1 -quiet < <(sleep 20) >/dev/null 2>&1 & pids+=($!)
done
background timeout 30 openssl s_server -accept 127.0.0.62:9443 -cert "$work/server.crt" -key "$work/server.key" -www
background timeout 30 /usr/bin/python3 -m http.server -b 127.0.0.63 31339 -d "$work"
background timeout 30 nginx -c "$work/nginx.conf" -e "$work/error.log"
background timeout 30 java -cp "$work/java" TlsServer 127.0.0.72 9443 "$work/ks.p12"
background timeout 30 /usr/bin/python3 "$here/sides/thrift_peer.py" server 127.0.0.36 7611 binary framed
background timeout 30 /usr/bin/python3 "$here/sides/thrift_peer.py" server 127.0.0.37 7611 compact buffered
sleep 2
# The long sessions: a line 2 s after they open (before the capture), another 6 s after.
( sleep 2; echo hello1; sleep 4; echo hello2; sleep 2 ) |
    timeout 15 openssl s_client -connect 127.0.0.90:7711 -quiet >/dev/null 2>&1 & pids+=($!)
( sleep 2; printf 'GET / HTTP/1.1\r\nHost: x\r\n\r\n'; sleep 4; printf 'GET / HTTP/1.1\r\nHost: x\r\n\r\n'; sleep 2 ) |
    timeout 15 openssl s_client -connect 127.0.0.91:9443 -quiet >/dev/null 2>&1 & pids+=($!)
sleep 3.5
tcpdump -i lo -U -w "$work/sides.pcap" tcp 2>/dev/null & dump=$!
sleep 1
timeout 5 curl -sk https://127.0.0.80:9443/ -o /dev/null || true
timeout 5 curl -s http://127.0.0.81:9443/ -o /dev/null || true
timeout 5 curl -sk https://127.0.0.63:31339/ -o /dev/null || true
timeout 5 curl -s http://127.0.0.62:9443/ -o /dev/null || true
timeout 5 curl -s http://127.0.0.72:9443/ -o /dev/null || true
timeout 5 /usr/bin/python3 "$here/sides/thrift_peer.py" client 127.0.0.36 7611 binary framed mux || true
timeout 5 /usr/bin/python3 "$here/sides/thrift_peer.py" client 127.0.0.37 7611 compact buffered mux || true
sleep 4
kill -INT "$dump"; wait "$dump" || true
cp "$work/sides.pcap" "$out/protocol-sides-lo.pcap"
echo "wrote $out/protocol-sides-lo.pcap"
