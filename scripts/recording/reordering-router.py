"""A point-to-point link between two network namespaces that reorders: every TCP segment
that carries a side's first payload bytes (its sequence number is the one after its SYN's)
is held until the next segment of that side has gone by, or for 50 ms at most, as a
network with two paths of unequal delay delivers them.

    python3 reordering-router.py NAMESPACE_A ADDRESS_A NAMESPACE_B ADDRESS_B [--late-last-ack]

With --late-last-ack, what is held instead is a side's last ACK, the bare ACK of the
other side's FIN: until that side's next SYN on the same 4-tuple has gone by (a client
that reuses its port at once), or for 3 s at most. The connection's next SYN overtakes
the ACK that closed the one before, as on a network whose two paths differ.

Makes two TUN devices, dasaudit-ta in namespace A with ADDRESS_A and dasaudit-tb in B with
ADDRESS_B (TUN_PREFIX in the environment replaces dasaudit-t), each the other's peer,
and copies the packets between them until stopped. Needs root. IPv4 only.
"""
import fcntl, os, select, struct, subprocess, sys, time

TUNSETIFF, IFF_TUN, IFF_NO_PI = 0x400454CA, 0x0001, 0x1000
HOLD = 0.05
HOLD_LAST_ACK = 3.0
SYN, RST, ACK, FIN = 0x02, 0x04, 0x10, 0x01


def tun(name, namespace, address, peer):
    fd = os.open("/dev/net/tun", os.O_RDWR)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", name.encode(), IFF_TUN | IFF_NO_PI))
    for command in (["ip", "link", "set", name, "netns", namespace],
                    ["ip", "-n", namespace, "addr", "add", address, "peer", peer, "dev", name],
                    ["ip", "-n", namespace, "link", "set", name, "up"]):
        subprocess.run(command, check=True)
    return fd


def packet_tcp(packet):
    """Where an IPv4 packet's TCP header begins."""
    return (packet[0] & 15) * 4


def segment(packet):
    """(flow, sequence, flags, payload length) of an IPv4 TCP packet, else None."""
    if len(packet) < 40 or packet[0] >> 4 != 4 or packet[9] != 6:
        return None
    header = packet_tcp(packet)
    total = struct.unpack("!H", packet[2:4])[0]
    tcp = packet[header:]
    if len(tcp) < 20:
        return None
    offset = (tcp[12] >> 4) * 4
    flow = (packet[12:16], tcp[0:2], packet[16:20], tcp[2:4])
    return flow, struct.unpack("!I", tcp[4:8])[0], tcp[13], total - header - offset


def main():
    namespace_a, address_a, namespace_b, address_b = sys.argv[1:5]
    late_last_ack = "--late-last-ack" in sys.argv[5:]
    prefix = os.environ.get("TUN_PREFIX", "dasaudit-t")
    ends = {tun(prefix + "a", namespace_a, address_a, address_b): None,
            tun(prefix + "b", namespace_b, address_b, address_a): None}
    a, b = ends
    ends[a], ends[b] = b, a
    first_payload = {}  # flow -> the sequence number of its first payload byte
    after_fin = {}      # flow -> the acknowledgment number that acknowledges its FIN
    held = {}           # flow -> (packet, destination, deadline)
    print("ready", flush=True)
    while True:
        timeout = min((deadline for _, _, deadline in held.values()), default=None)
        wait = None if timeout is None else max(0.0, timeout - time.monotonic())
        readable, _, _ = select.select(list(ends), [], [], wait)
        for source in readable:
            packet = os.read(source, 65535)
            destination = ends[source]
            seen = segment(packet)
            if seen is not None:
                flow, sequence, flags, length = seen
                if late_last_ack:
                    if flags & FIN:
                        after_fin[flow] = (sequence + length + 1) & 0xFFFFFFFF
                    reverse = (flow[2], flow[3], flow[0], flow[1])
                    tcp = packet_tcp(packet)
                    acknowledgment = struct.unpack("!I", packet[tcp + 8:tcp + 12])[0]
                    if (flags & (SYN | RST | FIN | ACK) == ACK and length == 0 and flow not in held
                            and after_fin.get(reverse) == acknowledgment):
                        held[flow] = (packet, destination, time.monotonic() + HOLD_LAST_ACK)
                        after_fin.pop(reverse)
                        continue
                    if not flags & SYN or flags & ACK:  # only the side's next SYN lets its last ACK go
                        os.write(destination, packet)
                        continue
                elif flags & 0x02:  # SYN or SYN-ACK: the next byte is the first payload's
                    first_payload[flow] = (sequence + 1) & 0xFFFFFFFF
                elif length > 0 and first_payload.get(flow) == sequence and flow not in held:
                    held[flow] = (packet, destination, time.monotonic() + HOLD)
                    first_payload.pop(flow)
                    continue
            os.write(destination, packet)
            if seen is not None and seen[0] in held:
                late, to, _ = held.pop(seen[0])
                os.write(to, late)
        now = time.monotonic()
        for flow in [flow for flow, (_, _, deadline) in held.items() if deadline <= now]:
            late, to, _ = held.pop(flow)
            os.write(to, late)


if __name__ == "__main__":
    main()
