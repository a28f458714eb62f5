import Wire
import XCTest

/// Byte builders for test packets: each returns the bytes as they sit in a capture, with
/// every length field filled in from what it wraps unless a test overrides it.
enum Build {
    static func be16(_ value: UInt16) -> [UInt8] { [UInt8(value >> 8), UInt8(value & 0xff)] }
    static func be32(_ value: UInt32) -> [UInt8] { be16(UInt16(value >> 16)) + be16(UInt16(value & 0xffff)) }
    static func be64(_ value: UInt64) -> [UInt8] { be32(UInt32(value >> 32)) + be32(UInt32(value & 0xffff_ffff)) }
    static func bytes(_ address: IPAddress) -> [UInt8] { be64(address.high) + be64(address.low) }

    /// A TCP header (20 bytes plus `options`, which must be a multiple of 4) and `payload`
    /// bytes of 0xAA.
    static func tcp(
        sourcePort: UInt16 = 40000, destinationPort: UInt16 = 7711,
        seq: UInt32 = 0x1122_3344, ack: UInt32 = 0x5566_7788, flags: UInt8 = 0x18,
        dataOffset: UInt8? = nil, options: [UInt8] = [], payload: Int = 0
    ) -> [UInt8] {
        let offset = dataOffset ?? UInt8((20 + options.count) / 4)
        return be16(sourcePort) + be16(destinationPort) + be32(seq) + be32(ack)
            + [offset << 4, flags] + be16(0xFFFF) + be16(0) + be16(0)
            + options + [UInt8](repeating: 0xAA, count: payload)
    }

    static func udp(sourcePort: UInt16 = 5353, destinationPort: UInt16 = 53, payload: Int = 0) -> [UInt8] {
        be16(sourcePort) + be16(destinationPort) + be16(UInt16(8 + payload)) + be16(0)
            + [UInt8](repeating: 0xBB, count: payload)
    }

    /// An IPv4 header (with `options`, a multiple of 4) followed by `payload`.
    static func ipv4(
        source: UInt32 = 0x0A00_0001, destination: UInt32 = 0x0A00_0002, protocol proto: UInt8 = 6,
        version: UInt8 = 4, ihl: UInt8? = nil, options: [UInt8] = [], totalLength: UInt16? = nil,
        moreFragments: Bool = false, fragmentOffset: UInt16 = 0, identification: UInt16 = 0x1234,
        dontFragment: Bool = true, _ payload: [UInt8]
    ) -> [UInt8] {
        let headerLength = 20 + options.count
        let ihlValue = ihl ?? UInt8(headerLength / 4)
        let total = totalLength ?? UInt16(headerLength + payload.count)
        let flags: UInt16 = (dontFragment ? 0x4000 : 0) | (moreFragments ? 0x2000 : 0) | fragmentOffset
        return [version << 4 | ihlValue, 0] + be16(total) + be16(identification) + be16(flags)
            + [64, proto] + be16(0) + be32(source) + be32(destination) + options + payload
    }

    static let v6Source = IPAddress("2001:db8::1")!
    static let v6Destination = IPAddress("2001:db8::2")!

    /// An IPv6 header followed by `payload` (extension headers included).
    static func ipv6(
        source: IPAddress = v6Source, destination: IPAddress = v6Destination,
        nextHeader: UInt8 = 6, version: UInt8 = 6, payloadLength: UInt16? = nil, flowLabel: UInt32 = 0, _ payload: [UInt8]
    ) -> [UInt8] {
        [version << 4, UInt8(flowLabel >> 16 & 0x0F), UInt8(flowLabel >> 8 & 0xFF), UInt8(flowLabel & 0xFF)]
            + be16(payloadLength ?? UInt16(payload.count)) + [nextHeader, 64]
            + bytes(source) + bytes(destination) + payload
    }

    /// A hop-by-hop, routing, destination options or AH header of `length` bytes (a multiple
    /// of 8; of 4 for AH), padded with zeros.
    static func extensionHeader(_ type: UInt8, next: UInt8, length: Int = 8) -> [UInt8] {
        let lengthField = type == 51 ? length / 4 - 2 : length / 8 - 1
        return [next, UInt8(lengthField)] + [UInt8](repeating: 0, count: length - 2)
    }

    static func fragmentHeader(next: UInt8, offset: UInt16 = 0, more: Bool = false) -> [UInt8] {
        [next, 0] + be16(offset << 3 | (more ? 1 : 0)) + be32(0xCAFE_F00D)
    }

