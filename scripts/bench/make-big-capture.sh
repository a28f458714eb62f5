#!/usr/bin/env bash
# make-big-capture.sh OUT PACKETS [SNAPLEN]
#
# A capture of PACKETS packets made of the real capture captures/spark-cluster-offset2-lo.pcap
# (or /work/shared/captures/...) repeated, each copy shifted in time and its clients given
# new addresses, every packet cut to SNAPLEN bytes (default 0: the source's):
# `dasaudit-gen --repeat` through scripts/bench/make-capture.sh (cached). Prints OUT.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

(($# == 2 || $# == 3)) || { say "usage: $0 OUT PACKETS [SNAPLEN]"; exit 2; }
exec "$BENCH_DIR/make-capture.sh" "$1" "$2" "${3:-0}" --repeat "$(bench_source_capture)"
