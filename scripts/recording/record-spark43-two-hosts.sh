#!/usr/bin/env bash
# Records a real two-host Spark 4.3.0 standalone cluster laid out as DAS lays it out
# (offset 2; every member runs a worker, the first also the master, the history server
# and the drivers), with what operators turn on: two client-mode PySpark applications at
# once, then a Java application submitted with `--deploy-mode cluster` through the REST
# server, whose driver runs on a worker.
#
#   sudo VENV=/path/to/venv-with-pyspark scripts/recording/record-spark43-two-hosts.sh [OUTDIR] [shuffle|noshuffle]
#
# Two network namespaces, dasaudit-s30a (10.30.0.1: master 7079, UI 8083, REST 6068, a
# worker 11002 with 2 cores, history server 18082, the drivers) and dasaudit-s30b
# (10.30.0.2: a worker 11002 with 2 cores), joined by a veth pair. `shuffle` (the default):
# both workers run the external shuffle service on 7339, the applications use dynamic
# allocation (1-core executors, at most 2), then the cluster-deploy-mode submission.
# `noshuffle`: no shuffle service, `spark.cores.max 2`, no cluster-deploy-mode submission.
# spark-defaults.conf pins spark.driver.port 13002, spark.blockManager.port 12002,
# spark.ui.port 4042, spark.history.ui.port 18082.
#
# tcpdump on A's veth (A<->B only) and `-i any` on A (its loopback too: PySpark's Py4J
# gateway and local servers), each cut to the beginning of every connection (the first
# 1000 bytes each way) and to 200 bytes a packet (the -i any one to 120, and to its
# loopback connections and port 13003):
#   shuffle:   OUTDIR/spark43-cluster-deploy-veth-s200.pcap, OUTDIR/spark43-pyspark-any-s120.pcap
#   noshuffle: OUTDIR/spark43-two-apps-veth-s200.pcap
# Spark's logs (`Successfully started service ...`) and the drivers' and executors' stderr
# are left in OUTDIR/spark43-RUN/ (the ground truth). VENV is a virtual environment with
# pyspark 4.3.0 (its Java: JAVA_HOME, default Debian's OpenJDK 17). Needs root, tcpdump,
# tshark, editcap, javac and curl. Traffic stays inside the namespaces, removed on exit.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="$(realpath -m "${1:-$ROOT/captures}")"
RUN_KIND="${2:-shuffle}"
HERE="$ROOT/scripts/recording/spark43"
: "${VENV:?a virtual environment with pyspark}"
SP=$(echo "$VENV"/lib/python3*/site-packages/pyspark)
export SPARK_HOME=$SP PYSPARK_PYTHON=$VENV/bin/python JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}
RUN="$OUT/spark43-$RUN_KIND"
rm -rf "$RUN"; mkdir -p "$RUN"/{conf,events,logs,workA,workB,app}
export SPARK_CONF_DIR=$RUN/conf SPARK_LOG_DIR=$RUN/logs SPARK_NO_DAEMONIZE=1
A=dasaudit-s30a; B=dasaudit-s30b
NAMESPACES=("$A" "$B")
here="$ROOT/scripts/recording"
# shellcheck source=scripts/recording/cleanup.sh
source "$here/cleanup.sh"
# Spark's JVMs get 4 s to stop, then are killed outright, before their namespaces go.
at_exit 'for n in $A $B; do ip netns pids $n | xargs -r kill; done; sleep 4
         for n in $A $B; do ip netns pids $n | xargs -r kill -9; done; sleep 1'

if [ "$RUN_KIND" = shuffle ]; then
    SHUFFLE="spark.shuffle.service.enabled    true
spark.dynamicAllocation.enabled  true
spark.dynamicAllocation.executorIdleTimeout 5s
spark.dynamicAllocation.maxExecutors 2"
else
    SHUFFLE="spark.shuffle.service.enabled    false
spark.dynamicAllocation.enabled  false
spark.cores.max 2"
fi
cat > "$RUN/conf/spark-defaults.conf" <<CONF
spark.master.rest.enabled        true
spark.master.rest.port           6068
spark.shuffle.service.port       7339
$SHUFFLE
spark.executor.cores             1
spark.executor.memory            512m
spark.driver.port                13002
spark.blockManager.port          12002
spark.ui.port                    4042
spark.history.ui.port            18082
spark.eventLog.enabled           true
spark.eventLog.dir               file://$RUN/events
spark.history.fs.logDirectory    file://$RUN/events
CONF
# The cluster-deploy-mode application: a Java job compiled against pyspark's jars.
cp "$HERE/TinyJob.java" "$HERE/two_apps_job.py" "$RUN/app/"
(cd "$RUN/app" && "$JAVA_HOME/bin/javac" -cp "$SP/jars/*" TinyJob.java && "$JAVA_HOME/bin/jar" cf tinyjob.jar TinyJob*.class) || exit 1

