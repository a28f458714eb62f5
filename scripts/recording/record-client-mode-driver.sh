#!/usr/bin/env bash
# Records a DAS node running a Spark driver in client mode: a real Spark 4.3.0 standalone
# cluster outside the DAS nodes runs the executors, which call the driver back.
#
#   sudo VENV=/path/to/venv-with-pyspark scripts/recording/record-client-mode-driver.sh [OUTDIR]
#
# Two network namespaces joined by a veth pair: dasaudit-cm-ext (10.40.0.1: the external
# cluster's master 7079 and one worker 11002 with 2 cores, so two 1-core executors) and
# dasaudit-cm-drv (10.40.0.2: the DAS node, whose pyspark driver binds spark.driver.port
# 13002 and its block manager 12002, offset 2). tcpdump on the driver's veth records the
# driver's connection to the master and the executors' connections to 13002 and 12002, cut
# to the beginning of every connection (the first 1000 bytes each way) and to 200 bytes a
# packet: OUTDIR/client-mode-driver-veth-s200.pcap. Spark's logs (`Successfully started
# service ...`) are left in OUTDIR/client-mode-driver/ (the ground truth). VENV is a virtual
# environment with pyspark 4.3.0 (its Java: JAVA_HOME, default Debian's OpenJDK 17). Needs
# root, tcpdump, tshark and editcap. Traffic stays inside the namespaces, removed on exit.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="$(realpath -m "${1:-$ROOT/captures}")"
: "${VENV:?a virtual environment with pyspark}"
SP=$(echo "$VENV"/lib/python3*/site-packages/pyspark)
export SPARK_HOME=$SP PYSPARK_PYTHON=$VENV/bin/python JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}
RUN="$OUT/client-mode-driver"
rm -rf "$RUN"; mkdir -p "$RUN"/{conf,logs,work}
export SPARK_CONF_DIR=$RUN/conf SPARK_LOG_DIR=$RUN/logs SPARK_NO_DAEMONIZE=1
NAMESPACES=(dasaudit-cm-ext dasaudit-cm-drv)
source "$ROOT/scripts/recording/namespaces.sh"
E=dasaudit-cm-ext; D=dasaudit-cm-drv
cleanup_spark() {
    for n in $E $D; do ip netns pids $n 2>/dev/null | xargs -r kill 2>/dev/null; done
    sleep 4
    for n in $E $D; do ip netns pids $n 2>/dev/null | xargs -r kill -9 2>/dev/null; done
}
trap 'cleanup_spark; cleanup' EXIT

cat > "$RUN/conf/spark-defaults.conf" <<CONF
spark.executor.cores             1
spark.executor.memory            512m
spark.driver.port                13002
spark.blockManager.port          12002
spark.ui.port                    4042
CONF
ip link add dasaudit-cm-ext type veth peer name dasaudit-cm-drv
ip link set dasaudit-cm-ext netns $E; ip link set dasaudit-cm-drv netns $D
ip -n $E addr add 10.40.0.1/24 dev dasaudit-cm-ext; ip -n $D addr add 10.40.0.2/24 dev dasaudit-cm-drv
ip -n $E link set dasaudit-cm-ext up; ip -n $D link set dasaudit-cm-drv up
start_tcpdump $D "$RUN/logs/tcpdump.err" -i dasaudit-cm-drv -U -s 0 -w "$RUN/veth.pcap" tcp
SPARK_LOCAL_IP=10.40.0.1 ip netns exec $E "$SP/bin/spark-class" org.apache.spark.deploy.master.Master --host 10.40.0.1 --port 7079 --webui-port 8083 >"$RUN/logs/master.log" 2>&1 &
wait_listening $E 7079
SPARK_WORKER_DIR=$RUN/work SPARK_LOCAL_IP=10.40.0.1 ip netns exec $E "$SP/bin/spark-class" org.apache.spark.deploy.worker.Worker --host 10.40.0.1 --port 11002 --webui-port 11502 --cores 2 --memory 2g spark://10.40.0.1:7079 >"$RUN/logs/worker.log" 2>&1 &
for _ in $(seq 120); do grep -q "Successfully registered with master" "$RUN/logs/worker.log" && break; sleep 1; done
cd "$RUN" && SPARK_LOCAL_IP=10.40.0.2 ip netns exec $D "$SP/bin/spark-submit" --master spark://10.40.0.1:7079 --conf spark.driver.host=10.40.0.2 \
    "$ROOT/scripts/recording/spark43/two_apps_job.py" client-mode 2 >"$RUN/logs/driver.log" 2>&1
sleep 2
kill -INT "$tcpdump_pid"; wait "$tcpdump_pid"
grep -H 'Successfully started service\|client-mode result' "$RUN"/logs/*.log $(find "$RUN/work" -name stderr) 2>/dev/null | sed "s|$RUN/||"

# Each connection's beginning, then the snapshot length.
tshark -r "$RUN/veth.pcap" -Y "tcp.seq <= 1000 && tcp.ack <= 1000" -F pcap -w "$RUN/cut.pcap" \
    && editcap -F pcap -s 200 "$RUN/cut.pcap" "$OUT/client-mode-driver-veth-s200.pcap"
rm -f "$RUN/cut.pcap" "$RUN/veth.pcap"
