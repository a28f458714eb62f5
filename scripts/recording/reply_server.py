"""A TCP server for the two-host recordings (record-both-ends.sh, record-fleet.sh):
listens on each PORT on every address, and answers each chunk it receives with FACTOR
times as many bytes ("r"), until the client closes. Prints "ready" once listening.

    python3 reply_server.py FACTOR PORT [PORT ...]
"""
import socket
import sys
import threading


def serve(port, factor):
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("0.0.0.0", port))
    listener.listen(16)
    while True:
        connection, _ = listener.accept()

        def talk(connection):
            with connection:
                while True:
                    data = connection.recv(65536)
                    if not data:
                        break
                    connection.sendall(b"r" * (len(data) * factor))

        threading.Thread(target=talk, args=(connection,), daemon=True).start()


factor = int(sys.argv[1])
for port in sys.argv[2:]:
    threading.Thread(target=serve, args=(int(port), factor), daemon=True).start()
print("ready", flush=True)
threading.Event().wait()
