"""Clients of scripts/recording/record-nodes.sh, run inside a node's network namespace.

  nodes_clients.py thrift HOST PORT CALLS | thrift-tls HOST PORT CALLS CERTDIR
  nodes_clients.py echo HOST PORT | hold HOST PORT SECONDS | refused HOST PORT

`hold` keeps one connection to an echo server open for SECONDS, one exchange every 0.5 s:
it outlives the capture windows of both its ends.
"""
import os
import socket
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import das_scenario as d  # noqa: E402

what, host, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
if what == "thrift":
    print(d.thrift_client(host, port, int(sys.argv[4])))
elif what == "thrift-tls":
    print(d.thrift_client(host, port, int(sys.argv[4]), certdir=sys.argv[5]))
elif what == "echo":
    d.echo_client(host, port, [b"hello" * 50] * 3)
elif what == "hold":
    s = d.echo_client(host, port, [b"x" * 100], hold=True)
    end = time.time() + float(sys.argv[4])
    while time.time() < end:
        s.sendall(b"y" * 100)
        s.recv(65536)
        time.sleep(0.5)
    s.shutdown(socket.SHUT_WR)
    while s.recv(65536):
        pass
    s.close()
elif what == "refused":
    s = socket.socket()
    s.settimeout(3)
    try:
        s.connect((host, port))
    except OSError as error:
        print(error)
