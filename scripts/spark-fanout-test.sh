#!/usr/bin/env bash
# Tests scripts/spark-fanout.py in Spark local mode: pyspark from PyPI in a virtual
# environment (made once, in .build/spark-venv, or $SPARK_VENV), Java from
# default-jdk-headless (scripts/setup.sh). The fan-out audits the six window captures of
# the two-node fleet recorded in network namespaces (captures/fleet-{a,b}-w{1,2,3}.pcap,
# scripts/recording/record-fleet.sh) at capture points a and b on Spark and merges them;
# the result must equal a local `merge` of the same audits, byte for byte but for the
# command line in the evidence (the two merges were asked for differently). An audit that
# fails on an executor (a missing capture) makes the script exit 2 naming it, merging nothing.
#
#   scripts/spark-fanout-test.sh        # after swift build
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
BIN="$ROOT/.build/debug/dasaudit"
VENV="${SPARK_VENV:-$ROOT/.build/spark-venv}"
export SPARK_LOCAL_IP=127.0.0.1   # Spark local mode stays on loopback
# One audit time for both merges: a result records when it was made (evidence.audited_at).
export DASAUDIT_AUDIT_TIME=2026-12-05T12:00:00Z
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
say() { printf 'spark-fanout-test: %s\n' "$*" >&2; }

[ -x "$BIN" ] || { say "no $BIN: run swift build first"; exit 1; }
command -v java >/dev/null || { say "no java: scripts/setup.sh installs default-jdk-headless"; exit 1; }
if ! "$VENV/bin/python" -c 'import pyspark' 2>/dev/null; then
    say "installing pyspark from PyPI into $VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet pyspark
fi
say "pyspark $("$VENV/bin/python" -c 'import pyspark; print(pyspark.__version__)'), $(java -version 2>&1 | head -1)"

POLICY=(--offset 2 --mode cluster --cores 2)
pairs=() results=()
for point in a b; do
    for window in 1 2 3; do
        capture="$ROOT/captures/fleet-$point-w$window.pcap"
        pairs+=("$point=$capture")
        "$BIN" audit "$capture" --capture-point "$point" --connections "${POLICY[@]}" --format json \
            --output "$WORK/local-$point-$window.json" 2>/dev/null || [ $? -eq 1 ]
        results+=("$WORK/local-$point-$window.json")
    done
done
status=0
"$BIN" merge "${results[@]}" "${POLICY[@]}" --format json --output "$WORK/local.json" 2>/dev/null || status=$?
[ "$status" -eq 1 ] || { say "local merge: exit $status, expected 1 (the rogue port is a finding)"; exit 1; }

say "fan-out on Spark local[2]"
status=0
PYSPARK_PYTHON="$VENV/bin/python" "$VENV/bin/python" scripts/spark-fanout.py --master 'local[2]' --partitions 2 \
    --dasaudit "$BIN" --audit-args "${POLICY[*]}" --output "$WORK/spark.json" "${pairs[@]}" || status=$?
[ "$status" -eq 1 ] || { say "spark-fanout.py: exit $status, expected 1 like the local merge"; exit 1; }

say "an audit that fails on the executors: exit 2, naming its capture, nothing merged"
status=0
PYSPARK_PYTHON="$VENV/bin/python" "$VENV/bin/python" scripts/spark-fanout.py --master 'local[2]' --dasaudit "$BIN" \
    --audit-args "${POLICY[*]}" --output "$WORK/bad.json" "${pairs[0]}" "b=$WORK/missing.pcap" 2>"$WORK/bad.log" || status=$?
if [ "$status" -ne 2 ] || [ -e "$WORK/bad.json" ] || ! grep -q "spark-fanout: error: $WORK/missing.pcap (capture point b): " "$WORK/bad.log"; then
    say "FAIL: a missing capture gave exit $status"; tail -3 "$WORK/bad.log" >&2; exit 1
fi

python3 - "$WORK/local.json" "$WORK/spark.json" <<'PY'
import json, sys
local, spark = (json.load(open(path)) for path in sys.argv[1:])
for result in (local, spark):
    result["evidence"]["command_line"] = []
if local != spark:
    for key in local:
        if local[key] != spark.get(key):
            print(f"spark-fanout-test: FAIL: '{key}' differs:\n  local: {json.dumps(local[key])[:600]}\n  spark: {json.dumps(spark.get(key))[:600]}")
    sys.exit(1)
services = ", ".join(f"{s['address']}:{s['port']} {s['connections']}" for s in spark["services"])
print(f"spark-fanout-test: ok: Spark fan-out == local merge ({spark['coverage']['connections']} connections from "
      f"{len(spark['inputs'])} audits at {[p['name'] for p in spark['capture_points']]}; {services})")
PY
