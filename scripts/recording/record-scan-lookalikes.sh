#!/usr/bin/env bash
# Records captures/scan-ack-g7613-veth.pcap, scan-maimon-g9445-veth.pcap,
# scan-ping-send-ip-veth.pcap, scan-rst-flood-veth.pcap, scan-badsum-small-veth.pcap,
# keepalive-dead-clients-veth.pcap and keepalive-8-dead-clients-veth.pcap: scans whose
# packets look, one by one, like something else, and the real thing one of them looks like.
#
#   sudo scripts/recording/record-scan-lookalikes.sh [OUTDIR [NAME...]]  # default: captures/, all (about 60 s)
#
# NETNS_A and NETNS_B name the two namespaces (default dasaudit-sl-a and dasaudit-sl-b).
#
# Two hosts in network namespaces joined by a veth pair (netns-pair.sh): b (10.82.0.2) is a
# DAS node at offset 2 with HTTP on 9765 (Python's http.server), HTTPS on 9445 (openssl
# s_server) and a line server on the thrift port 7613 (Python, with TCP keep-alive every
# second after 2 s idle); a is the scanner (10.82.0.1) and, from a second address
# (10.82.0.3), a real client that fetches a page from 9765 with curl every second.
# Recorded on b's end of the pair, one capture per scan:
#
# - scan-ack-g7613-veth.pcap: `nmap -sA -g 7613 -p 1-40,9445,9765`: ACK probes from the
#   thrift port. Every port, open or closed, answers with a RST (nmap: unfiltered).
# - scan-maimon-g9445-veth.pcap: `nmap -sM -g 9445 -p 1-40`: FIN-ACK probes from the
#   management console's port, each answered by a RST.
# - scan-ping-send-ip-veth.pcap: `nmap -sn --send-ip`: nmap's host discovery as it runs
#   against a host off its link: an ICMP echo, a SYN to 443, an ACK to 80 and an ICMP
#   timestamp request; b answers the SYN and the ACK with a RST (nothing listens on either).
# - scan-rst-flood-veth.pcap: `hping3 -R --rand-source -s 7600 -p 7613 -c 2000`: 2,000
#   RSTs without ACK from random addresses, source ports 7600 up (some of them catalog
#   ports), to the thrift port. Nothing answers a RST.
# - scan-badsum-small-veth.pcap: `nmap -sS --badsum -p 1-30,9765`: a small SYN scan with
#   wrong TCP checksums, which b drops: nmap sends each probe again from a second source
#   port, and reports all 31 ports filtered.
# - keepalive-dead-clients-veth.pcap: no scan. Three clients from a (10.82.0.3) connect to
#   the line server on 7613 and exchange a line; each is then closed with SO_LINGER 0 while
#   an nft rule in a (table dasaudit-sl) drops its RST, so that its socket is gone and b's
#   still open. Recorded from then on: b's keep-alive probes (bare ACKs), each answered by
#   a's kernel with a RST, as a server's keep-alives to clients that went away are.
# - keepalive-8-dead-clients-veth.pcap: the same with eight clients, as many ports of one
#   host as a scan sent from a service's port needs at least. Each keep-alive carries its
#   own connection's sequence and acknowledgment numbers, where nmap's ACK, Window and
#   Maimon probes all carry one (and sequence number 0).
#
# What the audit must say: Tests/EndToEndTests/ScanLookalikeCaptureTests.swift.
# Needs root (ip netns, tcpdump, nft, nmap's and hping3's raw packets). Traffic stays inside
# the two namespaces it creates, which are removed on exit.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="$(realpath -m "${1:-$ROOT/captures}")"
A=${NETNS_A:-dasaudit-sl-a} B=${NETNS_B:-dasaudit-sl-b} SUBNET=10.82.0
shift || true
ONLY=("$@")
command -v nmap >/dev/null && command -v curl >/dev/null && command -v hping3 >/dev/null && command -v nft >/dev/null \
    || apt-get install -y -q nmap curl hping3 nftables >/dev/null
