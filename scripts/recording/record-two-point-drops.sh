#!/usr/bin/env bash
# Writes captures/two-points/first-segments-veth-tap-a.pcap and -tap-b.pcap: the packets of
# captures/first-segments-veth.pcap (two HTTP POSTs over a veth, recorded whole by
# record-first-segments-lost.sh) as two capture points on the path of the same connections
# hold them when each lost different packets: tap a without each side's second payload
# segment (tshark: relative sequence number 1449), tap b without each side's third (2897).
# Each point alone misses bytes that the other side acknowledges; no byte is missing from
# both. A merge of the two audits counted each point's loss and summed them, so each
# connection's bytes missed twice over.
#
#   scripts/recording/record-two-point-drops.sh [OUTDIR]   # default: captures/two-points/
#
# What the audits must say: Tests/EndToEndTests/CaptureLossCaptureTests.swift. Needs tshark.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="$(realpath -m "${1:-$ROOT/captures/two-points}")"
mkdir -p "$OUT"
tshark -r "$ROOT/captures/first-segments-veth.pcap" -F pcap -Y '!(tcp.len > 0 && tcp.seq == 1449)' \
    -w "$OUT/first-segments-veth-tap-a.pcap" 2>/dev/null
tshark -r "$ROOT/captures/first-segments-veth.pcap" -F pcap -Y '!(tcp.len > 0 && tcp.seq == 2897)' \
    -w "$OUT/first-segments-veth-tap-b.pcap" 2>/dev/null
for f in first-segments-veth-tap-a.pcap first-segments-veth-tap-b.pcap; do
    capinfos -c "$OUT/$f" | tail -1
done
