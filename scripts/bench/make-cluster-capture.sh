#!/usr/bin/env bash
# make-cluster-capture.sh OUT PACKETS [SNAPLEN] [GENCLUSTER OPTIONS...]
#
# Builds a synthetic capture of a DAS/Spark cluster with scripts/bench/gencluster.c
# (see the comment there): PACKETS packets, every record cut to SNAPLEN bytes (default 0:
# whole packets). Options after SNAPLEN (--seed N, --offset N, --cores N, --workers N,
# --publishers N, --rate PPS) go to the generator.
#
# Deterministic: the same generator and arguments give the same bytes, and the first N
# packets of a capture are the capture of N packets. The result is cached in
# bench-out/captures/, keyed by the generator's SHA-256 and the arguments; OUT is a hard
# link to (or a copy of) the cached file. Prints OUT on stdout.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() { say "usage: $0 OUT PACKETS [SNAPLEN] [--seed N] [--offset N] [--cores N] [--workers N] [--publishers N] [--rate PPS]"; exit 2; }
(($# >= 2)) || usage
out=$1 packets=$2
shift 2
snaplen=0
if (($#)) && [[ $1 =~ ^[0-9]+$ ]]; then snaplen=$((10#$1)); shift; fi
[[ "$packets" =~ ^[0-9]+$ ]] || usage
packets=$((10#$packets))
extra=("$@")

command -v cc >/dev/null 2>&1 || bench_ensure_deps
gen=$(bench_compile gencluster)
gen_sha=$(sha256sum "$BENCH_DIR/gencluster.c" | cut -c1-8)
snaptag=$([[ $snaplen -eq 0 ]] && echo full || echo "$snaplen")
argtag=$(printf '%s' "${extra[*]:-}" | tr -c 'A-Za-z0-9\n' '_' | tr -s '_')
argtag=${argtag#_}
cache="$BENCH_OUT/captures/cluster-n${packets}-s${snaptag}${argtag:+-$argtag}-gen${gen_sha}.pcap"
mkdir -p "$BENCH_OUT/captures"

write_capture() {
    "$gen" "$1" "$packets" "$snaplen" "${extra[@]}" 2>"$BENCH_OUT/gencluster.log" \
        || die "gencluster failed: $(cat "$BENCH_OUT/gencluster.log")"
}
bench_cached_capture "$cache" "$out" "$packets packets (snaplen $snaptag${extra[*]:+, ${extra[*]}})" write_capture
