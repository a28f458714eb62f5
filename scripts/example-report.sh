#!/usr/bin/env bash
# example-report.sh: regenerates docs/example-report/ from the bundled Spark capture:
# the HTML compliance report (report.html), the same audit as Markdown (report.md), and a
# screenshot of the top of the report in headless Chromium (screenshot.png).
#
#   scripts/example-report.sh
#
# The audit is run from the repository root with relative paths, so the evidence in the
# report (command line, input path, hashes) is the same on every machine.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
swift build --product dasaudit
dir=docs/example-report
mkdir -p "$dir"
status=0
.build/debug/dasaudit audit captures/spark-cluster-offset2-lo.pcap --offset 2 --mode cluster --cores 2 \
  --report "html:$dir/report.html" --report "md:$dir/report.md" >/dev/null || status=$?
[ "$status" -le 1 ] || { echo "example-report: the audit failed ($status)" >&2; exit "$status"; }
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
chromium --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run --hide-scrollbars \
  --user-data-dir="$profile" --window-size=1280,1500 --screenshot="$PWD/$dir/screenshot.png" "file://$PWD/$dir/report.html" \
  >/dev/null 2>&1
ls -l "$dir" >&2
