#!/usr/bin/env bash
# Records captures/scan-small-*.pcap: real scanners run as an auditor or an intruder runs
# them against a DAS node, small (20 ports), slow, or from many source ports, each under
# the port-scan thresholds' 100 ports, next to a real client of the node.
#
#   sudo scripts/recording/record-scan-small.sh [OUTDIR [NAME...]]  # default: captures/, all
#
# NETNS_A and NETNS_B name the two namespaces (default dasaudit-ss-small-a and dasaudit-ss-small-b).
#
# Two hosts in network namespaces joined by a veth pair (netns-pair.sh): b (10.79.0.2) is a
# DAS node at offset 2 with HTTP on 9765 (Python's http.server), HTTPS on 9445 (openssl
# s_server) and SSH on 22 (Debian's sshd); a is the scanner (10.79.0.1) and, from a second
# address (10.79.0.3), a real client that fetches a page from 9765 with curl every second
# and opens a TLS session to 9445 every 5 s. Recorded on b's end of the pair, one capture
# per scan, each scan of the same 20 ports (PORTS below: the three open ones, 17 closed):
#
# - scan-small-syn: `nmap -sS`; scan-small-connect: `nmap -sT` (every probe from a new
#   ephemeral port); scan-small-fin, -null, -xmas, -ack, -maimon: `-sF`, `-sN`, `-sX`,
#   `-sA`, `-sM`;
# - scan-small-slow: `nmap -sS --scan-delay 1s` (about 20 s);
# - scan-small-filtered: `nmap -sS` with 8 of the closed ports dropped by b's firewall
#   (nftables): nmap retries those from other source ports;
# - scan-small-masscan: `masscan --rate 50`, whose probes come from a port of its own
#   that b's kernel answers with RSTs;
# - scan-small-sweep: `nmap -sS -p 7613` of b's 9 addresses (10.79.0.2, .4-.11), all
#   closed there: a sweep of one port under the thresholds' 10 hosts.
#
# What the audit must say: Tests/EndToEndTests/SmallScanCaptureTests.swift.
# Needs root (ip netns, tcpdump, raw packets). Traffic stays inside the two namespaces it
# creates, which are removed on exit.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="$(realpath -m "${1:-$ROOT/captures}")"
A=${NETNS_A:-dasaudit-ss-small-a} B=${NETNS_B:-dasaudit-ss-small-b} SUBNET=10.79.0
shift || true
ONLY=("$@")
PORTS=21,22,23,25,80,110,143,443,445,3306,5432,7613,7713,8080,9445,9765,9999,11002,12002,31337
DROPPED=23,25,110,143,445,3306,5432,8080
command -v nmap >/dev/null && command -v masscan >/dev/null && command -v curl >/dev/null \
    || apt-get install -y -q nmap masscan curl >/dev/null
mkdir -p "$OUT"
# shellcheck source=scripts/recording/netns-pair.sh
source "$ROOT/scripts/recording/netns-pair.sh"
ip -n "$A" addr add "$SUBNET.3/24" dev va  # the real client, after the scanner's address

mkdir -p "$WORK/site" "$WORK/empty" && echo "<html>carbon</html>" > "$WORK/site/index.html"
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$WORK/key.pem" -out "$WORK/cert.pem" \
    -days 2 -subj /CN=das-node >/dev/null 2>&1
ssh-keygen -q -t ed25519 -N '' -f "$WORK/ssh_host_key"
mkdir -p /run/sshd
ip netns exec "$B" python3 -m http.server 9765 --bind "$SUBNET.2" --directory "$WORK/site" >/dev/null 2>&1 &
pids+=($!)
ip netns exec "$B" openssl s_server -accept "$SUBNET.2:9445" -cert "$WORK/cert.pem" -key "$WORK/key.pem" \
    -www -quiet >/dev/null 2>&1 </dev/null &
pids+=($!)
ip netns exec "$B" /usr/sbin/sshd -D -f /dev/null -h "$WORK/ssh_host_key" -o "ListenAddress=$SUBNET.2" \
    -o PidFile=none -o UsePAM=no >/dev/null 2>&1 &
pids+=($!)
wait_listening "$B" 9765 9445 22
# shellcheck source=scripts/recording/scan-recording.sh
source "$ROOT/scripts/recording/scan-recording.sh"

# The real client: a fetch of 9765 every second, and a TLS session to 9445 every 5th.
fetches_made=0
fetch() {
    ip netns exec "$A" curl -s -o /dev/null --interface "$SUBNET.3" "http://$SUBNET.2:9765/" || true
    if [ $((fetches_made % 5)) -eq 0 ]; then
        ip netns exec "$A" timeout 3 openssl s_client -connect "$SUBNET.2:9445" -bind "$SUBNET.3:0" \
            </dev/null >/dev/null 2>&1 || true
    fi
    fetches_made=$((fetches_made + 1))
    sleep 1
}

# record NAME SCANNER ARGS...: one capture of one scan of PORTS (SCAN_PORTS) on b (TARGETS),
# with the real client's fetches before, during and after it. SCANNER is nmap or masscan.
record() {
    local name=$1 scanner=$2
    shift 2
    if [ "$scanner" = masscan ]; then
        # masscan finds no default route in a namespace: its interface and b's MAC are named.
        CAPTURE_FILTER=tcp record_scan "$name" masscan "$SUBNET.2" -p "$PORTS" --adapter va \
            --adapter-ip "$SUBNET.1" --router-mac "$(ip -n "$B" link show vb | awk '/ether/ {print $2}')" \
            --rate 50 --wait 2 "$@"
    else
        CAPTURE_FILTER=tcp record_scan "$name" nmap -n -Pn -p "${SCAN_PORTS:-$PORTS}" -e va -S "$SUBNET.1" \
            "$@" "${TARGETS:-$SUBNET.2}"
    fi
}

record scan-small-syn nmap -sS
record scan-small-connect nmap -sT
record scan-small-fin nmap -sF
record scan-small-null nmap -sN
record scan-small-xmas nmap -sX
record scan-small-ack nmap -sA
record scan-small-maimon nmap -sM
record scan-small-slow nmap -sS --scan-delay 1s
ip netns exec "$B" nft add table inet scanfw
ip netns exec "$B" nft add chain inet scanfw input '{ type filter hook input priority 0; }'
ip netns exec "$B" nft add rule inet scanfw input ip saddr "$SUBNET.1" tcp dport "{ $DROPPED }" drop
record scan-small-filtered nmap -sS
ip netns exec "$B" nft delete table inet scanfw
record scan-small-masscan masscan
for host in $(seq 4 11); do ip -n "$B" addr add "$SUBNET.$host/24" dev vb; done
SCAN_PORTS=7613 TARGETS="$SUBNET.2,4-11" record scan-small-sweep nmap -sS
