#!/usr/bin/env bash
# Installs what is missing, builds dasaudit and runs every test: unit tests per module
# and end-to-end tests over the real captures in captures/.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh

swift build --build-tests
swift test --skip-build "$@"
