#!/usr/bin/env bash
# Records captures/retransmitted-first-veth-s96.pcap: a capture started while a connection
# was retransmitting, so that the first segment it holds of the sender is a retransmission
# of bytes sent before it began, and beside it a connection picked up mid-stream without
# one (the control). Two hosts in network namespaces joined by a veth pair (segmentation
# offloads off): host b serves on 9763 (carbon.http.port at offset 0) a Python reader that
# keeps nothing; host a opens two connections to it from fixed ports. From port 40001 it
# sends 20,000 bytes while nftables on b drops b's packets to that port (the path back is a
# blackhole): b receives every byte, a never hears so and resends its first unacknowledged
# segment at each retransmission timeout. tcpdump starts on b's veth during the blackhole,
# which is lifted a second later: a's next retransmission reaches b, which acknowledges all
# 20,000 bytes (with a D-SACK of the duplicate), and a sends 20,000 more and closes. From
# port 40002 a sends 1,000 bytes every 50 ms throughout, its path untouched: the capture
# starts in the middle of it. The audit should count no missed bytes: the capture lost
# nothing (tcpdump: 0 dropped).
#
# Its copy captures/retransmitted-first-lost-veth-s96.pcap (editcap) lacks two segments
# that were acknowledged after each connection's first acknowledgment: the control's 40th
# payload segment (1,000 bytes) and port 40001's last one: what a capture that lost them
# holds, which the audit should count.
#
#   sudo scripts/recording/record-retransmitted-first.sh [OUTDIR]   # default: captures/
#
# NS_PREFIX (default dasaudit) names the namespaces and the nftables table. Needs root
# (ip netns, nft, tcpdump); traffic stays in the two namespaces it creates, removed on exit.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="$(realpath -m "${1:-$ROOT/captures}")"
PREFIX=${NS_PREFIX:-dasaudit}
A=$PREFIX-rtx-a B=$PREFIX-rtx-b SUBNET=10.77.37
mkdir -p "$OUT"
command -v nft >/dev/null || apt-get install -y nftables >/dev/null
# shellcheck source=scripts/recording/netns-pair.sh
source "$ROOT/scripts/recording/netns-pair.sh"

cat >"$WORK/server.py" <<'PY'
import socket, sys, threading
listener = socket.create_server((sys.argv[1], int(sys.argv[2])))
print("READY", flush=True)
def drain(connection):
    while connection.recv(65536):
        pass
    connection.close()
while True:
    threading.Thread(target=drain, args=(listener.accept()[0],), daemon=True).start()
PY
cat >"$WORK/client.py" <<'PY'
import os, socket, sys, threading, time
server, work = (sys.argv[1], 9763), sys.argv[2]
def wait_for(name):
    while not os.path.exists(os.path.join(work, name)):
        time.sleep(0.01)
def steady():  # the control: 1,000 bytes every 50 ms until told to stop
    connection = socket.create_connection(server, source_address=("", 40002))
    while not os.path.exists(os.path.join(work, "stop")):
        connection.sendall(b"c" * 1000)
        time.sleep(0.05)
    connection.close()
threading.Thread(target=steady).start()
connection = socket.create_connection(server, source_address=("", 40001))
open(os.path.join(work, "connected"), "w").close()
wait_for("blackhole")
connection.sendall(b"r" * 20000)
wait_for("restored")
time.sleep(3)  # the retransmission after the path came back, answered
connection.sendall(b"s" * 20000)
time.sleep(0.5)
connection.close()
open(os.path.join(work, "stop"), "w").close()
PY

ip netns exec "$B" python3 "$WORK/server.py" "$SUBNET.2" 9763 >"$WORK/server.log" &
pids+=($!)
until grep -q READY "$WORK/server.log" 2>/dev/null; do sleep 0.1; done
ip netns exec "$A" python3 "$WORK/client.py" "$SUBNET.2" "$WORK" &
client=$!
until [ -e "$WORK/connected" ]; do sleep 0.05; done
sleep 1
ip netns exec "$B" nft -f - <<NFT
table inet $PREFIX-rtx {
  chain output { type filter hook output priority 0; tcp sport 9763 tcp dport 40001 drop; }
}
NFT
touch "$WORK/blackhole"
sleep 0.8   # a's retransmission timer has fired, resending what b already holds
start_tcpdump "$B" "$WORK/tcpdump.log" -i vb -s 96 -U -w "$WORK/capture.pcap" tcp
sleep 1
ip netns exec "$B" nft delete table inet "$PREFIX-rtx"
touch "$WORK/restored"
wait "$client"
sleep 0.5
kill "$tcpdump_pid"; wait "$tcpdump_pid" 2>/dev/null || true
cat "$WORK/tcpdump.log" >&2
cp "$WORK/capture.pcap" "$OUT/retransmitted-first-veth-s96.pcap"
lost=("$(tshark -r "$WORK/capture.pcap" -Y 'tcp.srcport == 40002 && tcp.len > 0' -T fields -e frame.number | sed -n 40p)"
      "$(tshark -r "$WORK/capture.pcap" -Y 'tcp.srcport == 40001 && tcp.len > 0' -T fields -e frame.number | tail -1)")
editcap -F pcap "$WORK/capture.pcap" "$OUT/retransmitted-first-lost-veth-s96.pcap" "${lost[@]}"
echo "took out frames ${lost[*]}"
for f in retransmitted-first-veth-s96.pcap retransmitted-first-lost-veth-s96.pcap; do
    capinfos -c -s "$OUT/$f" | tail -2
done
