#!/bin/bash
# Records captures/proxy-protocol-lo.pcap: the management console behind HAProxy 2.6 with
# the PROXY protocol (send-proxy, send-proxy-v2), as load balancers front DAS, from real
# components on loopback at port offset 2 (what docs/protocols.md, "A load balancer's
# PROXY protocol header", is tested on). Needs root (tcpdump, addresses on lo); run it in
# a network namespace of its own so that its addresses and ports are free:
#   ip netns add dasaudit-rec; ip netns exec dasaudit-rec ip link set lo up
#   ip netns exec dasaudit-rec scripts/recording/record-proxy-protocol.sh [OUTDIR]
#   ip netns del dasaudit-rec
#
# Backends, nginx 1.22 with `proxy_protocol` on its listeners; frontends, HAProxy in TCP
# mode on 127.0.0.9, each backend server with `check inter 400ms` (HAProxy's health checks
# then send the PROXY header alone and close, the default with send-proxy):
# - 127.0.0.1:9445 (carbon.https.port) `ssl`, behind 127.0.0.9:8443 `send-proxy` (v1 text
#   header, "PROXY TCP4 ...\r\n");
# - 127.0.0.2:9445 `ssl`, behind 127.0.0.9:8444 `send-proxy-v2` (v2 binary header; its
#   health checks send the LOCAL command);
# - 127.0.0.3:9765 (carbon.http.port), plain HTTP, behind 127.0.0.9:8080 `send-proxy`;
# - 127.0.0.4:9445 `ssl`, behind [fd12:...:bcd1]:8443 `send-proxy`: curl from
#   fd12:...:bcd2 makes a v1 "PROXY TCP6" header of 103 bytes, longer than the 96 bytes
#   dasaudit keeps of a segment;
# - 127.0.0.5:9445, openssl s_server (no PROXY protocol: it waits for a hello), sent a
#   PROXY header and a plaintext GET in one segment by Python's socket: the client spoke
#   in the clear behind the header, still a finding.
# Clients: curl https:// twice to 8443 and 8444, curl http:// twice to 8080, once to the
# IPv6 frontend, curl http:// (plaintext) once through 8443 to the TLS console (nginx
# answers its plaintext 400).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/../../captures}
long6=fd12:3456:789a:bcde:f012:3456:789a
# shellcheck source=scripts/recording/cleanup.sh
source "$here/cleanup.sh"
at_exit 'ip addr del "$long6:bcd1/128" dev lo; ip addr del "$long6:bcd2/128" dev lo'

missing=()
for tool in tcpdump openssl curl nginx haproxy python3; do command -v "$tool" >/dev/null || missing+=("$tool"); done
if ((${#missing[@]})); then apt-get install -y tcpdump openssl curl nginx-light haproxy python3 >/dev/null; fi

ip addr add "$long6:bcd1/128" dev lo nodad
ip addr add "$long6:bcd2/128" dev lo nodad
openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=localhost -days 2 \
    -keyout "$work/server.key" -out "$work/server.crt" 2>/dev/null
tls="ssl proxy_protocol; ssl_certificate $work/server.crt; ssl_certificate_key $work/server.key"
cat > "$work/nginx.conf" <<CONF
daemon off; pid $work/nginx.pid; error_log $work/error.log;
events {}
http { access_log off; client_body_temp_path $work/body;
  server { listen 127.0.0.1:9445 $tls; location / { return 200 "tls\n"; } }
  server { listen 127.0.0.2:9445 $tls; location / { return 200 "tls\n"; } }
  server { listen 127.0.0.4:9445 $tls; location / { return 200 "tls\n"; } }
  server { listen 127.0.0.3:9765 proxy_protocol; location / { return 200 "plain\n"; } }
}
CONF
cat > "$work/haproxy.cfg" <<CONF
defaults
  mode tcp
  timeout connect 2s
  timeout client 10s
  timeout server 10s
listen console_v1
  bind 127.0.0.9:8443
  server das1 127.0.0.1:9445 send-proxy check inter 400ms
listen console_v2
  bind 127.0.0.9:8444
  server das2 127.0.0.2:9445 send-proxy-v2 check inter 400ms
listen console_http
  bind 127.0.0.9:8080
  server das3 127.0.0.3:9765 send-proxy check inter 400ms
listen console_v6
  bind [$long6:bcd1]:8443
  server das4 127.0.0.4:9445 send-proxy
CONF
background() { "$@" >/dev/null 2>&1 & pids+=($!); }
background timeout 30 nginx -c "$work/nginx.conf" -e "$work/error.log"
background timeout 30 openssl s_server -accept 127.0.0.5:9445 -cert "$work/server.crt" -key "$work/server.key" -www
sleep 1.5
tcpdump -i lo -U -w "$work/proxy.pcap" tcp 2>/dev/null & dump=$!
sleep 1
background timeout 20 haproxy -f "$work/haproxy.cfg"
sleep 1.2
for _ in 1 2; do
    timeout 5 curl -sk https://127.0.0.9:8443/ -o /dev/null
    timeout 5 curl -sk https://127.0.0.9:8444/ -o /dev/null
    timeout 5 curl -s http://127.0.0.9:8080/ -o /dev/null
done
timeout 5 curl -sk --interface "$long6:bcd2" "https://[$long6:bcd1]:8443/" -o /dev/null
timeout 5 curl -s http://127.0.0.9:8443/ -o /dev/null || true
timeout 5 python3 - <<'PY'
import socket
s = socket.create_connection(("127.0.0.5", 9445), timeout=2)
s.sendall(b"PROXY TCP4 127.0.0.9 127.0.0.5 40000 9445\r\nGET / HTTP/1.1\r\nHost: 127.0.0.5\r\n\r\n")
try:
    s.recv(100)
except socket.timeout:
    pass
s.close()
PY
sleep 1
kill -INT "$dump"; wait "$dump" || true
cp "$work/proxy.pcap" "$out/proxy-protocol-lo.pcap"
echo "wrote $out/proxy-protocol-lo.pcap"
