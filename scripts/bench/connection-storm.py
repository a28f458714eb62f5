#!/usr/bin/env python3
"""connection-storm.py ADDRESS PORT CONNECTIONS [CLIENTS [SOURCES]]

Real short TCP connections on loopback, as fast as the kernel and Python allow: a server
on ADDRESS:PORT answers each connection with one line and closes; CLIENTS processes
(default 2) connect, send a line, read the answer and close, CONNECTIONS in all. With
SOURCES > 1, each client spreads its connections over that many source addresses
(127.1.N.C), so more connections are distinct than one address's ephemeral ports allow.
Prints the connections made and the rate. For the live capture figures in docs/live.md.
"""
import multiprocessing
import socket
import sys
import time


def serve(address, port, ready):
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((address, port))
    listener.listen(1024)
    ready.set()
    while True:
        connection, _ = listener.accept()
        connection.recv(64)
        connection.sendall(b"ok\n")
        connection.close()


def client(address, port, count, worker, sources):
    for n in range(count):
        source = (f"127.1.{n % sources}.{worker + 1}", 0) if sources > 1 else None
        connection = socket.create_connection((address, port), source_address=source)
        connection.sendall(b"hello\n")
        connection.recv(64)
        connection.close()


def main():
    address, port, total = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    clients = int(sys.argv[4]) if len(sys.argv) > 4 else 2
    sources = int(sys.argv[5]) if len(sys.argv) > 5 else 1
    ready = multiprocessing.Event()
    server = multiprocessing.Process(target=serve, args=(address, port, ready), daemon=True)
    server.start()
    ready.wait()
    start = time.time()
    workers = [multiprocessing.Process(target=client, args=(address, port, total // clients, worker, sources))
               for worker in range(clients)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.time() - start
    made = total // clients * clients
    print(f"{made} connections in {elapsed:.1f} s ({made / elapsed:.0f}/s)")
    server.terminate()


if __name__ == "__main__":
    main()
