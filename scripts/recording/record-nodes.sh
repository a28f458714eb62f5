#!/usr/bin/env bash
# Records a real three-node Spark standalone cluster for `dasaudit merge`, each node
# capturing its own interface over its own window (the staggered windows of a real fleet).
#
#   sudo VENV=/path/to/venv-with-pyspark CERTS=/path/to/certs scripts/recording/record-nodes.sh [OUTDIR]
#
# Three network namespaces (dasaudit-nodes-n1..n3, 10.77.0.1-3) joined by a bridge that
# lives in a fourth (dasaudit-nodes-br); offset 3, cluster mode, 2 cores. n1 runs the
# master (7080, UI 8084), the driver (13003, block manager 12003), thrift on 7614, thrift
# over TLS on 7714 (CERTS holds server.crt/key and client.crt/key) and HTTP on 9766; n2 and
# n3 run a worker each (11003, UI 11503), n2 a rogue HTTP server on 8888, n3 one on 31337
# and an echo server on 12007. n1 and n2 start capturing first, n3 20 s later; n1 holds a
# connection to n3:12007 open from before n3's capture starts to after n1's stops. Then
# the job, thrift, HTTP and echo clients, two connects to closed ports; n1 stops first,
# n3 3 s later, n2 3 s after that. VENV is a virtual environment with pyspark (its Java:
# JAVA_HOME, default Debian's OpenJDK 17).
#
# Writes OUTDIR/nodes-n1.pcap, nodes-n2.pcap, nodes-n3.pcap (each cut to 128 bytes a
# packet with `editcap -s 128`), nodes-n3-skew30.pcap (n3's shifted 30 s ahead,
# `editcap -t 30`) and nodes-n2-empty.pcap (a tcpdump on n2's interface for a port nothing
# uses: the file header and no packet). Tests/EndToEndTests/NodesMergeTests.swift merges
# them. Needs root, tcpdump and editcap. Traffic stays inside the namespaces it creates,
# which are removed on exit.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="$(realpath -m "${1:-$ROOT/captures}")"
HERE="$ROOT/scripts/recording"
: "${VENV:?a virtual environment with pyspark}" "${CERTS:?a directory with server.crt/key and client.crt/key}"
SP=$(echo "$VENV"/lib/python3*/site-packages/pyspark)
export SPARK_HOME=$SP PYSPARK_PYTHON=$VENV/bin/python JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}
NS=dasaudit-nodes
mkdir -p "$OUT"
NAMESPACES=("$NS-n1" "$NS-n2" "$NS-n3" "$NS-br")
here=$HERE
# shellcheck source=scripts/recording/cleanup.sh
source "$here/cleanup.sh"
TMP=$work
# Spark's JVMs are killed outright, before their namespaces go.
at_exit 'for n in n1 n2 n3; do ip netns pids $NS-$n | xargs -r kill -9; done'
ip netns add $NS-br
ip -n $NS-br link add br0 type bridge && ip -n $NS-br link set br0 up
for i in 1 2 3; do
    ip netns add $NS-n$i
    ip -n $NS-br link add v$i type veth peer name eth0 netns $NS-n$i
    ip -n $NS-br link set v$i master br0 up
    ip -n $NS-n$i addr add 10.77.0.$i/24 dev eth0
    ip -n $NS-n$i link set eth0 up && ip -n $NS-n$i link set lo up
done
bg() { local ns=$1 log=$2; shift 2; ip netns exec $NS-$ns "$@" >"$TMP/$log" 2>&1 & }
on() { local ns=$1; shift; ip netns exec $NS-$ns "$@" >>"$TMP/clients" 2>&1; }
DS="$HERE/das_scenario.py" CL="$HERE/nodes_clients.py"
bg n1 thrift python3 "$DS" serve thrift 10.77.0.1 7614
bg n1 thrifttls python3 "$DS" serve thrift-tls 10.77.0.1 7714 --certdir "$CERTS"
bg n1 carbon python3 -m http.server 9766 --bind 10.77.0.1
bg n2 rogue2 python3 -m http.server 8888 --bind 10.77.0.2
bg n3 rogue3 python3 -m http.server 31337 --bind 10.77.0.3
bg n3 echo python3 "$DS" serve echo 10.77.0.3 12007
sleep 2
bg n1 td1 tcpdump -i eth0 -s 0 -U -w "$TMP/n1.pcap" tcp; TD1=$!
bg n2 td2 tcpdump -i eth0 -s 0 -U -w "$TMP/n2.pcap" tcp; TD2=$!
sleep 1
bg n1 hold python3 "$CL" hold 10.77.0.3 12007 75
bg n1 master env SPARK_LOCAL_IP=10.77.0.1 "$SP/bin/spark-class" org.apache.spark.deploy.master.Master \
    --host 10.77.0.1 --port 7080 --webui-port 8084
sleep 8
for i in 2 3; do
    bg n$i worker$i env SPARK_LOCAL_IP=10.77.0.$i "$SP/bin/spark-class" org.apache.spark.deploy.worker.Worker \
        --host 10.77.0.$i --port 11003 --webui-port 11503 --cores 2 --memory 1g spark://10.77.0.1:7080
done
sleep 12
bg n3 td3 tcpdump -i eth0 -s 0 -U -w "$TMP/n3.pcap" tcp; TD3=$!
sleep 2
ip netns exec $NS-n1 env SPARK_LOCAL_IP=10.77.0.1 "$VENV/bin/python" "$HERE/nodes_job.py" >"$TMP/job" 2>&1
on n2 python3 "$CL" thrift 10.77.0.1 7614 5
on n3 python3 "$CL" thrift 10.77.0.1 7614 3
on n2 python3 "$CL" thrift-tls 10.77.0.1 7714 4 "$CERTS"
on n2 curl -s -o /dev/null http://10.77.0.1:9766/
on n3 curl -s -o /dev/null http://10.77.0.1:8084/
on n2 curl -s -o /dev/null http://10.77.0.3:11503/
on n1 curl -s -o /dev/null http://10.77.0.3:31337/
on n3 curl -s -o /dev/null http://10.77.0.2:8888/
on n2 python3 "$CL" echo 10.77.0.3 12007
on n2 python3 "$CL" refused 10.77.0.1 9446
on n3 python3 "$CL" refused 10.77.0.2 5432
sleep 2
kill -INT $TD1; sleep 3; kill -INT $TD3; sleep 3; kill -INT $TD2; sleep 1
# An empty capture: tcpdump on n2's interface for a port nothing uses.
bg n2 td2e tcpdump -i eth0 -U -w "$TMP/n2-empty.pcap" 'tcp port 1'; TDE=$!
sleep 1; kill -INT $TDE; sleep 1
for n in 1 2 3; do editcap -F pcap -s 128 "$TMP/n$n.pcap" "$OUT/nodes-n$n.pcap"; done
editcap -F pcap -t 30 "$OUT/nodes-n3.pcap" "$OUT/nodes-n3-skew30.pcap"
cp "$TMP/n2-empty.pcap" "$OUT/nodes-n2-empty.pcap"
tail -3 "$TMP/job"; cat "$TMP/clients"
ls -l "$OUT"/nodes-*.pcap
