#!/usr/bin/env bash
# Records captures/scan-fin-g9445-veth.pcap, scan-xmas-g7613-v6-veth.pcap,
# scan-protocol-veth.pcap, scan-protocol-v6-veth.pcap, scan-badsum-veth.pcap and scan-data-length-veth.pcap: nmap's
# evasions, next to a real client of a DAS node: scans whose probes carry no ACK flag, sent
# from a catalog port of the node (`-g` / `--source-port`, which firewalls that trust a
# service's port let through), nmap's IP protocol scan, a SYN scan with bad checksums,
# which the node drops, and a SYN scan whose probes carry payload.
#
#   sudo scripts/recording/record-scan-evasion.sh [OUTDIR [NAME...]]  # default: captures/, all (about 40 s)
#
# NETNS_A and NETNS_B name the two namespaces (default dasaudit-sp-a and dasaudit-sp-b).
#
# Two hosts in network namespaces joined by a veth pair (netns-pair.sh): b (10.81.0.2,
# fd81::2) is a DAS node at offset 2 with HTTP on 9765 (Python's http.server, both address
# families) and HTTPS on 9445 (openssl s_server); a is the scanner (10.81.0.1, fd81::1) and,
# from a second address (10.81.0.3, fd81::3), a real client that fetches a page from 9765
# with curl every second. Recorded on b's end of the pair, one capture per scan:
#
# - scan-fin-g9445-veth.pcap: `nmap -sF -g 9445 -p 1-40,9445,9765`: FIN probes from the
#   management console's port (carbon.https.port at offset 2). Each closed port answers
#   with a RST; 9445 and 9765, open, say nothing.
# - scan-xmas-g7613-v6-veth.pcap: `nmap -6 -sX -g 7613 -p 33000-33040,9765` over IPv6:
#   Xmas probes from the thrift port to ports in the ephemeral range, so that both of the
#   port rules take the scanner for the server.
# - scan-protocol-veth.pcap: `nmap -sO -p 1,4,6,17,41,47`: one probe per IP protocol
#   number; the IP-in-IP (4) and IPv6-in-IPv4 (41) probes are a bare IPv4 header of total
#   length 20, nothing inside, and the TCP one (6) is an ACK to port 80.
# - scan-protocol-v6-veth.pcap: `nmap -6 -sO -p 4,6,17,41,47` over IPv6: the IP-in-IP,
#   IPv6-in-IPv6 and GRE probes are a bare IPv6 header of payload length 0, which is
#   also how a jumbogram or a segmentation offload's capture says "the rest of the frame".
# - scan-badsum-veth.pcap: `nmap -sS --badsum -p 1-120,9765`: every probe has a wrong TCP
#   checksum, so b's kernel drops it and answers none, 9765 included (nmap: 121 filtered).
# - scan-data-length-veth.pcap: `nmap -sS --data-length 40 -p 1-120,9445,9765`: each SYN
#   carries 40 random bytes; 9445 and 9765 answer with a SYN-ACK (acknowledging the SYN
#   only), which nmap resets (nmap: 2 open, 120 closed).
#
# What the audit must say: Tests/EndToEndTests/ScanEvasionCaptureTests.swift.
# Needs root (ip netns, tcpdump, nmap's raw packets). Traffic stays inside the two
# namespaces it creates, which are removed on exit.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="$(realpath -m "${1:-$ROOT/captures}")"
A=${NETNS_A:-dasaudit-sp-a} B=${NETNS_B:-dasaudit-sp-b} SUBNET=10.81.0 SUBNET6=fd81:
shift || true
ONLY=("$@")
command -v nmap >/dev/null && command -v curl >/dev/null || apt-get install -y -q nmap curl >/dev/null
mkdir -p "$OUT"
# shellcheck source=scripts/recording/netns-pair.sh
source "$ROOT/scripts/recording/netns-pair.sh"
ip -n "$A" addr add "$SUBNET.3/24" dev va  # the real client, after the scanner's address
ip -n "$A" addr add "$SUBNET6:1/64" dev va nodad
ip -n "$A" addr add "$SUBNET6:3/64" dev va nodad
ip -n "$B" addr add "$SUBNET6:2/64" dev vb nodad

mkdir -p "$WORK/site" && echo "<html>carbon</html>" > "$WORK/site/index.html"
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$WORK/key.pem" -out "$WORK/cert.pem" \
    -days 2 -subj /CN=das-node >/dev/null 2>&1
ip netns exec "$B" python3 -m http.server 9765 --bind :: --directory "$WORK/site" >/dev/null 2>&1 &
pids+=($!)
ip netns exec "$B" openssl s_server -accept "$SUBNET.2:9445" -cert "$WORK/cert.pem" -key "$WORK/key.pem" \
    -www -quiet >/dev/null 2>&1 </dev/null &
pids+=($!)
wait_listening "$B" 9765 9445

# shellcheck source=scripts/recording/scan-recording.sh
source "$ROOT/scripts/recording/scan-recording.sh"

# The real client: a fetch of FETCH_URL from FETCH_INTERFACE every second.
fetch() {
    ip netns exec "$A" curl -s -o /dev/null --interface "$FETCH_INTERFACE" "$FETCH_URL" || true
    sleep 1
}

# record NAME CLIENT_URL CLIENT_ADDRESS NMAP_ARGS...: one capture of one nmap scan, with the
# real client's fetches of CLIENT_URL from CLIENT_ADDRESS before, during and after it.
record() {
    local name=$1
    FETCH_URL=$2 FETCH_INTERFACE=$3
    shift 3
    record_scan "$name" nmap -n -Pn "$@"
}

record scan-fin-g9445-veth "http://$SUBNET.2:9765/" "$SUBNET.3" \
    -sF -g 9445 -p 1-40,9445,9765 -e va -S "$SUBNET.1" "$SUBNET.2"
record scan-xmas-g7613-v6-veth "http://[$SUBNET6:2]:9765/" "$SUBNET6:3" \
    -6 -sX -g 7613 -p 33000-33040,9765 -e va -S "$SUBNET6:1" "$SUBNET6:2"
record scan-protocol-veth "http://$SUBNET.2:9765/" "$SUBNET.3" \
    -sO -p 1,4,6,17,41,47 -e va -S "$SUBNET.1" "$SUBNET.2"
record scan-protocol-v6-veth "http://[$SUBNET6:2]:9765/" "$SUBNET6:3" \
    -6 -sO -p 4,6,17,41,47 -e va -S "$SUBNET6:1" "$SUBNET6:2"
record scan-badsum-veth "http://$SUBNET.2:9765/" "$SUBNET.3" \
    -sS --badsum -p 1-120,9765 -e va -S "$SUBNET.1" "$SUBNET.2"
record scan-data-length-veth "http://$SUBNET.2:9765/" "$SUBNET.3" \
    -sS --data-length 40 -p 1-120,9445,9765 -e va -S "$SUBNET.1" "$SUBNET.2"
