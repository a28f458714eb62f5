#!/bin/bash
# Records captures/databases-lo.pcap (and its -s96 copy): the generic servers a DAS node
# may talk to or that may turn up on an unexpected port, each a private instance from
# Debian on its usual port, with Debian's own client:
#
#   127.0.0.22:6379  redis-server, redis-cli (PING, SET, GET: three connections)
#   127.0.0.23:3306  MariaDB (mariadbd), the mariadb client (two queries, a user made for it)
#   127.0.0.24:389   OpenLDAP slapd (back-mdb), ldapsearch of the root DSE and ldapwhoami
#                    with a simple bind
#   127.0.0.25:5432  PostgreSQL 15 (a private cluster), psql (libpq): once with libpq's
#                    default sslmode=prefer (an SSLRequest, answered 'N': the server has no
#                    certificate), once with sslmode=disable (the StartupMessage first)
#
# Every instance lives in a temporary directory and is stopped at the end. Needs root
# (tcpdump; PostgreSQL runs as the postgres user).
# Usage: sudo scripts/recording/record-databases.sh [OUTDIR]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/../../captures}
pgbin=/usr/lib/postgresql/15/bin
# shellcheck source=scripts/recording/cleanup.sh
source "$here/cleanup.sh"
at_exit '[ -d "$work/pg" ] && runuser -u postgres -- "$pgbin/pg_ctl" -D "$work/pg" -m fast stop; sleep 1'

missing=()
for tool in tcpdump editcap redis-server redis-cli mariadbd mariadb mariadb-install-db slapd ldapsearch psql $pgbin/initdb; do
    command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] || missing+=("$tool")
done
if ((${#missing[@]})); then
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends tcpdump wireshark-common \
        redis-server redis-tools mariadb-server mariadb-client slapd ldap-utils postgresql >/dev/null
fi
wait_for() { # host port
    for _ in $(seq 50); do (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null && return 0; sleep 0.2; done
    echo "record-databases: nothing listens on $1:$2" >&2; exit 1
}

# Redis
redis-server --bind 127.0.0.22 --port 6379 --save '' --appendonly no --dir "$work" >"$work/redis.log" 2>&1 &
pids+=($!)
# MariaDB: a fresh data directory, a user for the TCP client made over the socket.
mariadb-install-db --user=root --datadir="$work/mysql" --skip-test-db >"$work/mariadb-install.log" 2>&1
/usr/sbin/mariadbd --user=root --datadir="$work/mysql" --bind-address=127.0.0.23 --port=3306 \
    --socket="$work/mysql.sock" --pid-file="$work/mysql.pid" --skip-log-bin >"$work/mariadb.log" 2>&1 &
pids+=($!)
# OpenLDAP: one back-mdb database.
mkdir -p "$work/ldap"
cat >"$work/slapd.conf" <<CONF
include /etc/ldap/schema/core.schema
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile $work/slapd.pid
database mdb
suffix "dc=das,dc=example"
rootdn "cn=admin,dc=das,dc=example"
rootpw dasaudit-recording
directory $work/ldap
CONF
/usr/sbin/slapd -f "$work/slapd.conf" -h ldap://127.0.0.24:389/ -d 0 >"$work/slapd.log" 2>&1 &
pids+=($!)
# PostgreSQL: a private cluster, trusting the loopback client.
mkdir -p "$work/pg" && chown postgres: "$work" "$work/pg"
runuser -u postgres -- "$pgbin/initdb" -D "$work/pg" -A trust -U postgres >/dev/null
runuser -u postgres -- "$pgbin/pg_ctl" -D "$work/pg" -l "$work/pg/log" -w \
    -o "-c listen_addresses=127.0.0.25 -c port=5432 -c unix_socket_directories=$work/pg" start >/dev/null
wait_for 127.0.0.22 6379
wait_for 127.0.0.23 3306
wait_for 127.0.0.24 389
mariadb -S "$work/mysql.sock" -u root \
    -e "CREATE USER 'das'@'%' IDENTIFIED BY 'das'; GRANT SELECT ON *.* TO 'das'@'%';"

tcpdump -i lo -U -w "$work/databases.pcap" 'tcp and (host 127.0.0.22 or host 127.0.0.23 or host 127.0.0.24 or host 127.0.0.25)' 2>/dev/null &
dump=$!
pids+=($dump)
sleep 1
redis-cli -h 127.0.0.22 -p 6379 PING
redis-cli -h 127.0.0.22 -p 6379 SET dasaudit:recording 1
redis-cli -h 127.0.0.22 -p 6379 GET dasaudit:recording
mariadb -h 127.0.0.23 -P 3306 -u das -pdas --skip-ssl -e 'SELECT VERSION()'
mariadb -h 127.0.0.23 -P 3306 -u das -pdas --skip-ssl -e 'SELECT COUNT(*) FROM information_schema.tables'
ldapsearch -x -H ldap://127.0.0.24:389 -b '' -s base namingContexts
ldapwhoami -x -H ldap://127.0.0.24:389 -D cn=admin,dc=das,dc=example -w dasaudit-recording
psql "host=127.0.0.25 port=5432 user=postgres dbname=postgres" -c 'SELECT version()'
psql "host=127.0.0.25 port=5432 user=postgres dbname=postgres sslmode=disable" -c 'SELECT 1'
sleep 1
kill -INT "$dump"
wait "$dump" || true
# Every server must have been reached (summarize.py lists each server with its connections).
table=$(/usr/bin/python3 "$(dirname "$0")/summarize.py" "$work/databases.pcap")
for server in 127.0.0.22:6379 127.0.0.23:3306 127.0.0.24:389 127.0.0.25:5432; do
    grep -q "^| $server | [1-9]" <<<"$table" || { echo "record: no connection to $server was recorded" >&2; exit 1; }
done
cp "$work/databases.pcap" "$out/databases-lo.pcap"
editcap -F pcap -s 96 "$out/databases-lo.pcap" "$out/databases-lo-s96.pcap"
echo "wrote $out/databases-lo.pcap and databases-lo-s96.pcap"
