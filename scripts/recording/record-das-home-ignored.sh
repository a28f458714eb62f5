#!/usr/bin/env bash
# Records a real Spark standalone cluster whose driver pins its block manager with
# spark.driver.blockManager.port, a key dasaudit does not read (Spark 2.1 on; DAS's Spark
# 1.6 ignores it), for the note `--das-home` prints about it.
#
#   sudo VENV=/path/to/venv-with-pyspark scripts/recording/record-das-home-ignored.sh [OUTDIR]
#
# In the network namespace dasaudit-home-ignored (loopback only, removed on exit): a master on
# 127.0.0.1 (7079, UI 8083), a worker on 127.0.0.2 (11002, UI 11502, 2 cores), and
# ignored_port_job.py as the driver (13002, block manager 12002, driver block manager
# 12602, UI 4042): the ports of DAS at offset 2 with Tests/Fixtures/das-home-ignored-ports'
# spark-defaults.conf (spark.driver.blockManager.port 12600 + 2). tcpdump -i lo -s 200.
# Writes OUTDIR/das-home-ignored-ports-lo.pcap. VENV is a virtual environment with pyspark
# (its Java: JAVA_HOME, default Debian's OpenJDK 17).
set -uo pipefail
NS=dasaudit-home-ignored
# shellcheck source=scripts/recording/spark-standalone.sh
source "$(dirname "${BASH_SOURCE[0]}")/spark-standalone.sh"
SPARK_LOCAL_IP=127.0.0.2 ip netns exec $NS "$SPARK_HOME/bin/spark-class" org.apache.spark.deploy.worker.Worker --host 127.0.0.2 \
    --port 11002 --webui-port 11502 --cores 2 --memory 2g spark://127.0.0.1:7079 >"$SPARK_LOG_DIR/worker.log" 2>&1 & WORKER=$!
sleep 8
SPARK_LOCAL_IP=127.0.0.1 ip netns exec $NS "$SPARK_HOME/bin/spark-submit" "$ROOT/scripts/recording/ignored_port_job.py" \
    >"$SPARK_LOG_DIR/job.log" 2>&1
echo "job rc $?"
grep -h "result\|BlockManager.*12602\|Successfully started service" "$SPARK_LOG_DIR/job.log" | head -8
stop_cluster "$WORKER"
cp "$TMP/capture.pcap" "$OUT/das-home-ignored-ports-lo.pcap"
