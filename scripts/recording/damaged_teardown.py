"""HTTP/1.1 connections kept open across a damaged FIN or RST: the endpoints of
record-damaged-teardown.sh.

    damaged_teardown.py serve ADDRESS PORT
    damaged_teardown.py client INTERFACE SERVER PORT PEER_NAMESPACE_PIPE

`serve` answers every request of a connection ("HTTP/1.1 200", three bytes of body) until
the client closes it, then closes its side. It prints READY once it listens.

`client` makes three connections, two requests each. Between the two requests it forges,
with scapy, a segment of the connection at its next sequence and acknowledgment numbers
whose TCP checksum is wrong (the right sum with bits flipped, never the pseudo-header sum
that checksum offload leaves, never 0), sends it, and waits:

  1. a RST/ACK from the client, then 11 s (an ended connection quiet for longer than the
     audit's 5 s linger, on its 5 s sweep grid, is let go);
  2. a FIN/ACK from the client and one from the server (written to the pipe, for the
     server's namespace to send: `send-from-server` lines), then 11 s;
  3. a RST/ACK from the client, then 1 s.

The server's kernel drops each damaged segment (TcpInCsumErrors), so every connection goes
on: the second request is answered, and both sides close the first two connections with
FINs. The third stays open: after its second answer the client prints HELD, for the
capture to stop, and closes it 5 s later. It prints each forged segment, one line each, to
stderr.
"""
import socket, sys, time


def serve(address, port):
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((address, port))
    listener.listen(8)
    print("READY", flush=True)
    while True:
        connection, _ = listener.accept()
        buffered = b""
        while True:
            data = connection.recv(4096)
            if not data:
                break
            buffered += data
            while b"\r\n\r\n" in buffered:
                _, buffered = buffered.split(b"\r\n\r\n", 1)
                connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nok\n")
        connection.close()


def damaged(packet):
    """`packet` (IP/TCP) with a TCP checksum that is wrong, and not one a reader could take
    for checksum offload's pseudo-header sum or for "not computed"."""
    from scapy.all import IP, TCP, raw
    good = IP(raw(packet))[TCP].chksum
    pseudo = IP(raw(packet[IP].copy()))
    pseudo_sum = _pseudo_header_sum(pseudo)
    for mask in (0x5A5A, 0x0F0F, 0x3C3C):
        wrong = good ^ mask
        if wrong not in (0, pseudo_sum, good):
            packet[TCP].chksum = wrong
            return packet
    raise SystemExit("no wrong checksum found")


def _pseudo_header_sum(packet):
    from scapy.all import IP, TCP, raw
    import struct
    source = struct.unpack("!HH", socket.inet_aton(packet[IP].src))
    destination = struct.unpack("!HH", socket.inet_aton(packet[IP].dst))
    total = sum(source) + sum(destination) + 6 + len(raw(packet[TCP]))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return total


def client(interface, server, port, pipe):
    from scapy.all import AsyncSniffer, IP, TCP, send, raw
    request = ("GET / HTTP/1.1\r\nHost: %s:%d\r\n\r\n" % (server, port)).encode()
    plans = [(["client-rst"], 11), (["client-fin", "server-fin"], 11), (["client-rst"], 1)]
    for forged, pause in plans:
        sniffer = AsyncSniffer(iface=interface, filter="tcp port %d" % port, store=True)
        sniffer.start()
        time.sleep(0.5)
        connection = socket.create_connection((server, port))
        local_port = connection.getsockname()[1]
        connection.sendall(request)
        answer = connection.recv(4096)
        assert answer.startswith(b"HTTP/1.1 200"), answer
        time.sleep(0.5)
        packets = [p for p in sniffer.stop() if TCP in p and local_port in (p[TCP].sport, p[TCP].dport)]
        # The next numbers of each side: after its last segment's payload (and SYN).
        next_of = {}
        for p in packets:
            side = "client" if p[TCP].sport == local_port else "server"
            length = len(p[TCP].payload) + (1 if p[TCP].flags & 0x02 else 0)
            next_of[side] = (p[TCP].seq + length) & 0xFFFFFFFF
        for what in forged:
            if what.startswith("client"):
                ip = IP(src=packets[0][IP].src, dst=server)
                tcp = TCP(sport=local_port, dport=port, seq=next_of["client"], ack=next_of["server"],
                          flags="RA" if what == "client-rst" else "FA", window=502)
                packet = damaged(ip / tcp)
                send(packet, verbose=0)
            else:
                ip = IP(src=server, dst=packets[0][IP].src)
                tcp = TCP(sport=port, dport=local_port, seq=next_of["server"], ack=next_of["client"],
                          flags="FA", window=509)
                packet = damaged(ip / tcp)
                with open(pipe, "w") as out:
                    out.write(raw(packet).hex() + "\n")
                time.sleep(0.5)
            print("forged: %s, client port %d, checksum 0x%04x" % (what, local_port, packet[TCP].chksum),
                  file=sys.stderr, flush=True)
        time.sleep(pause)
        connection.sendall(request)
        answer = connection.recv(4096)
        assert answer.startswith(b"HTTP/1.1 200"), answer
        if (forged, pause) == plans[-1]:
            print("HELD", flush=True)
            time.sleep(5)
        connection.shutdown(socket.SHUT_WR)
        while connection.recv(4096):
            pass
        connection.close()
        time.sleep(0.5)


def send_from_server(pipe):
    """Reads forged packets (hex, one a line) from `pipe` and sends each as it comes."""
    from scapy.all import IP, send
    while True:
        with open(pipe) as source:
            for line in source:
                send(IP(bytes.fromhex(line.strip())), verbose=0)


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "serve":
        serve(sys.argv[2], int(sys.argv[3]))
    elif mode == "client":
        client(sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5])
    elif mode == "send-from-server":
        send_from_server(sys.argv[2])
    else:
        raise SystemExit("usage: damaged_teardown.py serve|client|send-from-server ...")
