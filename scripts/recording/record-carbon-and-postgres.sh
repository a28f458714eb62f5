#!/usr/bin/env bash
# Records two real loopback captures for the default profile and the dependencies:
#   das-carbon-offset5-lo.pcap  a DAS node's own Carbon ports at offset 5 on 127.0.0.6:
#                               the management console over HTTPS (openssl s_server on
#                               9443+5) and HTTP (python3 http.server on 9763+5), and a
#                               JVM's JMX agent (RMI registry 9999+5, RMI server 11111+5)
#                               queried by a real JMX client;
#   das-postgres-lo.pcap        a node (127.0.0.8) using a real PostgreSQL (Debian's
#                               postgresql, a private cluster started here on
#                               127.0.0.9:5432) as its analytics database.
# Usage: sudo scripts/recording/record-carbon-and-postgres.sh [--only carbon|postgres]
# Writes into CAPTURES_DIR (default: captures/). Traffic stays on 127.0.0.0/8.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${CAPTURES_DIR:-$here/../../captures}
only=${2:-}
[[ ${1:-} == --only ]] || only=""
WORK_TEMPLATE=/tmp/dasaudit-record.XXXXXX
# shellcheck source=scripts/recording/cleanup.sh
source "$here/cleanup.sh"
at_exit '[[ -f $work/pg/postmaster.pid ]] && runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D "$work/pg" -m fast stop'

need() { command -v "$1" >/dev/null || { apt-get install -y "$2" >/dev/null; }; }
need tcpdump tcpdump; need openssl openssl; need curl curl; need java openjdk-17-jdk-headless
[[ -x /usr/lib/postgresql/15/bin/initdb ]] || apt-get install -y postgresql >/dev/null

# Waits until HOST:PORT accepts connections (ss lists a listener).
wait_listen() {
    for _ in $(seq 1 100); do
        ss -Hltn "src $1 and sport = :$2" | grep -q LISTEN && return 0
        sleep 0.1
    done
    echo "nothing listens on $1:$2" >&2; return 1
}

# Starts tcpdump on lo with FILTER into FILE and waits until it listens.
start_capture() {
    tcpdump -i lo -U -w "$1" "$2" 2>"$work/tcpdump.log" &
    capture_pid=$!
    pids+=("$capture_pid")
    for _ in $(seq 1 50); do grep -q "listening on" "$work/tcpdump.log" && return 0; sleep 0.1; done
    echo "tcpdump did not start" >&2; return 1
}
stop_capture() { sleep 1; kill -INT "$capture_pid"; wait "$capture_pid" || true; }

record_carbon() {
    local node=127.0.0.6 offset=5
    local https=$((9443 + offset)) http=$((9763 + offset)) registry=$((9999 + offset)) rmi=$((11111 + offset))
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=das-node" \
        -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null
    openssl s_server -quiet -accept "$node:$https" -cert "$work/cert.pem" -key "$work/key.pem" -www </dev/null \
        >/dev/null 2>&1 &
    pids+=($!)
    mkdir -p "$work/www/carbon" && echo "<html><body>WSO2 Carbon console</body></html>" >"$work/www/carbon/index.html"
    (cd "$work/www" && exec python3 -m http.server --bind "$node" "$http") >/dev/null 2>&1 &
    pids+=($!)
    # The JMX programs shared with record-protocols.sh: JmxIdle serves, JmxQuery is the client.
    mkdir -p "$work/jmx" && javac -d "$work/jmx" "$here"/jmx/*.java
    java -cp "$work/jmx" -Dcom.sun.management.jmxremote.port="$registry" -Dcom.sun.management.jmxremote.rmi.port="$rmi" \
        -Dcom.sun.management.jmxremote.host="$node" -Djava.rmi.server.hostname="$node" \
        -Dcom.sun.management.jmxremote.authenticate=false -Dcom.sun.management.jmxremote.ssl=false \
        JmxIdle >"$work/jmx.log" 2>&1 &
    pids+=($!)
    wait_listen "$node" "$https"; wait_listen "$node" "$http"; wait_listen "$node" "$registry"; wait_listen "$node" "$rmi"
    start_capture "$out/das-carbon-offset5-lo.pcap" "tcp and host $node"
    curl -sk "https://$node:$https/carbon/" >/dev/null
    curl -sk "https://$node:$https/carbon/admin/login.jsp" >/dev/null
    curl -s "http://$node:$http/carbon/" >/dev/null
    curl -s "http://$node:$http/carbon/index.html" >/dev/null
    java -cp "$work/jmx" JmxQuery "$node" "$registry"
    stop_capture
}

record_postgres() {
    local node=127.0.0.8 database=127.0.0.9
    if ss -Hltn "sport = :5432" | grep -qE "(0\.0\.0\.0|\*|127\.0\.0\.9):5432"; then
        echo "something already listens on $database:5432" >&2; return 1
    fi
    mkdir -p "$work/pg" && chown postgres: "$work/pg" "$work"
    runuser -u postgres -- /usr/lib/postgresql/15/bin/initdb -D "$work/pg" -A trust -U postgres >/dev/null
    echo "host all postgres $node/32 trust" >>"$work/pg/pg_hba.conf"
    runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl -D "$work/pg" -l "$work/pg/log" -w \
        -o "-c listen_addresses=$database -p 5432 -k $work/pg" start >/dev/null
    wait_listen "$database" 5432
    start_capture "$out/das-postgres-lo.pcap" "tcp and host $database"
    python3 "$here/pg_client.py" "$node" "$database" 5432 postgres postgres \
        "CREATE TABLE analytics_events (id serial PRIMARY KEY, stream text, payload text)" \
        "INSERT INTO analytics_events (stream, payload) VALUES ('org.wso2.sample', 'a'), ('org.wso2.sample', 'b')"
    python3 "$here/pg_client.py" "$node" "$database" 5432 postgres postgres \
        "SELECT stream, count(*) FROM analytics_events GROUP BY stream"
    python3 "$here/pg_client.py" "$node" "$database" 5432 postgres postgres \
        "SELECT * FROM analytics_events ORDER BY id"
    stop_capture
}

[[ -z $only || $only == carbon ]] && record_carbon
[[ -z $only || $only == postgres ]] && record_postgres
for file in "$out"/das-carbon-offset5-lo.pcap "$out"/das-postgres-lo.pcap; do
    [[ -f $file ]] && chmod 644 "$file" && capinfos -c -u -H "$file" | sed -n '2,4p;$p'
done
