#!/bin/bash
# Records captures/protocol-evidence-lo.pcap (and its -s96 copy): real peers for the protocols
# that record-protocols.sh could not record with Debian's components, all on 127.0.0.21,
# one DAS node at offset 0 (policy captures/protocol-evidence-policy.yaml):
#
#   9443  SSL 3.0: a tlslite-ng server and client (PyPI tlslite-ng, pure Python; Debian's
#         OpenSSL 3 has no SSLv3)
#   7711  an SSLv2-format ClientHello: OpenJDK's JSSE with "SSLv2Hello" enabled
#         (sslv2hello/V2HelloClient.java) to openssl s_server, which answers in TLS 1.2
#   4000  Hazelcast clients: hazelcast-python-client 5.7.0 ("CP2") and 3.12.3 ("CB2") from
#         PyPI, connecting to a listener that only reads (no Hazelcast member can be had:
#         its jar is on no reachable registry)
#
# The PyPI packages are pinned and installed into throw-away virtual environments (one per
# package version). Needs root (tcpdump). Usage: sudo scripts/recording/record-evidence.sh [OUTDIR]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/../../captures}
node=127.0.0.21
python=${PYTHON:-python3}
# shellcheck source=scripts/recording/cleanup.sh
source "$here/cleanup.sh"

missing=()
for tool in tcpdump editcap openssl java javac; do
    command -v "$tool" >/dev/null || missing+=("$tool")
done
"$python" -c 'import venv, ensurepip' 2>/dev/null || missing+=(python3-venv)
if ((${#missing[@]})); then
    apt-get install -y tcpdump wireshark-common openssl default-jdk-headless python3-venv >/dev/null
fi

venv() { # name package==version
    "$python" -m venv "$work/$1"
    "$work/$1/bin/pip" install -q --disable-pip-version-check "$2"
}
venv tlslite tlslite-ng==0.8.2
venv hz5 hazelcast-python-client==5.7.0
venv hz3 hazelcast-python-client==3.12.3

openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=localhost -days 2 \
    -keyout "$work/server.key" -out "$work/server.crt" 2>/dev/null
javac -d "$work/java" "$here/sslv2hello/V2HelloClient.java"
scenario="$here/evidence_scenario.py"

tcpdump -i lo -U -w "$work/evidence.pcap" "tcp and host $node" 2>/dev/null &
pids+=($!)
dump=$!
sleep 1

"$work/tlslite/bin/python" "$scenario" ssl3 "$node" 9443 "$work/server.crt" "$work/server.key"

openssl s_server -accept "$node:7711" -cert "$work/server.crt" -key "$work/server.key" -tls1_2 \
    -cipher 'DEFAULT:@SECLEVEL=0' -www >"$work/s_server.log" 2>&1 &
pids+=($!)
sleep 1
java -cp "$work/java" V2HelloClient "$node" 7711 SSLv2Hello,TLSv1.2

"$python" "$scenario" listen "$node" 4000 >"$work/listen.log" 2>&1 &
pids+=($!)
sleep 1
"$work/hz5/bin/python" "$scenario" hazelcast5 "$node" 4000 2>/dev/null
"$work/hz3/bin/python" "$scenario" hazelcast3 "$node" 4000 2>/dev/null

sleep 3   # the listener closes each connection after 2 s of quiet
kill -INT "$dump"
wait "$dump" || true
# Every server must have been reached (summarize.py lists each server with its connections).
table=$(/usr/bin/python3 "$(dirname "$0")/summarize.py" "$work/evidence.pcap")
for server in 127.0.0.21:9443 127.0.0.21:7711 127.0.0.21:4000; do
    grep -q "^| $server | [1-9]" <<<"$table" || { echo "record: no connection to $server was recorded" >&2; exit 1; }
done
cp "$work/evidence.pcap" "$out/protocol-evidence-lo.pcap"
editcap -F pcap -s 96 "$out/protocol-evidence-lo.pcap" "$out/protocol-evidence-lo-s96.pcap"
echo "wrote $out/protocol-evidence-lo.pcap and protocol-evidence-lo-s96.pcap"
