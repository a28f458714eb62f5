#!/usr/bin/env python3
"""Writes the decoder target's seed corpus (Fuzz/corpus/decoder/) from the real captures in captures/
and captures/tunnels/.

Each seed is one real packet: a selector byte (the index of the link type in
FuzzLinkTypes.all, Fuzz/Targets/Decoder/DecoderFuzzTarget.swift) followed by the packet bytes. Packets are
taken from the Ethernet and Linux SLL2 captures, one per kind (EtherType, IP protocol,
TCP flags), cut to at most 256 bytes, and re-framed for the other link types (raw IP,
BSD NULL/LOOP, Linux SLL, 802.1Q and QinQ tags, PPP in each framing of its protocol field,
Cisco HDLC) so every framing starts from real traffic.
The output is deterministic: running it again gives the same files.

Usage: Fuzz/make-corpus.py [CAPTURES_DIR] [CORPUS_DIR]
"""
import hashlib
import os
import struct
import sys

ETHERNET, SLL, SLL2, NULL, LOOP, RAW12, RAW14, RAW101, IPV4, IPV6, RADIOTAP, PPP, PPP_SERIAL, C_HDLC = range(14)
MAX_BYTES = 256


def packets(path):
    """Yields (linktype, bytes) for each record of a little- or big-endian pcap file."""
    with open(path, "rb") as f:
        data = f.read()
    magic = data[:4]
    endian = "<" if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
    linktype = struct.unpack(endian + "I", data[20:24])[0]
    offset = 24
    while offset + 16 <= len(data):
        _, _, caplen, _ = struct.unpack(endian + "IIII", data[offset:offset + 16])
        offset += 16
        yield linktype, data[offset:offset + caplen]
        offset += caplen


TUNNEL_PORTS = (4789, 8472, 6081)


def kind(ethertype, ip):
    """What makes a packet different for the decoder: EtherType, protocol, TCP flags, and
    for a tunnel its port and the inner packet's kind."""
    if ethertype == 0x0800 and len(ip) >= 20:
        proto, rest = ip[9], ip[(ip[0] & 15) * 4:]
    elif ethertype == 0x86DD and len(ip) >= 40:
        proto, rest = ip[6], ip[40:]
    else:
        return (ethertype,)
    if proto == 17 and len(rest) >= 16 and struct.unpack(">H", rest[2:4])[0] in TUNNEL_PORTS:
        # VXLAN (and Geneve without options): an Ethernet frame after 8 bytes of header.
        port, frame = struct.unpack(">H", rest[2:4])[0], rest[16:]
        inner = kind(struct.unpack(">H", frame[12:14])[0], frame[14:]) if len(frame) >= 14 else ()
        return (ethertype, proto, port) + inner
    flags = rest[13] if proto == 6 and len(rest) > 13 else None
    return (ethertype, proto, flags)


def seeds(captures):
    chosen = {}
    tunnels = os.path.join(captures, "tunnels")
    paths = [os.path.join(captures, name) for name in sorted(os.listdir(captures))]
    if os.path.isdir(tunnels):
        paths += [os.path.join(tunnels, name) for name in sorted(os.listdir(tunnels))]
    for path in paths:
        if not path.endswith(".pcap"):
            continue
        for linktype, packet in packets(path):
            if linktype == 1 and len(packet) >= 14:
                ethertype, ip = struct.unpack(">H", packet[12:14])[0], packet[14:]
            elif linktype == 276 and len(packet) >= 20:
                ethertype, ip = struct.unpack(">H", packet[0:2])[0], packet[20:]
            else:
                continue
            key = (linktype,) + kind(ethertype, ip)
            if key not in chosen:
                chosen[key] = (linktype, ethertype, packet[:MAX_BYTES], ip[:MAX_BYTES - 14])
    for key in sorted(chosen, key=repr):
        linktype, ethertype, packet, ip = chosen[key]
        if linktype == 276:
            yield SLL2, packet
            continue
        yield ETHERNET, packet
        v6 = ethertype == 0x86DD
        if ethertype not in (0x0800, 0x86DD):
            continue
        mac = packet[:12]
        yield ETHERNET, mac + b"\x81\x00\x00\x64" + packet[12:]                       # 802.1Q, VLAN 100
        yield ETHERNET, mac + b"\x88\xa8\x00\xc8\x81\x00\x00\x64" + packet[12:]       # QinQ 200/100
        yield ETHERNET, mac + b"\x91\x00\x0f\xfe\x81\x00\x00\x07" + packet[12:]       # 0x9100 QinQ
        yield SLL, struct.pack(">HHH8sH", 0, 772, 6, b"\0" * 8, ethertype) + ip
        yield NULL, struct.pack("<I", 30 if v6 else 2) + ip                          # Darwin order
        yield NULL, struct.pack(">I", 24 if v6 else 2) + ip                          # big-endian host
        yield LOOP, struct.pack(">I", 24 if v6 else 2) + ip
        for raw in (RAW12, RAW14, RAW101):
            yield raw, ip
        yield (IPV6 if v6 else IPV4), ip
        ppp = b"\x00\x57" if v6 else b"\x00\x21"
        yield PPP, b"\xff\x03" + ppp + ip                                                 # HDLC-like framing
        yield PPP, (ppp if v6 else b"\x21") + ip                                          # bare, compressed
        yield PPP_SERIAL, b"\x8f\x00" + struct.pack(">H", ethertype) + ip                 # Cisco PPP
        yield C_HDLC, b"\x0f\x00" + struct.pack(">H", ethertype) + ip


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    captures = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "captures")
    corpus = sys.argv[2] if len(sys.argv) > 2 else os.path.join(root, "Fuzz", "corpus", "decoder")
    os.makedirs(corpus, exist_ok=True)
    count = 0
    for selector, packet in seeds(captures):
        seed = bytes([selector]) + packet
        name = hashlib.sha1(seed).hexdigest()
        with open(os.path.join(corpus, name), "wb") as f:
            f.write(seed)
        count += 1
    print(f"wrote {count} seeds to {corpus}")


if __name__ == "__main__":
    main()