    /// An Ethernet II frame; `tags` are (TPID, VLAN id) pairs from the outside in.
    static func ethernet(etherType: UInt16, tags: [(UInt16, UInt16)] = [], _ payload: [UInt8]) -> [UInt8] {
        var frame: [UInt8] = [0x02, 0, 0, 0, 0, 0x01, 0x02, 0, 0, 0, 0, 0x02]
        for (tpid, vlan) in tags { frame += be16(tpid) + be16(0x2000 | vlan) }
        return frame + be16(etherType) + payload
    }

    /// An MPLS label stack: one 4-byte entry per label, the last marked bottom of stack.
    static func mpls(labels: [UInt32], _ payload: [UInt8]) -> [UInt8] {
        labels.enumerated().flatMap { index, label in
            be32(label << 12 | (index == labels.count - 1 ? 0x100 : 0) | 64)
        } + payload
    }

    static func sll(protocol proto: UInt16, arphrd: UInt16 = 1, _ payload: [UInt8]) -> [UInt8] {
        be16(0) + be16(arphrd) + be16(6) + [0x02, 0, 0, 0, 0, 0x01, 0, 0] + be16(proto) + payload
    }

    static func sll2(protocol proto: UInt16, arphrd: UInt16 = 1, _ payload: [UInt8]) -> [UInt8] {
        be16(proto) + be16(0) + be32(2) + be16(arphrd) + [0, 6] + [0x02, 0, 0, 0, 0, 0x01, 0, 0] + payload
    }

    /// A UDP header carrying `payload` (a tunnel's header and what it carries).
    static func udp(sourcePort: UInt16 = 51000, destinationPort: UInt16, carrying payload: [UInt8]) -> [UInt8] {
        be16(sourcePort) + be16(destinationPort) + be16(UInt16(8 + payload.count)) + be16(0) + payload
    }

    /// A VXLAN header (`flags` 0x08: the VNI is valid) and the Ethernet frame it carries.
    static func vxlan(flags: UInt8 = 0x08, vni: UInt32 = 42, _ frame: [UInt8]) -> [UInt8] {
        [flags, 0, 0, 0] + be32(vni << 8) + frame
    }

    /// A Geneve header with `options` (a multiple of 4 bytes) and its payload.
    static func geneve(version: UInt8 = 0, protocolType: UInt16 = 0x6558, options: [UInt8] = [], _ payload: [UInt8]) -> [UInt8] {
        [version << 6 | UInt8(options.count / 4), 0] + be16(protocolType) + be32(7 << 8) + options + payload
    }

    /// A GRE header with the optional fields its flags announce (checksum, key, sequence).
    static func gre(checksum: Bool = false, key: UInt32? = nil, sequence: UInt32? = nil, routing: Bool = false,
                    version: UInt16 = 0, protocolType: UInt16, _ payload: [UInt8]) -> [UInt8] {
        let flags: UInt16 = (checksum ? 0x8000 : 0) | (routing ? 0x4000 : 0) | (key != nil ? 0x2000 : 0)
            | (sequence != nil ? 0x1000 : 0) | version
        return be16(flags) + be16(protocolType) + (checksum || routing ? be32(0xC5C5_0000) : [])
            + (key.map(be32) ?? []) + (sequence.map(be32) ?? []) + payload
    }

    /// An ERSPAN type II header and the mirrored frame.
    static func erspanII(vlan: UInt16 = 0, _ frame: [UInt8]) -> [UInt8] {
        be16(0x1000 | vlan) + be16(0x0005) + be32(0x0000_0001) + frame
    }

    /// An ERSPAN type III header (with the 8-byte platform subheader when `subheader`) and
    /// the mirrored frame or packet (`frameType` 0 Ethernet, 2 IP).
    static func erspanIII(frameType: UInt16 = 0, subheader: Bool = false, _ frame: [UInt8]) -> [UInt8] {
        be16(0x2000) + be16(0x0005) + be32(0x1234_5678) + be16(0) + be16(frameType << 10 | (subheader ? 1 : 0))
            + (subheader ? be64(0x0123_4567_89AB_CDEF) : []) + frame
    }

    /// A BSD NULL header with the family in little-endian (x86 capture host) or big-endian order.
    static func null(family: UInt32, littleEndian: Bool = true, _ payload: [UInt8]) -> [UInt8] {
        (littleEndian ? be32(family.byteSwapped) : be32(family)) + payload
    }
}

// MARK: - Decoding helpers

/// Decodes `bytes` from a buffer of exactly their size, so a read past the end is caught
/// (by the bounds checks of a debug build, or by the address sanitizer).
func decode(_ bytes: [UInt8], as linkType: LinkType) -> DecodeOutcome {
    withBytes(bytes) { PacketDecoder(linkType: linkType).decode($0) }
}

