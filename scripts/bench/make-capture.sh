#!/usr/bin/env bash
# make-capture.sh OUT PACKETS SNAPLEN [DASAUDIT-GEN OPTIONS...]
#
# Writes a capture of PACKETS packets cut to SNAPLEN bytes (0: whole packets) with the
# project's generator, dasaudit-gen (Sources/TrafficGenerator; docs/performance.md):
# `--preset NAME` for a shape of the benchmark matrix (cluster, concurrent, short,
# services), any other option of `dasaudit-gen --help`, or `--repeat CAPTURE` to repeat a
# real capture up to PACKETS packets with new client addresses in each copy.
#
# Deterministic: the same generator and arguments give the same bytes. The result is
# cached in $BENCH_CACHE (default bench-out/captures/), keyed by the generator's sources,
# the arguments and, for --repeat, the SHA-256 of the capture repeated; OUT is a hard link
# to (or a copy of) the cached file. Prints OUT on stdout.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() { say "usage: $0 OUT PACKETS SNAPLEN [--preset NAME | --repeat CAPTURE] [dasaudit-gen options]"; exit 2; }
(($# >= 3)) || usage
out=$1 packets=$2 snaplen=$3
shift 3
[[ "$packets" =~ ^[0-9]+$ && "$snaplen" =~ ^[0-9]+$ ]] || usage
packets=$((10#$packets)) snaplen=$((10#$snaplen))
extra=("$@")

gen=$(bench_generator)
key="$(bench_generator_sha)"
for ((i = 0; i < ${#extra[@]}; i++)); do
    if [[ ${extra[i]} == --repeat ]]; then
        [[ -r ${extra[i + 1]:-} ]] || die "--repeat: cannot read ${extra[i + 1]:-(nothing given)}"
        key="$key-src$(sha256sum "${extra[i + 1]}" | cut -c1-12)"
    fi
done
snaptag=$([[ $snaplen -eq 0 ]] && echo full || echo "$snaplen")
argtag=$(printf '%s' "${extra[*]:-}" | sed 's|--repeat [^ ]*/|--repeat |' | tr -c 'A-Za-z0-9\n' '_' | tr -s '_')
argtag=${argtag#_}
cache="$BENCH_CACHE/gen-n${packets}-s${snaptag}${argtag:+-$argtag}-gen${key}.pcap"
mkdir -p "$BENCH_CACHE"

write_capture() {
    "$gen" "$1" --packets "$packets" --snaplen "$snaplen" "${extra[@]}" 2>"$BENCH_OUT/dasaudit-gen.log" ||
        die "dasaudit-gen failed: $(cat "$BENCH_OUT/dasaudit-gen.log")"
    say "  $(cat "$BENCH_OUT/dasaudit-gen.log")"
}
bench_cached_capture "$cache" "$out" "$packets packets (snaplen $snaptag${extra[*]:+, ${extra[*]}})" write_capture
