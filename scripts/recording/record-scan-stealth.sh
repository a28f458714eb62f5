#!/usr/bin/env bash
# Records captures/scan-fin-veth.pcap, scan-maimon-slow-veth.pcap,
# scan-os-detect-veth.pcap, scan-ack-veth.pcap and scan-window-veth.pcap: nmap scans that
# send no SYN (a FIN scan, a slow Maimon scan, an ACK and a Window scan) and an OS
# detection (a SYN scan, then probes without a SYN), next to real use of a port.
#
#   sudo scripts/recording/record-scan-stealth.sh [OUTDIR [NAME...]]  # default: captures/, all (about 95 s)
#   sudo scripts/recording/record-scan-stealth.sh captures scan-ack-veth scan-window-veth  # those two only
#
# NETNS_A and NETNS_B name the two namespaces (default dasaudit-ss-stealth-a and dasaudit-ss-stealth-b).
#
# Two hosts in network namespaces joined by a veth pair (netns-pair.sh): b (10.78.0.2)
# serves HTTP on 9765 (a DAS node's HTTP port at offset 2, Python's http.server) and
# answers "backdoor" on 31337 (an unexpected port nobody uses); a is the scanner
# (10.78.0.1) and, from a second address (10.78.0.3), a real client that fetches a page
# from 9765 with curl while the scans run. Recorded on b's end of the pair, one capture
# per scan:
#
# - scan-fin-veth.pcap: `nmap -sF -g 40000 -p 1-300,9765,31337`. Each closed port answers
#   the FIN with a RST; the open ports say nothing.
# - scan-maimon-slow-veth.pcap: `nmap -sM -g 62000 --scan-delay 220ms -p 1-300`, about a
#   minute, with a fetch every 6 s. Port 62000 is above the ephemeral range and every
#   probed port below it: no port tells the server side.
# - scan-os-detect-veth.pcap: `nmap -O -p 1-1500,9765,31337`, a fetch every second: a SYN
#   scan, then OS probes (SYN, NULL, FIN/PSH/URG, ACK) of an open and a closed port.
# - scan-ack-veth.pcap: `nmap -sA -g 40000 -p 1-300,9765,31337`. Every port, open or
#   closed, answers the ACK with a RST: nmap calls them all unfiltered, none open.
# - scan-window-veth.pcap: `nmap -sW -g 40000 -p 1-300,9765,31337`: the same probes and
#   RSTs, which nmap reads by their window (Linux's are 0: closed).
#
# What the audit must say: Tests/EndToEndTests/StealthScanCaptureTests.swift.
# Needs root (ip netns, tcpdump, nmap's raw packets). Traffic stays inside the two
# namespaces it creates, which are removed on exit.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="$(realpath -m "${1:-$ROOT/captures}")"
A=${NETNS_A:-dasaudit-ss-stealth-a} B=${NETNS_B:-dasaudit-ss-stealth-b} SUBNET=10.78.0
shift || true
ONLY=("$@")
command -v nmap >/dev/null && command -v curl >/dev/null && command -v socat >/dev/null \
    || apt-get install -y -q nmap curl socat >/dev/null
mkdir -p "$OUT"
# shellcheck source=scripts/recording/netns-pair.sh
source "$ROOT/scripts/recording/netns-pair.sh"
ip -n "$A" addr add "$SUBNET.3/24" dev va  # the real client, after the scanner's address

mkdir -p "$WORK/site" && echo "<html>carbon</html>" > "$WORK/site/index.html"
ip netns exec "$B" python3 -m http.server 9765 --bind "$SUBNET.2" --directory "$WORK/site" >/dev/null 2>&1 &
pids+=($!)
ip netns exec "$B" socat "TCP-LISTEN:31337,bind=$SUBNET.2,fork,reuseaddr" SYSTEM:'echo backdoor' >/dev/null 2>&1 &
pids+=($!)
wait_listening "$B" 9765 31337
# shellcheck source=scripts/recording/scan-recording.sh
source "$ROOT/scripts/recording/scan-recording.sh"

# The real client: a fetch of 9765 every FETCH_EVERY seconds.
fetch() {
    ip netns exec "$A" curl -s -o /dev/null --interface "$SUBNET.3" "http://$SUBNET.2:9765/" || true
    sleep "$FETCH_EVERY"
}

# record NAME SECONDS_BETWEEN_FETCHES NMAP_OPTIONS...: one capture of one scan, with a
# fetch from the real client every SECONDS before, during and after it.
record() {
    local name=$1
    FETCH_EVERY=$2
    shift 2
    CAPTURE_FILTER=tcp record_scan "$name" nmap -n -Pn "$@" "$SUBNET.2"
}

record scan-fin-veth 1 -sF -g 40000 -p 1-300,9765,31337
record scan-maimon-slow-veth 6 -sM -g 62000 --scan-delay 220ms -p 1-300
record scan-os-detect-veth 1 -O -p 1-1500,9765,31337
record scan-ack-veth 1 -sA -g 40000 -p 1-300,9765,31337
record scan-window-veth 1 -sW -g 40000 -p 1-300,9765,31337
