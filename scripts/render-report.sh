#!/usr/bin/env bash
# render-report.sh [OUTDIR]
#
# Renders the HTML compliance report in headless Chromium, as a reader's browser would,
# and checks it. Run by scripts/test.sh (so by CI); about a minute.
#
#   1. Self-test: the page checker must flag scripts/report/bad-page.html (an external
#      image, an inline script, a page wider than the window).
#   2. Reports of real audits: the bundled Spark capture (offset 2, cluster, 2 cores), a
#      generated capture of 500 services on 10 hosts (450 of them unexpected) and one of 1
#      service, one connection each (dasaudit-gen --preset report), and the Spark result
#      with hostile text in every input-reachable field, re-rendered with `dasaudit render`.
#   3. For each: scripts/report/check-page.py loads it over the DevTools pipe and fails on
#      any request but the page itself, any warning or error logged (CSP violations
#      included), any script/image/link element, or a page wider than the window, and
#      pictures the traffic chart, the host x port matrix and the services table; then
#      Chromium writes a PNG of the top (--screenshot), a full-page PNG and a PDF
#      (--print-to-pdf), and pdfinfo counts the PDF's pages.
#   4. Every JSON result is validated against docs/result-schema.json with python3-jsonschema.
#
# Everything is written to OUTDIR (default .build-reports/render-check): look at the PNGs.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-.build-reports/render-check}
chromium=${CHROMIUM:-chromium}
dasaudit=${DASAUDIT:-.build/debug/dasaudit}
generator=${DASAUDIT_GEN:-.build/debug/dasaudit-gen}
say() { echo "render-report: $*" >&2; }
failures=()
fail() { say "FAIL: $*"; failures+=("$*"); }

command -v "$chromium" >/dev/null || { say "chromium is not installed (scripts/setup.sh installs it)"; exit 2; }
[ -x "$dasaudit" ] || swift build --product dasaudit
[ -x "$generator" ] || swift build --product dasaudit-gen
rm -rf "$out" && mkdir -p "$out"
out=$(cd "$out" && pwd)

# Chromium, headless, with a throwaway profile and nothing but the page; its singleton
# socket's directory (made under TMPDIR) goes in the profile, not in /tmp.
headless() {
  mkdir -p "$out/profile"
  TMPDIR="$out/profile" "$chromium" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run --hide-scrollbars \
    --user-data-dir="$out/profile" "$@" >/dev/null 2>&1
}

# 1. The checker must be able to fail.
if python3 scripts/report/check-page.py "$chromium" scripts/report/bad-page.html --expect-problems >"$out/self-test.json"; then
  say "self-test: the checker flagged the bad page ($(python3 -c 'import json,sys; print(len(json.load(sys.stdin)["problems"]))' <"$out/self-test.json") problems)"
else
  fail "self-test: the checker did not flag scripts/report/bad-page.html"
fi

# 2. The reports. An audit exits 1 when not compliant: that is a result, not an error.
audit() {
  local name=$1; shift
  local status=0
  "$dasaudit" audit "$@" --offset 2 --mode cluster --cores 2 \
    --report "html:$out/$name.html" --report "json:$out/$name.json" >/dev/null 2>"$out/$name.stderr" || status=$?
  [ "$status" -le 1 ] || fail "$name: dasaudit audit exited $status: $(cat "$out/$name.stderr")"
}
audit spark-cluster captures/spark-cluster-offset2-lo.pcap
# services (one connection each), hosts, unexpected share
services_capture() {
  "$generator" "$out/services-$1.pcap" --preset report --services "$1" --connections "$1" --hosts "$2" \
    --unexpected-share "$3" 2>>"$out/generator.log" || fail "services-$1: dasaudit-gen failed: $(cat "$out/generator.log")"
}
services_capture 500 10 0.9
audit services-500 "$out/services-500.pcap"
services_capture 1 1 0
audit services-1 "$out/services-1.pcap"
python3 - "$out/spark-cluster.json" "$out/hostile.json" <<'PY'
import json, sys
result = json.load(open(sys.argv[1]))
hostile = "<script>alert('x')</script> & \"q\" <img src=x onerror=alert(1)> <link rel=stylesheet href=https://example.invalid/x.css>"
result["inputs"][0]["path"] = result["evidence"]["inputs"][0]["path"] = hostile
result["evidence"]["command_line"].append(hostile)
for finding in result["findings"]:
    finding["message"] += " " + hostile
for service in result["services"]:
    service["sample_clients"] = [hostile]
json.dump(result, open(sys.argv[2], "w"))
PY
"$dasaudit" render "$out/hostile.json" --report "html:$out/hostile.html" >/dev/null 2>"$out/hostile.stderr" \
  || fail "hostile: dasaudit render failed: $(cat "$out/hostile.stderr")"

# 3. Each page in Chromium.
start=$(date +%s.%N)
for name in spark-cluster services-500 services-1 hostile; do
  page="$out/$name.html"
  [ -s "$page" ] || { fail "$name: no report was written"; continue; }
  if ! python3 scripts/report/check-page.py "$chromium" "$page" --sections "$out/$name" >"$out/$name.check.json"; then
    fail "$name: $(cat "$out/$name.check.json")"
    continue
  fi
  height=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["height"])' <"$out/$name.check.json")
  headless --window-size=1280,1600 --screenshot="$out/$name.png" "file://$page"
  headless --window-size=1280,$((height < 16000 ? height : 16000)) --screenshot="$out/$name-full.png" "file://$page"
  headless --no-pdf-header-footer --print-to-pdf="$out/$name.pdf" "file://$page"
  for file in "$name.png" "$name-full.png" "$name.pdf"; do
    [ -s "$out/$file" ] || fail "$name: Chromium wrote no $file"
  done
  pages=$( (pdfinfo "$out/$name.pdf" 2>/dev/null || true) | awk '/^Pages:/ {print $2}')
  [ "${pages:-0}" -ge 1 ] || fail "$name: the PDF has no pages"
  pdftoppm -f 1 -l 2 -r 50 -png "$out/$name.pdf" "$out/$name-pdf-page" || fail "$name: pdftoppm could not read the PDF"
  say "$name: $(stat -c %s "$page") bytes of HTML, ${height}px tall, ${pages:-0} A4 pages, no request, no console error"
done
say "Chromium checks took $(python3 -c "print(round($(date +%s.%N) - $start, 1))") s"

# 4. Every JSON result against the schema, with an independent validator.
if /usr/bin/python3 -c 'import jsonschema' 2>/dev/null; then
  /usr/bin/python3 - docs/result-schema.json "$out"/*.json <<'PY' || fail "a result does not match docs/result-schema.json"
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)
bad = 0
for path in sys.argv[2:]:
    if path.endswith(".check.json") or path.endswith("self-test.json"):
        continue
    for error in validator.iter_errors(json.load(open(path))):
        print(f"{path}: {'/'.join(map(str, error.path))}: {error.message}", file=sys.stderr)
        bad += 1
sys.exit(1 if bad else 0)
PY
  say "results match docs/result-schema.json (python3-jsonschema)"
else
  fail "python3-jsonschema is not installed (scripts/setup.sh installs it)"
fi

if [ ${#failures[@]} -gt 0 ]; then
  say "${#failures[@]} check(s) failed"
  exit 1
fi
say "every check passed; the screenshots are in $out"
