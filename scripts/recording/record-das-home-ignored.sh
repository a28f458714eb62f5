#!/usr/bin/env bash
# Records a real Spark standalone cluster whose driver pins its block manager with
# spark.driver.blockManager.port, a key dasaudit does not read (Spark 2.1 on; DAS's Spark
# 1.6 ignores it), for the note `--das-home` prints about it.
#
#   sudo VENV=/path/to/venv-with-pyspark scripts/recording/record-das-home-ignored.sh [OUTDIR]
#
# In the network namespace dashome28-s (loopback only, removed on exit): a master on
# 127.0.0.1 (7079, UI 8083), a worker on 127.0.0.2 (11002, UI 11502, 2 cores), and
# ignored_port_job.py as the driver (13002, block manager 12002, driver block manager
# 12602, UI 4042): the ports of DAS at offset 2 with Tests/Fixtures/das-home-ignored-ports'
# spark-defaults.conf (spark.driver.blockManager.port 12600 + 2). tcpdump -i lo -s 200.
# Writes OUTDIR/das-home-ignored-ports-lo.pcap. VENV is a virtual environment with pyspark
# (its Java: JAVA_HOME, default Debian's OpenJDK 17).
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="$(realpath -m "${1:-$ROOT/captures}")"
: "${VENV:?a virtual environment with pyspark}"
SP=$(echo "$VENV"/lib/python3*/site-packages/pyspark)
export SPARK_HOME=$SP PYSPARK_PYTHON=$VENV/bin/python JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}
TMP=$(mktemp -d) NS=dashome28-s
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
SPARK_LOCAL_IP=127.0.0.2 ip netns exec $NS "$SPARK_HOME/bin/spark-class" org.apache.spark.deploy.worker.Worker --host 127.0.0.2 \
    --port 11002 --webui-port 11502 --cores 2 --memory 2g spark://127.0.0.1:7079 >"$SPARK_LOG_DIR/worker.log" 2>&1 & WORKER=$!
sleep 8
SPARK_LOCAL_IP=127.0.0.1 ip netns exec $NS "$SPARK_HOME/bin/spark-submit" "$ROOT/scripts/recording/ignored_port_job.py" \
    >"$SPARK_LOG_DIR/job.log" 2>&1
echo "job rc $?"
grep -h "result\|BlockManager.*12602\|Successfully started service" "$SPARK_LOG_DIR/job.log" | head -8
sleep 2
kill $WORKER $MASTER; sleep 3; kill -9 $WORKER $MASTER 2>/dev/null
sleep 1; kill -INT $TD; wait $TD
cat "$TMP/tcpdump.err"
cp "$TMP/capture.pcap" "$OUT/das-home-ignored-ports-lo.pcap"
