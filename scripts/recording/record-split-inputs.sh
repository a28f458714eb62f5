#!/usr/bin/env bash
# Writes, from the packets of captures/first-segments-veth.pcap (two HTTP POSTs over a veth,
# recorded whole by record-first-segments-lost.sh), what captures that lost some of them
# hold, by tshark display filters:
#
# captures/split-inputs/first-segments-veth-odd.pcap and -even.pcap: the packets dealt in
# turn between two files, odd frames to one and even frames to the other, as a capture
# point with two inputs holds a connection whose packets went over either of two links (a
# bond sending round-robin, each link captured to its own file). Each file alone misses
# half of every connection's packets, whose bytes the other side acknowledges; the two
# together miss nothing, but read one after another (they overlap in time) the first holds
# acknowledgments of bytes in the second.
#
# captures/two-points/first-segments-veth-tap-a.pcap and -tap-b.pcap: the packets as two
# capture points on the path of the same connections hold them when each lost different
# packets: tap a without each side's second payload segment (relative sequence number
# 1449), tap b without each side's third (2897). Each point alone misses bytes that the
# other side acknowledges; no byte is missing from both.
#
#   scripts/recording/record-split-inputs.sh [OUTDIR]   # default: captures/
#
# What the audits must say: Tests/EndToEndTests/CaptureLossCaptureTests.swift. Needs
# tshark (Wireshark 4.0 or later, for arithmetic in display filters).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="$(realpath -m "${1:-$ROOT/captures}")"
mkdir -p "$OUT/split-inputs" "$OUT/two-points"
while read -r name filter; do
    tshark -r "$ROOT/captures/first-segments-veth.pcap" -F pcap -Y "$filter" -w "$OUT/$name" 2>/dev/null
    capinfos -c "$OUT/$name" | tail -1
done <<'FILTERS'
split-inputs/first-segments-veth-odd.pcap frame.number % 2 == 1
split-inputs/first-segments-veth-even.pcap frame.number % 2 == 0
two-points/first-segments-veth-tap-a.pcap !(tcp.len > 0 && tcp.seq == 1449)
two-points/first-segments-veth-tap-b.pcap !(tcp.len > 0 && tcp.seq == 2897)
FILTERS
