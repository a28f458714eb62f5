#!/usr/bin/env bash
# Fuzzes the packet decoder (Sources/Wire) with libFuzzer and AddressSanitizer.
#
#   scripts/fuzz.sh [SECONDS]     default 60; the corpus grows in .build/fuzz/corpus
#   scripts/fuzz.sh --build-only  just build .build/fuzz/decoder-fuzzer
#   FUZZ_OPTIMIZATION=-Onone scripts/fuzz.sh 600
#                                 slower, but with the standard library's debug checks
#                                 (bounds of every buffer slice) on top of ASan
#
# The target (Fuzz/DecoderFuzzTarget.swift) takes the first byte of each input as the link
# type and the rest as a packet. It is compiled, with the Wire module, by
# `swiftc -sanitize=fuzzer,address`, so reads past a packet are caught even where release
# builds drop Swift's own bounds checks. Seeds: Fuzz/corpus (real packets, made by
# Fuzz/make-corpus.py). A crash leaves its input in .build/fuzz/crash-*; turn it into a
# regression test in Tests/WireTests. Exits non-zero on a crash.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v swiftc >/dev/null 2>&1 && [ -x /opt/swift/usr/bin/swiftc ]; then
  export PATH="/opt/swift/usr/bin:$PATH"
fi

seconds=60
build_only=false
case "${1:-}" in
  --build-only) build_only=true ;;
  "") ;;
  *[!0-9]*) echo "usage: scripts/fuzz.sh [SECONDS | --build-only]" >&2; exit 2 ;;
  *) seconds=$1 ;;
esac

out=.build/fuzz
mkdir -p "$out/corpus"
# -O by default: the speed of a release build; overflow and precondition checks stay, and
# ASan sees any out-of-bounds access that -O would no longer check.
flags=(-sanitize=fuzzer,address -parse-as-library "${FUZZ_OPTIMIZATION:--O}" -g)
# Wire is built as its own module, so the target reaches the decoder across a module
# boundary through its @inlinable API, as the dasaudit binary does.
{ swiftc "${flags[@]}" -module-name Wire -emit-module -emit-module-path "$out/Wire.swiftmodule" \
    -emit-library -static -o "$out/libWire.a" Sources/Wire/*.swift \
  && swiftc "${flags[@]}" -module-name DecoderFuzz -I "$out" -L "$out" -lWire \
    Fuzz/DecoderFuzzTarget.swift -o "$out/decoder-fuzzer"; } > "$out/build.log" 2>&1 \
  || { grep -v "Cannot export local symbol" "$out/build.log" >&2; exit 1; }
$build_only && { echo "built $out/decoder-fuzzer"; exit 0; }

echo "fuzzing the packet decoder for ${seconds}s (seeds: Fuzz/corpus, corpus: $out/corpus)"
# The Swift backtracer would hold a crashing process for up to 30 s; libFuzzer reports the crash itself.
SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=1 \
  "$out/decoder-fuzzer" "$out/corpus" Fuzz/corpus \
  -max_total_time="$seconds" -max_len=4096 -timeout=5 -rss_limit_mb=2048 \
  -artifact_prefix="$out/" -print_final_stats=1 2>&1 | tee "$out/last-run.log" | grep -E '^(#[0-9]+[[:space:]]+(INITED|DONE)|stat::|==|SUMMARY|artifact_prefix|Test unit)' || true
status=${PIPESTATUS[0]}
if [ "$status" -ne 0 ]; then
  echo "fuzz: the target failed (exit $status); see $out/last-run.log and $out/crash-*" >&2
  exit 1
fi
echo "fuzz: no crash in ${seconds}s"
