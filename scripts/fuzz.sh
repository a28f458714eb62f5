#!/usr/bin/env bash
# Fuzzes every parser of outside input with libFuzzer and AddressSanitizer (Fuzz/README.md).
#
#   scripts/fuzz.sh [SECONDS]           every target, SECONDS shared between them (default 60;
#                                       at least 4 s each): what CI runs, `scripts/fuzz.sh 20`
#   scripts/fuzz.sh TARGET [SECONDS]    one target for SECONDS (default 60)
#   scripts/fuzz.sh --build-only [TARGET]
#   scripts/fuzz.sh --merge-seeds [TARGET]
#                                       replace Fuzz/corpus/TARGET by the fewest of its seeds and
#                                       of the grown corpus that reach every edge they reach
#   FUZZ_OPTIMIZATION=-Onone scripts/fuzz.sh capture 600
#                                       slower, but with the standard library's debug checks
#                                       (bounds of every buffer slice) on top of ASan
#   FUZZ_ARGS='-fork=2 -ignore_crashes=1' scripts/fuzz.sh result 600
#                                       extra libFuzzer options
#
# Targets (Fuzz/Targets/*): decoder (one packet, PacketDecoder), capture (a whole capture
# file through InputKind, the decompressors, libpcap, the decoder, the flow table and the
# audit), result (a JSON result: parse, every report format, merge), policy (a YAML policy
# file), das-home (carbon.xml, spark-defaults.conf, event-processor.xml), xml (dasaudit's XML
# reader, on any bytes).
#
# The targets are SwiftPM executables declared only when DASAUDIT_FUZZ=1, built in release
# (-O keeps Swift's overflow and precondition checks) into .build-fuzz with ASan on Swift
# and C code and libFuzzer's coverage on the Swift code. Seeds: Fuzz/corpus/TARGET; the
# corpus grows in .build-fuzz/corpus/TARGET; a crash leaves its input in
# .build-fuzz/crashes/TARGET-crash-*. Exits non-zero on a crash.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v swift >/dev/null 2>&1 && [ -x /opt/swift/usr/bin/swift ]; then
  export PATH="/opt/swift/usr/bin:$PATH"
fi

targets=(decoder capture result policy das-home xml)
usage() { echo "usage: scripts/fuzz.sh [TARGET] [SECONDS] | --build-only [TARGET]   (TARGET: ${targets[*]})" >&2; exit 2; }
is_target() { local t; for t in "${targets[@]}"; do [ "$t" = "$1" ] && return 0; done; return 1; }

mode=fuzz
case "${1:-}" in
  --build-only) mode=build; shift ;;
  --merge-seeds) mode=merge; shift ;;
esac
chosen=("${targets[@]}")
if [ $# -gt 0 ] && is_target "$1"; then chosen=("$1"); shift; fi
seconds=60
if [ $# -gt 0 ]; then
  case "$1" in ""|*[!0-9]*) usage ;; *) seconds=$1 ;; esac
  shift
fi
[ $# -eq 0 ] || usage

# A build at another optimization level goes into its own scratch folder.
scratch=.build-fuzz
swift_flags=(-Xswiftc -sanitize=fuzzer -Xswiftc -parse-as-library)
if [ -n "${FUZZ_OPTIMIZATION:-}" ]; then
  scratch=.build-fuzz${FUZZ_OPTIMIZATION}
  swift_flags+=(-Xswiftc "$FUZZ_OPTIMIZATION")
fi
mkdir -p "$scratch/crashes"

for target in "${chosen[@]}"; do
  DASAUDIT_FUZZ=1 swift build -c release --scratch-path "$scratch" --sanitize address "${swift_flags[@]}" \
    --product "fuzz-$target" > "$scratch/build.log" 2>&1 \
    || { grep -v "Cannot export local symbol" "$scratch/build.log" >&2; exit 1; }
done
bin=$(DASAUDIT_FUZZ=1 swift build -c release --scratch-path "$scratch" --show-bin-path)
if [ "$mode" = build ]; then
  for target in "${chosen[@]}"; do echo "built $bin/fuzz-$target"; done
  exit 0
fi

# Per target: the largest input worth trying, and a libFuzzer dictionary of its format.
max_len() {
  case "$1" in decoder) echo 4096 ;; capture|result) echo 65536 ;; *) echo 16384 ;; esac
}
dictionary() {
  case "$1" in result) echo Fuzz/dictionaries/json.dict ;; policy) echo Fuzz/dictionaries/yaml.dict ;;
               das-home|xml) echo Fuzz/dictionaries/das-home.dict ;; capture) echo Fuzz/dictionaries/capture.dict ;; esac
}

