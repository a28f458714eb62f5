#!/usr/bin/env bash
# Installs what is missing, builds dasaudit and runs every test: unit tests per module,
# end-to-end tests over the real captures in captures/, and the reports in a browser.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh

swift build --build-tests
mkdir -p .build
rm -f .build/test-retry.log
flaky=""
if ! swift test --skip-build "$@" 2>&1 | tee .build/test-output.log; then
  # Repeated here, where a reader of only the end of this run's output sees them.
  echo "test: the failures, from .build/test-output.log:" >&2
  grep -E ": error: |' failed \(" .build/test-output.log | tail -60 >&2
  # A test that failed is run once more, alone: many drive real processes, sockets and the
  # kernel's capture on a shared machine, where a deadline can be missed. One that passes
  # then is named in the last line as having failed once; one that fails again fails the
  # run, and so do more than five failed tests (that is no missed deadline).
  failed=$(grep -oE "Test Case '[A-Za-z0-9_]+\.[A-Za-z0-9_]+' failed" .build/test-output.log \
             | sed -E "s/Test Case '([^.]+)\.([^']+)' failed/\1\/\2/" | sort -u)
  if [ -z "$failed" ] || [ "$(wc -l <<<"$failed")" -gt 5 ]; then exit 1; fi
  for test in $failed; do
    echo "test: $test failed; running it again, alone" >&2
    if ! swift test --skip-build --filter "\\.${test}\$" >> .build/test-retry.log 2>&1 \
       || ! grep -q "Test Case '${test/\//.}' passed" .build/test-retry.log; then
      grep -E ": error: " .build/test-retry.log | tail -20 >&2
      echo "test: $test failed again (.build/test-retry.log)" >&2
      exit 1
    fi
  done
  flaky=$(tr '\n' ' ' <<<"$failed")
fi
# The HTML report in headless Chromium: no external load, no console error, PNG and PDF.
scripts/render-report.sh
# Packets per connection equal tshark's over every capture and its variants (VLAN, QinQ,
# pcapng, nanosecond, big-endian, compressed, other link types); then a short fuzz run.
scripts/compare-tshark.sh
# The 1,071 captures of nDPI's, Wireshark's, tcpdump's and tcpflow's tests, recorded by others: read
# without a crash, packets per connection as tshark, protocols as nDPI names them.
scripts/third-party-captures.sh
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
if [ -n "$flaky" ]; then
  echo "tests: $executed run; $failures failed assertion(s), in $flaky, which then passed alone"
else
  echo "tests: $((executed - failures)) passed, $failures failed"
fi
