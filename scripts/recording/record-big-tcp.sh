#!/usr/bin/env bash
# Records captures/big-tcp-v6-s192.pcap: IPv6 segments larger than 64 KiB (Linux's BIG
# TCP), captured on the sending host before the interface cut them up, at the snapshot
# length the README recommends. Such a packet's IPv6 payload length is 0, so only the
# record's wire length says how much it carried.
#
# Two network namespaces, dasaudit-bigtcp-s (server fd00:31:6::1) and dasaudit-bigtcp-c
# (client fd00:31:6::2), joined by a veth pair (dasaudit-bts, dasaudit-btc) with TSO, GSO
# and GRO on and `gso_max_size`/`gro_max_size` 185000 (BIG TCP for IPv6; the iproute2 here
# has no gso_ipv4_max_size, so IPv4 is not recorded). A Python client sends 300,000 bytes to
# [fd00:31:6::1]:9763 (carbon.http.port at offset 0); the server reads them and answers with
# 500,000 bytes, then both close. tcpdump -s 192 on the server's end.
#
# What the audit must say: Tests/EndToEndTests/BigTCPCaptureTests.swift.
# Needs root (namespaces, tcpdump) and Linux 5.19 or later. Traffic stays in the namespaces.
# Usage: sudo scripts/recording/record-big-tcp.sh [CAPTURES_DIR]
set -euo pipefail
out="$(realpath -m "${1:-$(cd "$(dirname "$0")/../.." && pwd)/captures}")"
command -v tcpdump >/dev/null && command -v ethtool >/dev/null || apt-get install -y -qq tcpdump ethtool
S=dasaudit-bigtcp-s C=dasaudit-bigtcp-c
NAMESPACES=("$S" "$C")
# shellcheck source=scripts/recording/namespaces.sh
source "$(dirname "$0")/namespaces.sh"
ip link add dasaudit-bts netns "$S" type veth peer name dasaudit-btc netns "$C"
ip -n "$S" addr add fd00:31:6::1/64 dev dasaudit-bts nodad
ip -n "$C" addr add fd00:31:6::2/64 dev dasaudit-btc nodad
for end in "$S dasaudit-bts" "$C dasaudit-btc"; do
  set -- $end
  ip netns exec "$1" ethtool -K "$2" tso on gso on gro on >/dev/null
  ip -n "$1" link set dev "$2" gso_max_size 185000 gro_max_size 185000
  ip -n "$1" link set "$2" up
done

cat >"$work/bulk.py" <<'PY'
import socket, sys
if sys.argv[1] == "server":
    s = socket.socket(socket.AF_INET6); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("fd00:31:6::1", 9763)); s.listen(1); print("ready", flush=True)
    c, _ = s.accept(); got = 0
    while got < 300_000:
        d = c.recv(1 << 20)
        if not d: break
        got += len(d)
    c.sendall(b"s" * 500_000); c.shutdown(socket.SHUT_WR)
    while c.recv(65536): pass
    c.close(); print("server got", got, flush=True)
else:
    c = socket.create_connection(("fd00:31:6::1", 9763)); c.sendall(b"c" * 300_000)
    got = 0
    while (d := c.recv(1 << 20)): got += len(d)
    c.close(); print("client got", got, flush=True)
PY

ip netns exec "$S" tcpdump -i dasaudit-bts --immediate-mode -s 192 -U -w "$work/big-tcp-v6-s192.pcap" 'tcp or ip6' 2>"$work/tcpdump.log" &
pids+=($!)
for _ in $(seq 50); do grep -q listening "$work/tcpdump.log" 2>/dev/null && break; sleep 0.1; done
ip netns exec "$S" python3 "$work/bulk.py" server >"$work/server.log" 2>&1 &
pids+=($!)
for _ in $(seq 50); do grep -q ready "$work/server.log" 2>/dev/null && break; sleep 0.1; done
ip netns exec "$C" python3 "$work/bulk.py" client >&2
sleep 1
cat "$work/server.log" >&2
kill -INT "${pids[0]}"
wait "${pids[0]}" 2>/dev/null || true
mkdir -p "$out"
cp "$work/big-tcp-v6-s192.pcap" "$out/"
printf '%s: %s\n' big-tcp-v6-s192.pcap "$(tail -n 3 "$work/tcpdump.log" | tr '\n' ' ')" >&2
