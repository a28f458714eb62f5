#!/usr/bin/env python3
"""A minimal PostgreSQL client (protocol 3.0, trust authentication, simple queries) that
binds its own source address, so that a "DAS node" on 127.0.0.x can use a real PostgreSQL
as its analytics database in a loopback recording (libpq cannot choose a source address).

    pg_client.py SOURCE HOST PORT USER DATABASE SQL [SQL ...]
"""
import socket
import struct
import sys


def message(kind, body):
    return kind + struct.pack("!I", len(body) + 4) + body


def read_message(sock):
    header = b""
    while len(header) < 5:
        chunk = sock.recv(5 - len(header))
        if not chunk:
            raise EOFError("server closed the connection")
        header += chunk
    kind, length = header[:1], struct.unpack("!I", header[1:])[0]
    body = b""
    while len(body) < length - 4:
        chunk = sock.recv(length - 4 - len(body))
        if not chunk:
            raise EOFError("server closed the connection")
        body += chunk
    return kind, body


def main():
    source, host, port, user, database, *queries = sys.argv[1:]
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind((source, 0))
    sock.connect((host, int(port)))
    params = b"user\0" + user.encode() + b"\0database\0" + database.encode() + b"\0\0"
    startup = struct.pack("!I", 196608) + params
    sock.sendall(struct.pack("!I", len(startup) + 4) + startup)
    while True:
        kind, body = read_message(sock)
        if kind == b"E":
            sys.exit("error: " + body.decode(errors="replace"))
        if kind == b"R" and struct.unpack("!I", body[:4])[0] != 0:
            sys.exit("authentication other than trust requested")
        if kind == b"Z":
            break
    for sql in queries:
        sock.sendall(message(b"Q", sql.encode() + b"\0"))
        rows = 0
        while True:
            kind, body = read_message(sock)
            if kind == b"D":
                rows += 1
            elif kind == b"E":
                sys.exit("error: " + body.decode(errors="replace"))
            elif kind == b"Z":
                break
        print(f"{sql!r}: {rows} rows")
    sock.sendall(message(b"X", b""))
    sock.close()


if __name__ == "__main__":
    main()
