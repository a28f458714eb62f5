#!/usr/bin/env bash
# Records a real Spark standalone cluster at DAS's offset-2 ports whose worker runs the
# external shuffle service on Spark's default port, 7337: what a DAS node binds when its
# spark-defaults.conf turns the service on (spark.shuffle.service.enabled true) and leaves
# spark.shuffle.service.port out, as DAS's stock file does. DAS adds its offset only to
# the spark.*.port keys its configuration holds, and it fills in its own default for every
# catalog Spark port but this one, so the service is not moved to 7339.
#
#   sudo VENV=/path/to/venv-with-pyspark scripts/recording/record-das-shuffle-default.sh [OUTDIR]
#
# In the network namespace dasaudit-shuffle (loopback only, removed on exit): a master on
# 127.0.0.1 (7079, UI 8083), a worker on 127.0.0.2 (11002, UI 11502, 2 cores, shuffle
# service on with no port set: 7337), and shuffle_default_job.py as the driver (13002,
# block manager 12002, UI 4042), its executors on the worker registering with the shuffle
# service and fetching shuffle blocks from it. tcpdump -i lo -s 200.
# Writes OUTDIR/das-shuffle-default-lo.pcap. VENV is a virtual environment with pyspark
# (its Java: JAVA_HOME, default Debian's OpenJDK 17).
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="$(realpath -m "${1:-$ROOT/captures}")"
: "${VENV:?a virtual environment with pyspark}"
SP=$(echo "$VENV"/lib/python3*/site-packages/pyspark)
export SPARK_HOME=$SP PYSPARK_PYTHON=$VENV/bin/python JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}
TMP=$(mktemp -d) NS=dasaudit-shuffle
export SPARK_LOG_DIR=$TMP/logs SPARK_WORKER_DIR=$TMP/work SPARK_CONF_DIR=$TMP/conf
mkdir -p "$OUT" "$SPARK_LOG_DIR" "$SPARK_WORKER_DIR" "$SPARK_CONF_DIR"
cleanup() {
    for p in $(ip netns pids $NS 2>/dev/null); do kill -9 "$p" 2>/dev/null; done
    ip netns del $NS 2>/dev/null
    rm -rf "$TMP"
}
trap cleanup EXIT
ip netns add $NS && ip -n $NS link set lo up
ip netns exec $NS tcpdump -i lo -s 200 -U -w "$TMP/capture.pcap" tcp 2>"$TMP/tcpdump.err" & TD=$!
sleep 1
SPARK_LOCAL_IP=127.0.0.1 ip netns exec $NS "$SPARK_HOME/bin/spark-class" org.apache.spark.deploy.master.Master --host 127.0.0.1 \
    --port 7079 --webui-port 8083 >"$SPARK_LOG_DIR/master.log" 2>&1 & MASTER=$!
sleep 6
# The worker's shuffle service: enabled, its port left to Spark's default.
SPARK_WORKER_OPTS="-Dspark.shuffle.service.enabled=true" SPARK_LOCAL_IP=127.0.0.2 ip netns exec $NS \
    "$SPARK_HOME/bin/spark-class" org.apache.spark.deploy.worker.Worker --host 127.0.0.2 \
    --port 11002 --webui-port 11502 --cores 2 --memory 2g spark://127.0.0.1:7079 >"$SPARK_LOG_DIR/worker.log" 2>&1 & WORKER=$!
sleep 8
grep -h "shuffle service\|Shuffle" "$SPARK_LOG_DIR/worker.log" | head -3
SPARK_LOCAL_IP=127.0.0.1 ip netns exec $NS "$SPARK_HOME/bin/spark-submit" "$ROOT/scripts/recording/shuffle_default_job.py" \
    >"$SPARK_LOG_DIR/job.log" 2>&1
echo "job rc $?"
grep -h "result\|Successfully started service" "$SPARK_LOG_DIR/job.log" | head -8
sleep 2
kill $WORKER $MASTER; sleep 3; kill -9 $WORKER $MASTER 2>/dev/null
sleep 1; kill -INT $TD; wait $TD
cat "$TMP/tcpdump.err"
cp "$TMP/capture.pcap" "$OUT/das-shuffle-default-lo.pcap"
