#!/usr/bin/env bash
# Installs what is missing, builds dasaudit and runs every test: unit tests per module,
# end-to-end tests over the real captures in captures/, and the reports in a browser.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh

swift build --build-tests
swift test --skip-build "$@"
# The HTML report in headless Chromium: no external load, no console error, PNG and PDF.
scripts/render-report.sh
# Packets per connection equal tshark's over every capture and its variants (VLAN, QinQ,
# pcapng, nanosecond, big-endian, compressed, other link types); then a short fuzz run.
scripts/compare-tshark.sh
scripts/fuzz.sh 20
# The release packages (.deb, tarball, rpm) install and audit in clean Debian 12 roots.
scripts/install-test.sh