mkdir -p "$OUT"
# shellcheck source=scripts/recording/netns-pair.sh
source "$ROOT/scripts/recording/netns-pair.sh"
ip -n "$A" addr add "$SUBNET.3/24" dev va  # the real client, after the scanner's address

mkdir -p "$WORK/site" && echo "<html>carbon</html>" > "$WORK/site/index.html"
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$WORK/key.pem" -out "$WORK/cert.pem" \
    -days 2 -subj /CN=das-node >/dev/null 2>&1
ip netns exec "$B" python3 -m http.server 9765 --bind "$SUBNET.2" --directory "$WORK/site" >/dev/null 2>&1 &
pids+=($!)
ip netns exec "$B" openssl s_server -accept "$SUBNET.2:9445" -cert "$WORK/cert.pem" -key "$WORK/key.pem" \
    -www -quiet >/dev/null 2>&1 </dev/null &
pids+=($!)
# A line server with TCP keep-alive (keepalive_server.py).
ip netns exec "$B" python3 "$ROOT/scripts/recording/keepalive_server.py" "$SUBNET.2" 7613 >/dev/null 2>&1 &
pids+=($!)
wait_listening "$B" 9765 9445 7613

# shellcheck source=scripts/recording/scan-recording.sh
source "$ROOT/scripts/recording/scan-recording.sh"

# The real client: a fetch of 9765 every second.
fetch() {
    ip netns exec "$A" curl -s -o /dev/null --interface "$SUBNET.3" "http://$SUBNET.2:9765/" || true
    sleep 1
}

record_scan scan-ack-g7613-veth nmap -n -Pn -sA -g 7613 -p 1-40,9445,9765 -e va -S "$SUBNET.1" "$SUBNET.2"
record_scan scan-maimon-g9445-veth nmap -n -Pn -sM -g 9445 -p 1-40 -e va -S "$SUBNET.1" "$SUBNET.2"
record_scan scan-ping-send-ip-veth nmap -n -sn --send-ip -e va -S "$SUBNET.1" "$SUBNET.2"
record_scan scan-rst-flood-veth hping3 -q -R --rand-source -s 7600 -p 7613 -c 2000 -i u500 "$SUBNET.2"
record_scan scan-badsum-small-veth nmap -n -Pn -sS --badsum -p 1-30,9765 -e va -S "$SUBNET.1" "$SUBNET.2"

# keepalives COUNT NAME: COUNT clients of b's line server whose sockets go away unseen, and
# b's keep-alives to them from then on.
keepalives() {
    local count=$1 name=$2
    wanted "$name" || return 0
    # The clients (dying_clients.py): each sends a line, reads it back, and waits to be told to go.
    coproc CLIENTS { ip netns exec "$A" python3 "$ROOT/scripts/recording/dying_clients.py" "$SUBNET.2" "$SUBNET.3" "$count"; }
    read -r _ <&"${CLIENTS[0]}"
    ip netns exec "$A" nft add table inet dasaudit-sl
    ip netns exec "$A" nft add chain inet dasaudit-sl out '{ type filter hook output priority 0; }'
    ip netns exec "$A" nft add rule inet dasaudit-sl out tcp dport 7613 tcp flags rst drop
    echo go >&"${CLIENTS[1]}"
    read -r _ <&"${CLIENTS[0]}"
    ip netns exec "$A" nft delete table inet dasaudit-sl
    # From here on, only b's keep-alives (2 s idle) and a's RSTs answering them.
    start_tcpdump "$B" "$WORK/tcpdump.log" -i vb -s 0 -U -w "$WORK/$name.pcap" 'ip or ip6'
    sleep 5
    kill -INT "$tcpdump_pid"; wait "$tcpdump_pid" 2>/dev/null || true
    cp "$WORK/$name.pcap" "$OUT/"
    echo "== $name"
}
keepalives 3 keepalive-dead-clients-veth
keepalives 8 keepalive-8-dead-clients-veth
