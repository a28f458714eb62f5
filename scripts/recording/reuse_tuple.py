"""The server and the client of the 4-tuple reuse recordings (record-reuse-challenge-ack.sh,
record-reuse-late-ack.sh): one client port used again at once for every connection.

    python3 reuse_tuple.py serve ADDRESS            an HTTP/1.0 server on ADDRESS:9763
    python3 reuse_tuple.py connect SERVER CLIENT [PAUSE]

`connect` makes 8 connections from CLIENT:40000 (SO_REUSEADDR) to SERVER:9763, each a GET
read to its end and closed with SO_LINGER 0 (a RST, not a FIN, so the 4-tuple is free at
once), waiting PAUSE seconds (default 0) before each close.
"""
import socket
import struct
import sys
import time


def serve(address):
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((address, 9763))
    listener.listen()
    while True:
        connection, _ = listener.accept()
        connection.recv(4096)
        connection.sendall(b"HTTP/1.0 200 OK\r\nContent-Length: 3\r\n\r\nok\n")
        connection.close()


def connect(server, client, pause):
    for _ in range(8):
        c = socket.socket()
        c.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        c.bind((client, 40000))
        c.settimeout(10)
        c.connect((server, 9763))
        c.sendall(b"GET / HTTP/1.0\r\n\r\n")
        while c.recv(4096):
            pass
        time.sleep(pause)
        c.close()
    print("8 connections", flush=True)


if __name__ == "__main__":
    if sys.argv[1] == "serve":
        serve(sys.argv[2])
    else:
        connect(sys.argv[2], sys.argv[3], float(sys.argv[4]) if len(sys.argv) > 4 else 0)
