#!/usr/bin/env bash
# Writes the captures whose packet times were edited, from real bundled captures, to test
# what hostile or broken clocks do to an audit: the packets are those recorded, only their
# times are rewritten (scripts/recording/retime.py, or editcap).
#
# - scan-292y.pcapng: scan-small-syn.pcap (nmap -sS of 20 ports, see
#   record-scan-small.sh) written as pcapng whose interface has if_tsoffset -9e9 s, with
#   frames 1-60 (10 of the probes) moved to 1684 and frames 61 on (the other 10) to 2255:
#   a scan more than 2^63 ns (292 years) long, each time inside the range of 64-bit
#   nanoseconds. tshark reads it.
# - clock-back-7200.pcap: scan-small-syn.pcap with frames 56 on moved 2 h back, as a clock
#   stepped back while tcpdump ran (NTP or chrony stepping it): a few seconds of packets
#   whose first-to-last window is 7200 s.
#
# What the audit must say: Tests/EndToEndTests/HostileTimeCaptureTests.swift and
# ClockStepCaptureTests.swift.
# Needs python3 and editcap (tshark's tools).
# Usage: scripts/recording/record-time-edits.sh [CAPTURES_DIR]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-$here/../../captures}"
retime="$here/retime.py"

PCAPNG=1 TSOFFSET=-9000000000 python3 "$retime" "$out/scan-small-syn.pcap" "$out/scan-292y.pcapng" \
  split-set 61 -8999999000 8999999000

python3 "$retime" "$out/scan-small-syn.pcap" "$out/clock-back-7200.pcap" shift-at 56 -7200