extension DecodeOutcome {
    /// Outcomes compare by value in tests (the library type is deliberately not Equatable).
    func matches(_ other: DecodeOutcome) -> Bool {
        switch (self, other) {
        // Where the payload and the header sit in the packet (`capturedTail`, `headerTail`),
        // what tells a copy (`copyIdentity`) and whether the packet looks hand-made
        // (`looksHandMade`) are checked on their own (PayloadPositionTests,
        // CopyIdentityTests, HandMadeLookTests); the expected segments here say what the
        // headers say.
        case let (.segment(a), .segment(b)):
            var a = a
            a.capturedTail = b.capturedTail
            a.headerTail = b.headerTail
            a.copyIdentity = b.copyIdentity
            a.looksHandMade = b.looksHandMade
            return a == b
        case let (.skipped(a), .skipped(b)): return a == b
        case let (.udp(a), .udp(b)): return a == b
        // A UDP datagram is the `.notTCP` it is counted as; tests that look at its port
        // expect `.udp`.
        case let (.udp, .skipped(b)): return b == .notTCP
        case let (.fragment(a), .fragment(b)):
            return (a.source, a.destination, a.identification, a.offset, a.length, a.moreFragments)
                == (b.source, b.destination, b.identification, b.offset, b.length, b.moreFragments)
                && (a.vlan, a.tunnel) == (b.vlan, b.tunnel)
        // A fragment is the `.fragment` it is counted as until `FragmentTable` joins it.
        case let (.fragment, .skipped(b)): return b == .fragment
        default: return false
        }
    }
}

func XCTAssertOutcome(
    _ outcome: DecodeOutcome, _ expected: DecodeOutcome, _ message: String = "",
    file: StaticString = #filePath, line: UInt = #line
) {
    XCTAssert(outcome.matches(expected), "got \(outcome), expected \(expected) \(message)", file: file, line: line)
}

func XCTAssertSkipped(
    _ outcome: DecodeOutcome, _ reason: SkipReason, _ message: String = "",
    file: StaticString = #filePath, line: UInt = #line
) {
    XCTAssertOutcome(outcome, .skipped(reason), message, file: file, line: line)
}

/// Decodes every prefix of `packet` (lengths 0 through the full length): prefixes shorter
/// than `headersEnd` must be `cut` (`.truncated` by default); from `headersEnd` on, when all
/// headers are present, a snaplen cut must not change the outcome: `expected`.
func assertEveryCut(
    _ packet: [UInt8], as linkType: LinkType, headersEnd: Int, expected: DecodeOutcome,
    cut: SkipReason = .truncated, tunnelStart: Int? = nil, _ message: String = "",
    file: StaticString = #filePath, line: UInt = #line
) {
    precondition(headersEnd <= packet.count)
    for length in 0...packet.count {
        let outcome = decode(Array(packet.prefix(length)), as: linkType)
        // A cut past the outer headers, inside the tunnel they announce (`tunnelStart`),
        // is `.truncatedInTunnel`.
        let reason = tunnelStart.map { length >= $0 } == true ? .truncatedInTunnel : cut
        let want: DecodeOutcome = length < headersEnd ? .skipped(reason) : expected
        if !outcome.matches(want) {
            XCTFail("cut at \(length) of \(packet.count): got \(outcome), expected \(want) \(message)", file: file, line: line)
            return
        }
    }
}

/// The segment the default `Build.tcp` fields produce between two addresses.
func defaultSegment(
    source: IPAddress = IPAddress(ipv4: 0x0A00_0001), destination: IPAddress = IPAddress(ipv4: 0x0A00_0002),
    payloadLength: UInt32 = 0, vlan: UInt16? = nil
) -> TCPSegment {
    TCPSegment(
        source: source, destination: destination, sourcePort: 40000, destinationPort: 7711,
        flags: [.psh, .ack], sequenceNumber: 0x1122_3344, acknowledgmentNumber: 0x5566_7788,
        payloadLength: payloadLength, vlan: vlan
    )
}

extension TCPSegment {
    /// The same segment, taken out of `tunnel`.
    func `in`(_ tunnel: Tunnel) -> TCPSegment {
        var segment = self
        segment.tunnel = tunnel
        return segment
    }
}

/// The segment the default `Build.tcp` fields produce between the default IPv6 addresses.
func defaultV6Segment(payloadLength: UInt32 = 0, vlan: UInt16? = nil) -> TCPSegment {
    defaultSegment(source: Build.v6Source, destination: Build.v6Destination, payloadLength: payloadLength, vlan: vlan)
}

/// Runs `body` over `bytes` as a raw buffer of exactly their size.
func withBytes<R>(_ bytes: [UInt8], _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: 1)
    defer { buffer.deallocate() }
    buffer.copyBytes(from: bytes)
    return try body(UnsafeRawBufferPointer(buffer))
}
