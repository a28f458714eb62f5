"""A bump in the wire that damages chosen packets: forwards every Ethernet frame between
two interfaces (AF_PACKET), and flips one bit in a few of the client's TCP packets to the
server, leaving their checksums as they were, as a faulty link or NIC would. The receiver
drops each damaged packet (its checksum is wrong) and the client sends it again.

    damaging_relay.py CLIENT_SIDE_IF SERVER_SIDE_IF SERVER_PORT

What it damages, counting the client's packets to SERVER_PORT (retransmissions included):
  - the 3rd FIN: bit 11 of the destination port (9763 becomes 11811, a port nothing uses);
  - the 5th packet with payload: bit 12 of the source port (the client's port);
  - the 20th ACK without payload, SYN or FIN: bit 0 of the sequence number (same 4-tuple);
  - the 7th FIN: bit 0 of the IPv4 source address (10.39.0.2 becomes 10.39.0.3), so the IPv4
    header checksum is wrong.
Frames forwarded undamaged get their TCP checksum computed in full: a sender with checksum
offload hands over the pseudo-header sum only, which the host across the relay would take
for a damaged packet. It prints what it damaged, one line each, to stderr.
"""
import select, socket, struct, sys

client_side, server_side, port = sys.argv[1], sys.argv[2], int(sys.argv[3])


def open_socket(name):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))  # ETH_P_ALL
    s.bind((name, 0))
    return s


def fold(total):
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return total


def words(data):
    if len(data) % 2:
        data += b"\0"
    return sum(struct.unpack("!%dH" % (len(data) // 2), data))


def with_full_checksum(frame):
    """The frame with its IPv4 TCP checksum computed over the whole segment."""
    if frame[12:14] != b"\x08\x00" or frame[23] != 6:
        return frame
    ihl = (frame[14] & 15) * 4
    total = struct.unpack("!H", frame[16:18])[0]
    tcp = bytearray(frame[14 + ihl:14 + total])
    tcp[16:18] = b"\0\0"
    pseudo = words(frame[26:34]) + 6 + len(tcp)
    struct.pack_into("!H", tcp, 16, 0xFFFF - fold(pseudo + words(bytes(tcp))))
    return frame[:14 + ihl] + bytes(tcp) + frame[14 + total:]


counts = {"fin": 0, "data": 0, "ack": 0}


def damage(frame):
    """The client's frame, damaged if it is one of the chosen packets."""
    if frame[12:14] != b"\x08\x00" or frame[23] != 6:
        return frame
    ihl = (frame[14] & 15) * 4
    tcp = 14 + ihl
    total = struct.unpack("!H", frame[16:18])[0]
    if struct.unpack("!H", frame[tcp + 2:tcp + 4])[0] != port:
        return frame
    flags = frame[tcp + 13]
    payload = total - ihl - (frame[tcp + 12] >> 4) * 4
    damaged = bytearray(frame)
    what = None
    if flags & 0x01:
        counts["fin"] += 1
        if counts["fin"] == 3:
            damaged[tcp + 2] ^= 0x08
            what = "FIN, destination port bit 11"
        elif counts["fin"] == 7:
            damaged[29] ^= 0x01
            what = "FIN, IPv4 source address bit 0"
    elif payload > 0:
        counts["data"] += 1
        if counts["data"] == 5:
            damaged[tcp] ^= 0x10
            what = "payload, source port bit 12"
    elif flags & 0x12 == 0x10:
        counts["ack"] += 1
        if counts["ack"] == 20:
            damaged[tcp + 7] ^= 0x01
            what = "ACK, sequence number bit 0"
    if what:
        print("damaged: %s (client port %d)" % (what, struct.unpack("!H", frame[tcp:tcp + 2])[0]),
              file=sys.stderr, flush=True)
        return bytes(damaged)
    return frame


client, server = open_socket(client_side), open_socket(server_side)
while True:
    for s in select.select([client, server], [], [])[0]:
        frame, address = s.recvfrom(65535)
        if address[2] == socket.PACKET_OUTGOING:
            continue
        frame = with_full_checksum(frame)
        if s is client:
            server.send(damage(frame))
        else:
            client.send(frame)
