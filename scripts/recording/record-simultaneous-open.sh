#!/usr/bin/env bash
# Records captures/simultaneous-open-veth.pcap: a TCP simultaneous open (RFC 9293 3.5),
# two sockets that connect() to each other at once, neither listening.
#
# Two network namespaces, dasaudit-simo-a (10.31.7.1) and dasaudit-simo-b (10.31.7.2),
# joined by a veth pair (va, vb: scripts/recording/netns-pair.sh). Socket a binds 10.31.7.1:9763
# (carbon.http.port at offset 0, so the policy has a word to say) and connects to
# 10.31.7.2:45001; socket b binds 10.31.7.2:45001 and connects to 10.31.7.1:9763, 10 ms
# later. An nftables table dasaudit-simopen in each namespace drops incoming SYNs without
# ACK to those ports for the first 0.8 s, so both first SYNs are lost; the retransmitted
# SYNs (1 s later) cross, each socket answers the other's SYN with a SYN-ACK from SYN-SENT,
# and each sends a line. tcpdump on b's end: a's SYN first, then b's, then both SYN-ACKs.
#
# What the audit must say: Tests/EndToEndTests/SimultaneousOpenCaptureTests.swift.
# Needs root (namespaces, nft, tcpdump). Traffic stays in the namespaces.
# Usage: sudo scripts/recording/record-simultaneous-open.sh [CAPTURES_DIR]
set -euo pipefail
out="$(realpath -m "${1:-$(cd "$(dirname "$0")/../.." && pwd)/captures}")"
command -v tcpdump >/dev/null && command -v nft >/dev/null || apt-get install -y -qq tcpdump nftables
A=dasaudit-simo-a B=dasaudit-simo-b SUBNET=10.31.7
# shellcheck source=scripts/recording/netns-pair.sh
source "$(dirname "$0")/netns-pair.sh"
for ns in "$A" "$B"; do
  ip netns exec "$ns" nft -f - <<'NFT'
table inet dasaudit-simopen {
  chain in {
    type filter hook input priority 0;
    tcp flags & (syn|ack) == syn tcp dport { 9763, 45001 } drop
  }
}
NFT
done

cat >"$work/simopen.py" <<'PY'
import socket, sys, time
me, peer, my_port, peer_port, at = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
c = socket.socket(); c.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); c.bind((me, my_port))
while time.time() < at: time.sleep(0.001)
c.connect((peer, peer_port)); c.sendall(b"hello from %d\n" % my_port); print(c.recv(100), flush=True)
time.sleep(0.2); c.close()
PY

ip netns exec "$B" tcpdump -i vb --immediate-mode -s 192 -U -w "$work/simultaneous-open-veth.pcap" tcp 2>"$work/tcpdump.log" &
pids+=($!)
for _ in $(seq 50); do grep -q listening "$work/tcpdump.log" 2>/dev/null && break; sleep 0.1; done
at=$(python3 -c 'import time; print(time.time() + 0.5)')
ip netns exec "$A" python3 "$work/simopen.py" 10.31.7.1 10.31.7.2 9763 45001 "$at" >&2 &
pids+=($!)
ip netns exec "$B" python3 "$work/simopen.py" 10.31.7.2 10.31.7.1 45001 9763 "$(python3 -c "print($at + 0.01)")" >&2 &
pids+=($!)
sleep 1.3
for ns in "$A" "$B"; do ip netns exec "$ns" nft delete table inet dasaudit-simopen; done
wait "${pids[1]}" "${pids[2]}"
sleep 0.5
kill -INT "${pids[0]}"
wait "${pids[0]}" 2>/dev/null || true
mkdir -p "$out"
cp "$work/simultaneous-open-veth.pcap" "$out/"
printf '%s: %s\n' simultaneous-open-veth.pcap "$(tail -n 3 "$work/tcpdump.log" | tr '\n' ' ')" >&2
