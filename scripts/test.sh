#!/usr/bin/env bash
# Installs what is missing, builds dasaudit and runs every test: unit tests per module,
# end-to-end tests over the real captures in captures/, and the reports in a browser.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh

swift build --build-tests
mkdir -p .build
if ! swift test --skip-build "$@" 2>&1 | tee .build/test-output.log; then
  # Repeated last, where a reader of only the end of this run's output sees them.
  echo "test: failed; the failures, from .build/test-output.log:" >&2
  grep -E ": error: |' failed \(" .build/test-output.log | tail -60 >&2
  exit 1
fi
# The HTML report in headless Chromium: no external load, no console error, PNG and PDF.
scripts/render-report.sh
# Packets per connection equal tshark's over every capture and its variants (VLAN, QinQ,
# pcapng, nanosecond, big-endian, compressed, other link types); then a short fuzz run.
scripts/compare-tshark.sh
scripts/fuzz.sh 20
# The release packages (.deb, tarball, rpm) install and audit in clean Debian 12 and 13 roots.
scripts/install-test.sh
# The fleet: audits fanned out on Spark (local mode, pyspark from PyPI) merge to what a
# local merge gives; the ssh + xargs recipe of docs/merge.md against a local sshd.
scripts/spark-fanout-test.sh
scripts/fanout-ssh-test.sh
# One closing line for whoever reads the end of this run: the XCTest count of the whole
# suite (the last "Executed" line), after every other check above has passed too.
summary=$(grep -E '^[[:space:]]*Executed [0-9]+ tests?, with [0-9]+ failures?' .build/test-output.log | tail -1)
executed=$(sed -E 's/.*Executed ([0-9]+) tests?.*/\1/' <<<"$summary")
failures=$(sed -E 's/.*with ([0-9]+) failures?.*/\1/' <<<"$summary")
echo "tests: $((executed - failures)) passed, $failures failed"
