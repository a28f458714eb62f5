#!/bin/bash
# Records captures/plaintext-answers-hello-lo.pcap: TLS clients reaching plaintext servers
# on the TLS catalog ports at offset 2, each server answering the ClientHello in the clear
# with bytes no recognizer names (what docs/protocols.md, "Which side names the protocol",
# says of a hello answered by bytes no TLS record begins). Needs root (tcpdump); run it in
# a network namespace of its own so that its addresses and ports are free:
#   ip netns add dasaudit-rec; ip netns exec dasaudit-rec ip link set lo up
#   ip netns exec dasaudit-rec scripts/recording/record-plaintext-answers-hello.sh [OUTDIR]
#   ip netns del dasaudit-rec
#
# - 127.0.0.50:9445 (carbon.https.port): vsftpd 3.0.3, reached by curl https:// (its banner
#   "220 (vsFTPd 3.0.3)" answers the hello);
# - 127.0.0.51:7713 (thrift.ssl.port): Python 3.11's smtpd, reached by openssl s_client (its
#   "220 ... Python SMTP proxy" banner);
# - 127.0.0.52:9445: redis-server 7.0 without TLS, reached by redis-cli --tls: Redis reads
#   the hello as an inline command still waiting for its end of line and sends nothing, so
#   the connection stays the client's `tls` (a silent server tells nothing);
# - 127.0.0.53:7713: openssl s_server, reached by openssl s_client: TLS, the control.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/../../captures}
# work (a temporary directory) and pids (the processes to stop), cleaned up on exit; no
# namespace of its own, as it runs in the caller's.
NAMESPACES=()
# shellcheck source=scripts/recording/namespaces.sh
source "$here/namespaces.sh"

missing=()
for tool in tcpdump openssl curl vsftpd redis-server redis-cli python3; do command -v "$tool" >/dev/null || missing+=("$tool"); done
if ((${#missing[@]})); then apt-get install -y tcpdump openssl curl vsftpd redis-server redis-tools python3 >/dev/null; fi

openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=localhost -days 2 \
    -keyout "$work/server.key" -out "$work/server.crt" 2>/dev/null
mkdir -p /var/run/vsftpd/empty
cat > "$work/vsftpd.conf" <<CONF
listen=YES
listen_address=127.0.0.50
listen_port=9445
anonymous_enable=YES
secure_chroot_dir=/var/run/vsftpd/empty
run_as_launching_user=YES
background=NO
CONF
background() { "$@" >/dev/null 2>&1 & pids+=($!); }
background timeout 30 vsftpd "$work/vsftpd.conf"
background timeout 30 python3 -W ignore -c \
    'import asyncore, smtpd; smtpd.DebuggingServer(("127.0.0.51", 7713), None); asyncore.loop()'
background timeout 30 redis-server --bind 127.0.0.52 --port 9445 --save '' --appendonly no --dir "$work"
background timeout 30 openssl s_server -accept 127.0.0.53:7713 -cert "$work/server.crt" -key "$work/server.key" -www
sleep 1.5
tcpdump -i lo -U -w "$work/answers.pcap" tcp 2>/dev/null & dump=$!
sleep 1
timeout 5 curl -sk https://127.0.0.50:9445/ -o /dev/null || true
echo | timeout 5 openssl s_client -connect 127.0.0.51:7713 >/dev/null 2>&1 || true
timeout 5 redis-cli -h 127.0.0.52 -p 9445 --tls --insecure ping >/dev/null 2>&1 || true
echo | timeout 5 openssl s_client -connect 127.0.0.53:7713 >/dev/null 2>&1 || true
sleep 1
kill -INT "$dump"; wait "$dump" || true
cp "$work/answers.pcap" "$out/plaintext-answers-hello-lo.pcap"
echo "wrote $out/plaintext-answers-hello-lo.pcap"
