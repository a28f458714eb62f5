# A real Spark standalone master on 127.0.0.1 (7079, UI 8083: DAS's offset-2 ports) in a
# network namespace of its own (loopback only), with tcpdump -i lo -s 200 recording its
# TCP. Sourced, with NS set (the namespace's name) and the caller's OUTDIR as $1; VENV is a
# virtual environment with pyspark (its Java: JAVA_HOME, default Debian's OpenJDK 17).
# Sets ROOT (the repository), OUT, SPARK_HOME, TMP (a temporary directory), TD (tcpdump),
# MASTER (the master's process), and the Spark log, work and conf directories under TMP;
# on exit every process in the namespace is killed and the namespace and TMP removed.
# `stop_cluster PIDS...` stops those processes and the master, then tcpdump.
# Needs root (ip netns, tcpdump).
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="$(realpath -m "${1:-$ROOT/captures}")"
: "${VENV:?a virtual environment with pyspark}"
SP=$(echo "$VENV"/lib/python3*/site-packages/pyspark)
export SPARK_HOME=$SP PYSPARK_PYTHON=$VENV/bin/python JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}
TMP=$(mktemp -d)
export SPARK_LOG_DIR=$TMP/logs SPARK_WORKER_DIR=$TMP/work SPARK_CONF_DIR=$TMP/conf
mkdir -p "$OUT" "$SPARK_LOG_DIR" "$SPARK_WORKER_DIR" "$SPARK_CONF_DIR"
cleanup() {
    for p in $(ip netns pids "$NS" 2>/dev/null); do kill -9 "$p" 2>/dev/null; done
    ip netns del "$NS" 2>/dev/null
    rm -rf "$TMP"
}
trap cleanup EXIT
ip netns add "$NS" && ip -n "$NS" link set lo up
ip netns exec "$NS" tcpdump -i lo -s 200 -U -w "$TMP/capture.pcap" tcp 2>"$TMP/tcpdump.err" & TD=$!
sleep 1
SPARK_LOCAL_IP=127.0.0.1 ip netns exec "$NS" "$SPARK_HOME/bin/spark-class" org.apache.spark.deploy.master.Master --host 127.0.0.1 \
    --port 7079 --webui-port 8083 >"$SPARK_LOG_DIR/master.log" 2>&1 & MASTER=$!
sleep 6

stop_cluster() {
    sleep 2
    kill "$@" "$MASTER"; sleep 3; kill -9 "$@" "$MASTER" 2>/dev/null
    sleep 1; kill -INT "$TD"; wait "$TD"
    cat "$TMP/tcpdump.err"
}
