#!/usr/bin/env bash
# recognizer-cost.sh [CAPTURE...]: nanoseconds per connection of dasaudit's protocol
# recognition (Sources/Protocols, compiled with -O as one module, as a release build is:
# without -wmo each comparison of two `Match` values went through a generic call) on the
# first payload bytes of every connection of the captures (default: every
# captures/*.pcap). Needs swiftc and tshark (scripts/recording/first-payloads.sh). nDPI's
# cost on the same captures: ndpi-flows.c.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(($#)) || set -- "$root"/captures/*.pcap
cp "$root/scripts/bench/recognizer-cost.swift" "$work/main.swift"   # top-level code: main.swift
swiftc -O -wmo -suppress-warnings -module-name Protocols "$root"/Sources/Protocols/*.swift "$work/main.swift" -o "$work/recognizer-cost"
for capture in "$@"; do
    # One line per connection: the first payload bytes of the side that spoke first (the
    # client in every capture here but SSH's, where both send at once), then of the other.
    sh "$root/scripts/recording/first-payloads.sh" "$capture" 96 | awk '
        { key = $1; if (!(key in first)) { first[key] = $2; order[++n] = key }
          if ($2 == first[key]) client[key] = $6; else server[key] = $6 }
        END { for (i = 1; i <= n; i++) { k = order[i]
              printf "%s %s\n", (k in client) ? client[k] : "-", (k in server) ? server[k] : "-" } }'
done > "$work/samples.txt"
"$work/recognizer-cost" < "$work/samples.txt"
