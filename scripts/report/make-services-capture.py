#!/usr/bin/env python3
"""make-services-capture.py SERVICES HOSTS OUT.pcap

Writes a small Ethernet pcap in which SERVICES server endpoints, spread over HOSTS hosts
(127.1.0.1, 127.1.0.2, ...), each answer one complete TCP connection from 127.9.0.1: SYN,
SYN-ACK, a data segment of 100 to 3700 bytes, FIN from both sides. The first endpoints sit
on the Spark ports of offset 2 in cluster mode (master 7079, UI 4042, executors 12002 and
12003, thrift 7613, driver 13002); the rest on 20000 and up, which nothing explains. It
exists to give the report renderer a real audit of any size: 1 service, 500 services.
The same arguments give the same bytes (fixed times and sequence numbers).
"""
import struct, sys

def checksum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF

def frame(src, dst, sport, dport, flags, seq, ack, payload):
    tcp = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 5 << 4, flags, 65535, 0, 0) + payload
    pseudo = struct.pack("!4s4sBBH", src, dst, 0, 6, len(tcp))
    tcp = tcp[:16] + struct.pack("!H", checksum(pseudo + tcp)) + tcp[18:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), 0, 0x4000, 64, 6, 0, src, dst)
    ip = ip[:10] + struct.pack("!H", checksum(ip)) + ip[12:]
    return b"\0\0\0\0\0\2" + b"\0\0\0\0\0\1" + b"\x08\x00" + ip + tcp

def main():
    count, hosts, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    catalog = [7079, 4042, 12002, 12003, 7613, 13002]
    SYN, ACK, PSH, FIN = 0x02, 0x10, 0x08, 0x01
    client = bytes([127, 9, 0, 1])
    seconds, micros = 1_790_000_000, 0
    with open(out, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for index in range(count):
            host = index % hosts
            server = bytes([127, 1, host // 250, host % 250 + 1])
            port = catalog[index] if index < len(catalog) else 20000 + index
            cport = 40000 + index % 20000
            data = bytes(100 * (index % 37 + 1))
            c, s = 1000, 5000
            for to_server, flags, payload in [(True, SYN, b""), (False, SYN | ACK, b""), (True, ACK | PSH, data),
                                              (True, FIN | ACK, b""), (False, FIN | ACK, b"")]:
                if to_server:
                    packet = frame(client, server, cport, port, flags, c, s if flags != SYN else 0, payload)
                    c += len(payload) + (1 if flags & (SYN | FIN) else 0)
                else:
                    packet = frame(server, client, port, cport, flags, s, c, payload)
                    s += 1
                micros += 250
                f.write(struct.pack("<IIII", seconds + micros // 1_000_000, micros % 1_000_000, len(packet), len(packet)))
                f.write(packet)

main()
