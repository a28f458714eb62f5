#!/usr/bin/env python3
"""Audits a fleet's capture archive on an existing Apache Spark cluster, then merges.

One `dasaudit audit` per capture file runs on the executors (PySpark `RDD.pipe`, the
dasaudit binary shipped to them with `SparkContext.addFile`), each at its capture point
and with `--connections`; the driver collects the JSON results and reduces them with one
`dasaudit merge` (docs/merge.md). Merge is associative and commutative, so the result is
the same as a local `merge` of the same audits, whatever the partitioning.

    spark-submit scripts/spark-fanout.py --dasaudit ./dasaudit --output cluster.json \\
        --audit-args '--offset 2 --mode cluster --cores 2' \\
        das1=/archive/das1/cap-0800.pcap.gz das1=/archive/das1/cap-0810.pcap.gz \\
        das2=/archive/das2/cap-0800.pcap.gz
    python3 scripts/spark-fanout.py --master 'local[2]' ...   # without spark-submit

Each POINT=CAPTURE is one audit: a capture file (as the executors see it: shared storage)
and the capture point it was recorded at (a node name; give every window of one node the
same point, so that merge joins the connections cut between windows). `--list FILE`
reads the same pairs, one `POINT CAPTURE` per line. `--merge-args` go to `merge` (by
default the `--audit-args`, so the merge applies the same policy). Exit codes: those of
`merge` (0 compliant, 1 findings, 2 an error); 2 when an audit could not be made, naming
its capture and what dasaudit said.
"""
import argparse
import base64
import os
import shlex
import subprocess
import sys
import tempfile

# Runs on the executors, once per partition, with "POINT<TAB>CAPTURE" lines on standard
# input: one audit per line, printed as "POINT<TAB>CAPTURE<TAB>STATUS<TAB>BASE64(JSON or
# stderr)" on one line, as RDD.pipe wants. The binary is where addFile put it: the
# executor's working directory on a cluster, DASAUDIT_ROOT (the driver's SparkFiles
# directory) in local mode.
AUDIT_LINES = r'''
set -u
binary="${DASAUDIT_ROOT:-.}/dasaudit"
[ -x "$binary" ] || binary=./dasaudit
chmod +x "$binary" 2>/dev/null || true
tab=$(printf '\t')
newline='
'
# The audit's arguments, one a line (so a path with spaces stays one argument).
IFS=$newline; set -f; set -- $DASAUDIT_AUDIT_ARGS; set +f; unset IFS
while IFS="$tab" read -r point capture; do
    [ -n "$point" ] || continue
    out=$(mktemp) err=$(mktemp)
    "$binary" audit "$capture" --capture-point "$point" --connections --format json --output "$out" "$@" </dev/null 2>"$err"
    status=$?
    if [ "$status" -le 1 ]; then body=$(base64 -w0 <"$out"); else body=$(base64 -w0 <"$err"); fi
    printf '%s\t%s\t%s\t%s\n' "$point" "$capture" "$status" "$body"
    rm -f "$out" "$err"
done
'''


def parse_pairs(values, list_file):
    """The (point, capture) pairs of the command line and of --list, in order."""
    pairs = []
    for value in values:
        point, sep, capture = value.partition("=")
        if not sep or not point or not capture:
            sys.exit(f"spark-fanout: error: '{value}' is not POINT=CAPTURE")
        pairs.append((point, capture))
    if list_file:
        with open(list_file, encoding="utf-8") as lines:
            for number, line in enumerate(lines, 1):
                if not line.strip() or line.lstrip().startswith("#"):
                    continue
                words = line.split(None, 1)
                if len(words) != 2:
                    sys.exit(f"spark-fanout: error: {list_file}:{number}: not 'POINT CAPTURE'")
                pairs.append((words[0], words[1].strip()))
    for point, capture in pairs:
        if "\t" in point or "\n" in point or "\t" in capture or "\n" in capture:
            sys.exit(f"spark-fanout: error: {point!r}={capture!r}: tabs and newlines cannot pass through RDD.pipe")
    if not pairs:
        sys.exit("spark-fanout: error: give at least one POINT=CAPTURE (or --list FILE)")
    return pairs


def audit_on_spark(pairs, binary, audit_args, master, partitions):
    """Runs the audits on the cluster; returns [(point, capture, status, bytes)]."""
    from pyspark import SparkConf, SparkContext, SparkFiles

    conf = SparkConf().setAppName("dasaudit-fanout")
    if master:
        conf = conf.setMaster(master)
    context = SparkContext.getOrCreate(conf)
    context.setLogLevel("ERROR")
    try:
        context.addFile(os.path.abspath(binary))
        local = context.master.startswith("local")
        env = {"DASAUDIT_AUDIT_ARGS": "\n".join(shlex.split(audit_args)), "PATH": os.environ.get("PATH", "/usr/bin:/bin")}
        if local:
            env["DASAUDIT_ROOT"] = SparkFiles.getRootDirectory()
        lines = (context.parallelize([f"{p}\t{c}" for p, c in pairs], partitions or len(pairs))
                 .pipe(shlex.join(["sh", "-c", AUDIT_LINES]), env=env)
                 .collect())
    finally:
        context.stop()
    results = []
    for line in lines:
        point, capture, status, body = line.split("\t", 3)
        results.append((point, capture, int(status), base64.b64decode(body)))
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("pairs", nargs="*", metavar="POINT=CAPTURE")
    parser.add_argument("--list", metavar="FILE", help="POINT CAPTURE pairs, one a line")
    parser.add_argument("--dasaudit", required=True, help="the dasaudit binary to ship to the executors (the release tarball's)")
    parser.add_argument("--output", required=True, help="where to write the merged JSON result")
    parser.add_argument("--audit-args", default="", help="arguments of each audit: the policy (--offset, --policy FILE, ...)")
    parser.add_argument("--merge-args", default=None, help="arguments of the merge (default: --audit-args)")
    parser.add_argument("--master", default=None, help="the Spark master (default: spark-submit's, else local[*])")
    parser.add_argument("--partitions", type=int, default=None, help="partitions (default: one audit each)")
    parser.add_argument("--keep", metavar="DIR", help="also keep each audit's JSON result in DIR")
    args = parser.parse_args()
    pairs = parse_pairs(args.pairs, args.list)
    master = args.master or (None if "SPARK_ENV_LOADED" in os.environ or "spark.master" in os.environ.get("PYSPARK_SUBMIT_ARGS", "")
                             else "local[*]")
    results = audit_on_spark(pairs, args.dasaudit, args.audit_args, master, args.partitions)
    failed = [(point, capture, body) for point, capture, status, body in results if status > 1]
    for point, capture, body in failed:
        print(f"spark-fanout: error: {capture} (capture point {point}): {body.decode(errors='replace').strip()}", file=sys.stderr)
    if failed:
        return 2
    with tempfile.TemporaryDirectory(prefix="dasaudit-fanout-") as directory:
        target = args.keep or directory
        os.makedirs(target, exist_ok=True)
        files = []
        for index, (point, capture, _, body) in enumerate(sorted(results)):
            path = os.path.join(target, f"{index:05d}-{point}.json")
            with open(path, "wb") as out:
                out.write(body)
            files.append(path)
        merge_args = shlex.split(args.audit_args if args.merge_args is None else args.merge_args)
        merge = [args.dasaudit, "merge", *files, *merge_args, "--format", "json", "--output", args.output]
        return subprocess.run(merge).returncode


if __name__ == "__main__":
    sys.exit(main())
