#!/usr/bin/env bash
# make-big-capture.sh OUT PACKETS [SNAPLEN]
#
# Builds a benchmark capture of PACKETS packets from the real capture
# captures/spark-cluster-offset2-lo.pcap (or /work/shared/captures/...):
# the source repeated with time shifts, each copy's connections given new
# client ports, every packet truncated to SNAPLEN bytes (default: keep the
# source's). The work is done by scripts/bench/bigcap.c; see the comment there
# and docs/performance.md.
#
# Deterministic: the same source, arguments and generator give the same bytes.
# The result is cached in bench-out/captures/, keyed by the source's SHA-256,
# the generator's SHA-256, PACKETS and SNAPLEN; OUT is a hard link to (or, on
# another file system, a copy of) the cached file. OUT may be the cache path
# itself. Prints OUT on stdout.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() { say "usage: $0 OUT PACKETS [SNAPLEN]"; exit 2; }
(($# == 2 || $# == 3)) || usage
out=$1 packets=$2 snaplen=${3:-0}
[[ "$packets" =~ ^[0-9]+$ ]] || usage
[[ "$snaplen" =~ ^[0-9]+$ ]] || usage
packets=$((10#$packets)) snaplen=$((10#$snaplen))

bench_ensure_deps
src=$(bench_source_capture)
bigcap=$(bench_compile bigcap)

src_sha=$(sha256sum "$src" | cut -c1-12)
gen_sha=$(sha256sum "$BENCH_DIR/bigcap.c" | cut -c1-8)
snaptag=$([[ $snaplen -eq 0 ]] && echo full || echo "$snaplen")
cache="$BENCH_OUT/captures/spark-n${packets}-s${snaptag}-src${src_sha}-gen${gen_sha}.pcap"
mkdir -p "$BENCH_OUT/captures"

write_capture() { "$bigcap" "$src" "$1" "$packets" "$snaplen"; }
bench_cached_capture "$cache" "$out" "$packets packets (snaplen $snaptag) from $src" write_capture
