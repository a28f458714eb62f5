#!/usr/bin/env bash
# Records captures/refused-again-veth.pcap: connects to closed ports whose refusal (the
# server's RST) is lost on the way back, so that each client sends its SYN again and is
# refused again; and a client that connects again from the same port once refused.
#
#   sudo scripts/recording/record-refused-again.sh [OUTDIR]   # default: captures/
#
# Two hosts in network namespaces joined by a veth pair: nothing listens on the server
# 10.39.0.1. The client 10.39.0.2 connects 4 times to 7611 (thrift.tcp.port at offset 0)
# and 2 times to 31000 (in no catalog), each from its own port; then binds port 41000
# with SO_REUSEADDR, connects to 7611, is refused, and connects from port 41000 again (a
# new connect: a new initial sequence number). The client's nftables input drops the
# first RST answering each SYN (the first with its acknowledgment number), as a lossy
# link may (tcpdump on the server's end captures it), so that every SYN is sent twice and
# refused twice: 8 connects, 8 refusals, 16 SYNs and 16 RSTs. tcpdump -s 192.
#
# What the audit must say: Tests/EndToEndTests/RefusedAgainCaptureTests.swift.
# Needs root (ip netns, nft, tcpdump). Traffic stays inside the two namespaces it creates,
# which are removed on exit.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="$(realpath -m "${1:-$ROOT/captures}")"
A=dasaudit-refagain-s B=dasaudit-refagain-c SUBNET=10.39.0
mkdir -p "$OUT"
# shellcheck source=scripts/recording/netns-pair.sh
source "$ROOT/scripts/recording/netns-pair.sh"
ip netns exec "$B" nft -f - <<'NFT'
table inet dasaudit-lossy {
    set refusals { typeof tcp ackseq; size 64; flags dynamic; }
    chain input {
        type filter hook input priority 0;
        tcp flags & (rst | ack) == rst | ack tcp ackseq != @refusals add @refusals { tcp ackseq } drop
    }
}
NFT

cat >"$WORK/client.py" <<'PY'
import socket

def connect(port, source=0):
    c = socket.socket(); c.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    c.bind(("10.39.0.2", source)); c.settimeout(10)
    try:
        c.connect(("10.39.0.1", port))
        raise SystemExit("connected to %d: something listens" % port)
    except ConnectionRefusedError:
        pass
    finally:
        c.close()

for port in (7611, 7611, 7611, 7611, 31000, 31000):
    connect(port)
connect(7611, 41000)
connect(7611, 41000)
print("8 connects refused", flush=True)
PY
start_tcpdump "$A" "$WORK/tcpdump.log" -i va -s 192 -U -w "$WORK/refused-again-veth.pcap" tcp
pids+=("$tcpdump_pid")
ip netns exec "$B" python3 "$WORK/client.py" >&2
sleep 1
kill -INT "$tcpdump_pid"
wait "$tcpdump_pid" 2>/dev/null || true
cp "$WORK/refused-again-veth.pcap" "$OUT/"
printf '%s: %s\n' refused-again-veth.pcap "$(tail -n 3 "$WORK/tcpdump.log" | tr '\n' ' ')" >&2