if [ "$mode" = merge ]; then
  for target in "${chosen[@]}"; do
    merged=$(mktemp -d)
    # Edge coverage only (no hit counts) and a set cover: the fewest inputs that reach every edge.
    LSAN_OPTIONS=suppressions=Fuzz/lsan.supp SWIFT_BACKTRACE=enable=no "$bin/fuzz-$target" -set_cover_merge=1 -use_counters=0 \
      -max_len="$(max_len "$target")" -timeout=10 "$merged" "Fuzz/corpus/$target" "$scratch/corpus/$target" \
      > "$scratch/merge-$target.log" 2>&1 || { tail -20 "$scratch/merge-$target.log" >&2; exit 1; }
    # The repository keeps at most 1 MB of seeds per target: the largest go first.
    while [ "$(cat "$merged"/* | wc -c)" -gt 1000000 ]; do rm -f "$merged/$(ls -S "$merged" | head -1)"; done
    rm -f "Fuzz/corpus/$target"/*
    mv "$merged"/* "Fuzz/corpus/$target"/
    rmdir "$merged"
    echo "$target: $(find "Fuzz/corpus/$target" -type f | wc -l) seeds, $(cat "Fuzz/corpus/$target"/* | wc -c) bytes"
  done
  exit 0
fi

each=$seconds
if [ ${#chosen[@]} -gt 1 ]; then each=$(( seconds / ${#chosen[@]} )); [ "$each" -ge 4 ] || each=4; fi
failed=()
for target in "${chosen[@]}"; do
  corpus="$scratch/corpus/$target"
  mkdir -p "$corpus"
  options=(-max_total_time="$each" -max_len="$(max_len "$target")" -timeout=10 -rss_limit_mb=2048
           -artifact_prefix="$scratch/crashes/$target-" -print_final_stats=1)
  dict=$(dictionary "$target")
  [ -z "$dict" ] || options+=(-dict="$dict")
  echo "fuzzing $target for ${each}s (seeds: Fuzz/corpus/$target, corpus: $corpus)"
  # The Swift backtracer would hold a crashing process for up to 30 s; libFuzzer reports the crash itself.
  status=0
  # shellcheck disable=SC2086 # FUZZ_ARGS is a list of options
  SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS=suppressions=Fuzz/lsan.supp:print_suppressions=0 \
    "$bin/fuzz-$target" "$corpus" "Fuzz/corpus/$target" "${options[@]}" ${FUZZ_ARGS:-} \
    > "$scratch/last-run-$target.log" 2>&1 || status=$?
  grep -E '^(#[0-9]+[[:space:]]+(INITED|DONE)|stat::number_of_executed_units|==.*ERROR|SUMMARY|artifact_prefix|Test unit|.*Fatal error)' \
    "$scratch/last-run-$target.log" || true
  if [ "$status" -ne 0 ]; then
    echo "fuzz: $target failed (exit $status); see $scratch/last-run-$target.log and $scratch/crashes/$target-*" >&2
    failed+=("$target")
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: a crash in ${failed[*]}" >&2
  exit 1
fi
echo "fuzz: no crash in ${chosen[*]} (${each}s each)"