ip netns add $A; ip netns add $B
ip link add dasaudit-s30a type veth peer name dasaudit-s30b
ip link set dasaudit-s30a netns $A; ip link set dasaudit-s30b netns $B
ip -n $A addr add 10.30.0.1/24 dev dasaudit-s30a; ip -n $B addr add 10.30.0.2/24 dev dasaudit-s30b
for n in $A $B; do ip -n $n link set lo up; done
ip -n $A link set dasaudit-s30a up; ip -n $B link set dasaudit-s30b up
XA="ip netns exec $A"; XB="ip netns exec $B"
$XA tcpdump -i dasaudit-s30a -U -s 0 -w "$RUN/veth.pcap" tcp 2>"$RUN/logs/tcpdump-veth.err" &
$XA tcpdump -i any -U -s 0 -w "$RUN/any.pcap" tcp 2>"$RUN/logs/tcpdump-any.err" &
sleep 2
SPARK_LOCAL_IP=10.30.0.1 $XA "$SP/bin/spark-class" org.apache.spark.deploy.master.Master --host 10.30.0.1 --port 7079 --webui-port 8083 >"$RUN/logs/master.log" 2>&1 &
sleep 8
SPARK_WORKER_DIR=$RUN/workA SPARK_LOCAL_IP=10.30.0.1 $XA "$SP/bin/spark-class" org.apache.spark.deploy.worker.Worker --host 10.30.0.1 --port 11002 --webui-port 11502 --cores 2 --memory 2g spark://10.30.0.1:7079 >"$RUN/logs/workerA.log" 2>&1 &
SPARK_WORKER_DIR=$RUN/workB SPARK_LOCAL_IP=10.30.0.2 $XB "$SP/bin/spark-class" org.apache.spark.deploy.worker.Worker --host 10.30.0.2 --port 11002 --webui-port 11502 --cores 2 --memory 2g spark://10.30.0.1:7079 >"$RUN/logs/workerB.log" 2>&1 &
SPARK_LOCAL_IP=10.30.0.1 $XA "$SP/bin/spark-class" org.apache.spark.deploy.history.HistoryServer >"$RUN/logs/history.log" 2>&1 &
sleep 12
cd "$RUN/app"
SPARK_LOCAL_IP=10.30.0.1 $XA "$SP/bin/spark-submit" --master spark://10.30.0.1:7079 --conf spark.driver.host=10.30.0.1 two_apps_job.py app1 15 >"$RUN/logs/app1.log" 2>&1 & P1=$!
sleep 3
SPARK_LOCAL_IP=10.30.0.1 $XA "$SP/bin/spark-submit" --master spark://10.30.0.1:7079 --conf spark.driver.host=10.30.0.1 two_apps_job.py app2 15 >"$RUN/logs/app2.log" 2>&1 & P2=$!
wait $P1 $P2
if [ "$RUN_KIND" = shuffle ]; then
    SPARK_LOCAL_IP=10.30.0.1 $XA "$SP/bin/spark-submit" --master spark://10.30.0.1:6068 --deploy-mode cluster --class TinyJob "file://$RUN/app/tinyjob.jar" 8000 >"$RUN/logs/rest-submit.log" 2>&1
    sleep 40
fi
$XB curl -s -o /dev/null -w '%{http_code} history\n' http://10.30.0.1:18082/ >>"$RUN/logs/curl.log"
$XB curl -s -o /dev/null -w '%{http_code} master ui\n' http://10.30.0.1:8083/ >>"$RUN/logs/curl.log"
sleep 2
cleanup; trap - EXIT
grep -H 'Successfully started service\|Starting shuffle service' "$RUN"/logs/*.log $(find "$RUN/workA" "$RUN/workB" -name stderr) 2>/dev/null | sed "s|$RUN/||"

# Each connection's beginning, then the snapshot length.
cut() { tshark -r "$1" -Y "tcp.seq <= 1000 && tcp.ack <= 1000${3:+ && ($3)}" -F pcap -w "$RUN/cut.pcap" && editcap -F pcap -s "$4" "$RUN/cut.pcap" "$2"; }
if [ "$RUN_KIND" = shuffle ]; then
    cut "$RUN/veth.pcap" "$OUT/spark43-cluster-deploy-veth-s200.pcap" "" 200
    cut "$RUN/any.pcap" "$OUT/spark43-pyspark-any-s120.pcap" "ip.addr==127.0.0.0/8 || tcp.port==13003" 120
else
    cut "$RUN/veth.pcap" "$OUT/spark43-two-apps-veth-s200.pcap" "" 200
fi
rm -f "$RUN/cut.pcap"
