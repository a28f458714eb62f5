"""A line server with TCP keep-alive, for the recordings of a server's keep-alives to
clients that went away (record-scan-lookalikes.sh, record-ack-probes-by-port-range.sh):
answers each line with the line and keeps every connection, each probed after 2 s idle,
then every second.

    python3 keepalive_server.py ADDRESS PORT

ADDRESS may be IPv6 (record-probes-by-make.sh).
"""
import socket
import sys
import threading

family = socket.AF_INET6 if ":" in sys.argv[1] else socket.AF_INET
listener = socket.create_server((sys.argv[1], int(sys.argv[2])), family=family)


def serve(connection):
    connection.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
    connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, 2)
    connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPINTVL, 1)
    connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPCNT, 5)
    while data := connection.recv(4096):
        connection.sendall(data)


while True:
    threading.Thread(target=serve, args=(listener.accept()[0],), daemon=True).start()
