"""Clients of keepalive_server.py whose sockets go away unseen, for the recordings of a
server's keep-alives to dead clients (record-scan-lookalikes.sh,
record-ack-probes-by-port-range.sh). Each connects to SERVER:7613 from SOURCE, sends a
line and reads it back; "connected" is printed. On a line on standard input each is closed
with SO_LINGER 0 (a RST, which the recording's nft rule drops, so the server's socket stays
open) and "gone" is printed.

    python3 dying_clients.py SERVER SOURCE COUNT [FIRST_PORT]

FIRST_PORT: the clients bind FIRST_PORT, FIRST_PORT+1, ... (else the kernel picks, in its
ephemeral range).
"""
import socket
import struct
import sys

server, source, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
first_port = int(sys.argv[4]) if len(sys.argv) > 4 else None
clients = []
for index in range(count):
    port = first_port + index if first_port is not None else 0
    client = socket.create_connection((server, 7613), source_address=(source, port))
    client.sendall(b"hello\n")
    client.recv(64)
    clients.append(client)
print("connected", flush=True)
sys.stdin.readline()
for client in clients:
    client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    client.close()
print("gone", flush=True)
