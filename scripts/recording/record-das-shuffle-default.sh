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
NS=dasaudit-shuffle
# shellcheck source=scripts/recording/spark-standalone.sh
source "$(dirname "${BASH_SOURCE[0]}")/spark-standalone.sh"
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
stop_cluster "$WORKER"
cp "$TMP/capture.pcap" "$OUT/das-shuffle-default-lo.pcap"
