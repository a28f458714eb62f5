#!/usr/bin/env bash
# Records captures/reuse-late-ack-tun.pcap: a client that reuses its 4-tuple at once, whose
# new SYN overtakes the last ACK of the connection before, which the server, its socket
# gone, answers with a RST without ACK.
#
#   sudo scripts/recording/record-reuse-late-ack.sh [OUTDIR]   # default: captures/
#
# Two hosts in network namespaces joined by a point-to-point link that reorders
# (reordering-router.py --late-last-ack: two TUN devices and a process that holds each
# side's bare ACK of the other's FIN until that side's next SYN on the 4-tuple has gone
# by): the server 10.38.0.1 answers HTTP/1.0 on 9763 (carbon.http.port at offset 0) and
# closes first; the client 10.38.0.2 binds port 40000 with SO_REUSEADDR for each of 8
# connections, sends a GET, reads the answer (its kernel ACKs the server's FIN: held) and
# closes with SO_LINGER 0 (a RST with ACK, which ends the server's socket). The server's
# nftables input drops the first copy of every SYN, as a lossy link may (tcpdump on the
# server's end captures it before the input hook), so that the SYN goes unanswered while
# the late ACK comes: the server answers that ACK with a RST without ACK (RFC 9293
# 3.10.7.1: at the ACK's acknowledgment number), which the client, in SYN-SENT, ignores;
# a second later it sends its SYN again, and the server answers it. tcpdump -s 192.
#
# What the audit must say: Tests/EndToEndTests/ReusedTupleCaptureTests.swift.
# Needs root (ip netns, TUN devices, nft, tcpdump). Traffic stays inside the two
# namespaces it creates, which are removed on exit.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="$(realpath -m "${1:-$ROOT/captures}")"
NAMESPACES=(dasaudit-lateack-s dasaudit-lateack-c)
S=${NAMESPACES[0]} C=${NAMESPACES[1]} SUBNET=10.38.0
mkdir -p "$OUT"
command -v tcpdump >/dev/null || apt-get install -y tcpdump >/dev/null
# shellcheck source=scripts/recording/namespaces.sh
source "$ROOT/scripts/recording/namespaces.sh"

TUN_PREFIX=dasaudit-la python3 -u "$ROOT/scripts/recording/reordering-router.py" "$S" "$SUBNET.1" "$C" "$SUBNET.2" \
    --late-last-ack >"$work/router.log" 2>&1 &
pids+=($!)
for _ in $(seq 50); do grep -q ready "$work/router.log" && break; sleep 0.1; done
ip netns exec "$S" nft -f - <<'NFT'
table inet dasaudit-lossy {
    set syns { typeof tcp sequence; size 64; flags dynamic; }
    chain input {
        type filter hook input priority 0;
        tcp dport 9763 tcp flags & (syn | ack) == syn tcp sequence != @syns add @syns { tcp sequence } drop
    }
}
NFT

ip netns exec "$S" python3 "$ROOT/scripts/recording/reuse_tuple.py" serve "$SUBNET.1" &
pids+=($!)
wait_listening "$S" 9763
start_tcpdump "$S" "$work/tcpdump.log" -i dasaudit-laa -s 192 -U -w "$work/reuse-late-ack-tun.pcap" tcp
pids+=("$tcpdump_pid")
# A pause before each close: the kernel's ACK of the server's FIN goes out before the RST.
ip netns exec "$C" python3 "$ROOT/scripts/recording/reuse_tuple.py" connect "$SUBNET.1" "$SUBNET.2" 0.05 >&2
sleep 1
kill -INT "$tcpdump_pid"
wait "$tcpdump_pid" 2>/dev/null || true
cp "$work/reuse-late-ack-tun.pcap" "$OUT/"
printf '%s: %s\n' reuse-late-ack-tun.pcap "$(tail -n 3 "$work/tcpdump.log" | tr '\n' ' ')" >&2
