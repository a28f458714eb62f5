#!/usr/bin/env bash
# Writes captures/split-inputs/first-segments-veth-odd.pcap and -even.pcap: the packets of
# captures/first-segments-veth.pcap (two HTTP POSTs over a veth, recorded whole by
# record-first-segments-lost.sh) dealt in turn between two files, odd frames to one and
# even frames to the other, as a capture point with two inputs holds a connection whose
# packets went over either of two links (a bond sending round-robin, each link captured
# to its own file). Each file alone misses half of every connection's packets, whose
# bytes the other side acknowledges; the two together miss nothing, but read one after
# another (they overlap in time) the first holds acknowledgments of bytes in the second.
#
#   scripts/recording/record-split-inputs.sh [OUTDIR]   # default: captures/split-inputs/
#
# What the audits must say: Tests/EndToEndTests/CaptureLossCaptureTests.swift. Needs
# tshark (Wireshark 4.0 or later, for arithmetic in display filters).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="$(realpath -m "${1:-$ROOT/captures/split-inputs}")"
mkdir -p "$OUT"
tshark -r "$ROOT/captures/first-segments-veth.pcap" -F pcap -Y 'frame.number % 2 == 1' \
    -w "$OUT/first-segments-veth-odd.pcap" 2>/dev/null
tshark -r "$ROOT/captures/first-segments-veth.pcap" -F pcap -Y 'frame.number % 2 == 0' \
    -w "$OUT/first-segments-veth-even.pcap" 2>/dev/null
