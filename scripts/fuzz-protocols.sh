#!/usr/bin/env bash
# scripts/fuzz-protocols.sh: libFuzzer over the protocol recognizers (Fuzz/ProtocolFuzzTarget.swift),
# seeded with the first payload bytes of every connection of the captures in captures/.
# usage: scripts/fuzz-protocols.sh [SECONDS | --build-only]   (default 60 s)
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v swiftc >/dev/null 2>&1 && [ -x /opt/swift/usr/bin/swiftc ]; then
  export PATH="/opt/swift/usr/bin:$PATH"
fi
seconds=${1:-60}
out=.build/fuzz-protocols
mkdir -p "$out/corpus" "$out/seeds"
flags=(-sanitize=fuzzer,address -parse-as-library "${FUZZ_OPTIMIZATION:--O}" -g)
{ swiftc "${flags[@]}" -module-name Protocols -emit-module -emit-module-path "$out/Protocols.swiftmodule" \
    -emit-library -static -o "$out/libProtocols.a" Sources/Protocols/*.swift \
  && swiftc "${flags[@]}" -module-name ProtocolFuzz -I "$out" -L "$out" -lProtocols \
    Fuzz/ProtocolFuzzTarget.swift -o "$out/protocol-fuzzer"; } > "$out/build.log" 2>&1 \
  || { grep -v "Cannot export local symbol" "$out/build.log" >&2; exit 1; }
[ "$seconds" = --build-only ] && { echo "built $out/protocol-fuzzer"; exit 0; }
# Seeds: control byte (split after the client's bytes), client bytes, server bytes.
for capture in captures/*.pcap; do
  sh scripts/recording/first-payloads.sh "$capture" 96 | awk '{print $1, $6}' |
    awk '{ if ($1 == stream) { print client, $2 } else { if (stream != "") print client, ""; stream = $1; client = $2 } }
         END { if (stream != "") print client, "" }' |
    while read -r client server; do
      n=$(( ${#client} / 2 ))
      printf '%02x%s%s' $(( (n << 2) & 255 )) "$client" "$server" | xxd -r -p > "$out/seeds/$(printf '%s%s' "$client" "$server" | sha1sum | cut -c1-16)"
    done
done
echo "fuzzing the protocol recognizers for ${seconds}s (seeds: $out/seeds)"
# The fuzzer's own exit status, not the filter's: a failed check must not read "no crash".
status=0
SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=1 \
  "$out/protocol-fuzzer" "$out/corpus" "$out/seeds" -max_total_time="$seconds" -max_len=512 -timeout=5 \
  -rss_limit_mb=2048 -artifact_prefix="$out/" -print_final_stats=1 > "$out/last-run.log" 2>&1 || status=$?
grep -E '^(#[0-9]+[[:space:]]+(INITED|DONE)|stat::|==|SUMMARY|Test unit)' "$out/last-run.log" || true
[ "$status" -eq 0 ] || { echo "fuzz: the target failed (exit $status); see $out/last-run.log" >&2; exit 1; }
echo "fuzz: no crash in ${seconds}s"
