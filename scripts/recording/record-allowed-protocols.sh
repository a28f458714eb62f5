#!/bin/bash
# Records captures/allowed-protocols-any.pcap: what an allowed port's `protocol`, a catalog
# port's protocol and the snapshot length advice are checked against. Everything runs in a
# private network namespace (its own loopback), recorded there with `tcpdump -i any` (Linux
# SLL2 link headers, the README's command):
#
#   127.0.0.31:7711   PostgreSQL 15 with ssl=on on the thrift SSL port: psql with
#                     sslmode=require (SSLRequest, 'S', then a TLS 1.3 handshake) and with
#                     sslmode=disable (the StartupMessage in the clear)
#   127.0.0.32:7611   openssl s_server/s_client, TLS 1.3, on the thrift port (a site that
#                     wraps thrift in TLS)
#   127.0.0.33:8080   nghttpd --no-tls (HTTP/2 in the clear): curl --http2-prior-knowledge
#                     (the preface)
#   127.0.0.35:8080   Python's http.server (HTTP/1.x): curl --http2 (an h2c upgrade offer,
#                     a GET in HTTP/1.1 with Upgrade: h2c, which this server declines; nghttpd
#                     and nginx take h2c by prior knowledge only, and the offer's first bytes
#                     are the same whatever the answer) and curl --http1.1
#   127.0.0.34:9443   openssl s_server -tls1_2 -no_ticket (a 32-byte session id) and
#   [::1]:9443        -tls1_3 (OpenSSL's 32-byte legacy session id), one s_client each, to
#                     measure where the ServerHello's cipher suite and supported_versions sit
#
# Needs root (ip netns, tcpdump; PostgreSQL runs as the postgres user).
# Usage: sudo scripts/recording/record-allowed-protocols.sh [OUTDIR]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/../../captures}
ns=ap-proto
pgbin=/usr/lib/postgresql/15/bin
NAMESPACES=("$ns")
# shellcheck source=scripts/recording/cleanup.sh
source "$here/cleanup.sh"
# A function would fork a subshell when run in the background: the processes to stop are
# started with ip netns exec itself (which execs the command, keeping $!).
inns() { ip netns exec "$ns" "$@"; }
at_exit '[ -d "$work/pg" ] && inns runuser -u postgres -- "$pgbin/pg_ctl" -D "$work/pg" -m fast stop; sleep 1'

for tool in tcpdump editcap openssl nghttpd curl psql $pgbin/initdb; do
    command -v "$tool" >/dev/null || {
        DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends tcpdump wireshark-common openssl \
            nghttp2-server curl postgresql >/dev/null
        break
    }
done
ip netns add "$ns"
inns ip link set lo up
wait_for() { # host port
    for _ in $(seq 50); do inns bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null && return 0; sleep 0.2; done
    echo "record-allowed-protocols: nothing listens on $1:$2" >&2; exit 1
}

openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null
# PostgreSQL: a private cluster with TLS, trusting the loopback client.
mkdir -p "$work/pg" && chown postgres: "$work" "$work/pg"
install -o postgres -m 600 "$work/key.pem" "$work/pgkey.pem"
install -o postgres -m 644 "$work/cert.pem" "$work/pgcert.pem"
runuser -u postgres -- "$pgbin/initdb" -D "$work/pg" -A trust -U postgres >/dev/null
inns runuser -u postgres -- "$pgbin/pg_ctl" -D "$work/pg" -l "$work/pg/log" -w \
    -o "-c listen_addresses=127.0.0.31 -c port=7711 -c unix_socket_directories=$work/pg -c ssl=on \
        -c ssl_cert_file=$work/pgcert.pem -c ssl_key_file=$work/pgkey.pem" start >/dev/null
serve_tls() { # address port options...
    local address=$1 port=$2; shift 2
    ip netns exec "$ns" openssl s_server -accept "$address:$port" -cert "$work/cert.pem" -key "$work/key.pem" -naccept 1 -quiet "$@" \
        < <(sleep 30) >/dev/null 2>&1 &
    pids+=($!)
}
serve_tls 127.0.0.32 7611 -tls1_3
serve_tls 127.0.0.34 9443 -tls1_2 -no_ticket
ip netns exec "$ns" openssl s_server -accept "[::1]:9443" -cert "$work/cert.pem" -key "$work/key.pem" -naccept 1 -quiet -tls1_3 \
    < <(sleep 30) >/dev/null 2>&1 &
pids+=($!)
ip netns exec "$ns" nghttpd --no-tls -a 127.0.0.33 -d "$work" 8080 >/dev/null 2>&1 &
pids+=($!)
echo hello >"$work/index.html"
ip netns exec "$ns" /usr/bin/python3 -m http.server -b 127.0.0.35 -d "$work" 8080 >/dev/null 2>&1 &
pids+=($!)
wait_for 127.0.0.31 7711
wait_for 127.0.0.33 8080
wait_for 127.0.0.35 8080

ip netns exec "$ns" tcpdump -i any -U -w "$work/allowed.pcap" tcp 2>/dev/null &
dump=$!
pids+=($dump)
sleep 1
inns psql "host=127.0.0.31 port=7711 user=postgres dbname=postgres sslmode=require" -c 'SELECT 1' >/dev/null
inns psql "host=127.0.0.31 port=7711 user=postgres dbname=postgres sslmode=disable" -c 'SELECT 1' >/dev/null
client_tls() { # address port options...
    local address=$1 port=$2; shift 2
    echo Q | inns timeout 5 openssl s_client -connect "$address:$port" -servername localhost "$@" >/dev/null 2>&1
}
client_tls 127.0.0.32 7611
client_tls 127.0.0.34 9443
client_tls "[::1]" 9443
inns curl -s --http2-prior-knowledge http://127.0.0.33:8080/index.html -o /dev/null
inns curl -s --http2 http://127.0.0.35:8080/index.html -o /dev/null
inns curl -s --http1.1 http://127.0.0.35:8080/index.html -o /dev/null
sleep 1
kill -INT "$dump"
wait "$dump" || true
table=$(/usr/bin/python3 "$(dirname "$0")/summarize.py" "$work/allowed.pcap")
for server in 127.0.0.31:7711 127.0.0.32:7611 127.0.0.33:8080 127.0.0.34:9443 127.0.0.35:8080; do
    grep -q "^| $server | [1-9]" <<<"$table" || { echo "record: no connection to $server was recorded" >&2; exit 1; }
done
cp "$work/allowed.pcap" "$out/allowed-protocols-any.pcap"
echo "wrote $out/allowed-protocols-any.pcap"
