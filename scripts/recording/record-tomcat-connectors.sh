#!/usr/bin/env bash
# Records captures/tomcat-connectors-offset5-lo.pcap: a DAS node's Tomcat connectors at port
# offset 5 on 127.0.0.7, as Carbon starts every <Connector> of catalina-server.xml at its
# port + the offset (CarbonTomcat.startConnectors): the stock console connectors, HTTPS
# 9443+5 (openssl s_server) and HTTP 9763+5 (python3 http.server), and two connectors an
# operator adds after them: a second HTTPS connector for mutual TLS, 9543+5 (openssl
# s_server asking for a client certificate, curl presenting one), and a second HTTP
# connector, 8280+5 (python3 http.server). Each is asked twice with curl from 127.0.0.8.
# Tests/Fixtures/das-home-connectors holds the catalina-server.xml that declares them.
# Needs root (tcpdump, ip netns); runs in a network namespace of its own, deleted afterwards.
# Usage: sudo scripts/recording/record-tomcat-connectors.sh [OUTDIR]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$(cd "${1:-$here/../../captures}" && pwd)
if [[ ${DASAUDIT_IN_NETNS:-} != 1 ]]; then
    ns=dasaudit-rec-connectors-$$
    ip netns add "$ns"
    trap 'ip netns del "$ns"' EXIT
    ip netns exec "$ns" ip link set lo up
    DASAUDIT_IN_NETNS=1 ip netns exec "$ns" "$0" "$out"
    exit
fi
WORK_TEMPLATE=/tmp/dasaudit-record.XXXXXX
# shellcheck source=scripts/recording/cleanup.sh
source "$here/cleanup.sh"
need() { command -v "$1" >/dev/null || apt-get install -y "$2" >/dev/null; }
need tcpdump tcpdump; need openssl openssl; need curl curl

node=127.0.0.7 client=127.0.0.8 offset=5
https=$((9443 + offset)) http=$((9763 + offset)) mtls=$((9543 + offset)) http2=$((8280 + offset))

wait_listen() {
    for _ in $(seq 1 100); do
        ss -Hltn "src $1 and sport = :$2" | grep -q LISTEN && return 0
        sleep 0.1
    done
    echo "nothing listens on $1:$2" >&2; return 1
}

cd "$work"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=das-ca" \
    -keyout ca.key -out ca.pem 2>/dev/null
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=das-node" \
    -keyout node.key -out node.pem 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=api-client" \
    -keyout client.key -out client.csr 2>/dev/null
openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -out client.pem 2>/dev/null

openssl s_server -quiet -accept "$node:$https" -cert node.pem -key node.key -www </dev/null >/dev/null 2>&1 &
pids+=($!)
openssl s_server -quiet -accept "$node:$mtls" -cert node.pem -key node.key -Verify 1 -CAfile ca.pem -www \
    </dev/null >/dev/null 2>&1 &
pids+=($!)
mkdir -p www/carbon && echo "<html><body>WSO2 Carbon console</body></html>" >www/carbon/index.html
(cd www && exec python3 -m http.server --bind "$node" "$http") >/dev/null 2>&1 &
pids+=($!)
(cd www && exec python3 -m http.server --bind "$node" "$http2") >/dev/null 2>&1 &
pids+=($!)
for port in "$https" "$mtls" "$http" "$http2"; do wait_listen "$node" "$port"; done

: >tcpdump.log
tcpdump -i lo -U -w "$out/tomcat-connectors-offset5-lo.pcap" "tcp and host $node" 2>tcpdump.log &
capture=$!
pids+=("$capture")
for _ in $(seq 1 50); do grep -q "listening on" tcpdump.log && break; sleep 0.1; done
for _ in 1 2; do
    curl -sk --interface "$client" "https://$node:$https/carbon/" >/dev/null
    curl -sk --interface "$client" --cert client.pem --key client.key "https://$node:$mtls/" >/dev/null
    curl -s --interface "$client" "http://$node:$http/carbon/" >/dev/null
    curl -s --interface "$client" "http://$node:$http2/carbon/" >/dev/null
done
sleep 1
kill -INT "$capture"; wait "$capture" || true
