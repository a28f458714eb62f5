import FuzzSupport
import Wire

/// The libFuzzer entry point over `PacketDecoder`: the first byte of each input picks the
/// link type, the rest is the captured packet. Built by `scripts/fuzz.sh decoder` (the
/// `fuzz-decoder` target, declared only for fuzzing), with the Wire module compiled apart so
/// the decoder is reached across a module boundary through its @inlinable API, as the
/// dasaudit binary reaches it.
///
/// It checks more than "does not crash": a decoded segment's payload length can never
/// exceed what an IP length field can say (65535) or, for a 0 length field (TSO), what
/// was captured; and decoding the same bytes twice gives the same outcome. A fragment of
/// TCP goes to one `FragmentTable` kept across inputs (so that the fuzzer's inputs make
/// the floods, overlaps and datagrams never completed a table meets), whose segments obey
/// the same bound and whose payloads stay within the bytes it keeps. Each segment's checksum
/// is judged in the packet's bytes, as the reader judges it (`TCPSegment.judgeChecksum`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPacketDecoder(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let linkTypes = FuzzLinkTypes.all
    let linkType = linkTypes[Int(data[0]) % linkTypes.count]
    // The packet gets a heap buffer of exactly its size, so AddressSanitizer sees any read past it.
    let packet = UnsafeMutableRawBufferPointer.allocate(byteCount: size - 1, alignment: 1)
    defer { packet.deallocate() }
    packet.copyMemory(from: UnsafeRawBufferPointer(start: data + 1, count: size - 1))
    let bytes = UnsafeRawBufferPointer(packet)
    let decoder = PacketDecoder(linkType: linkType)
    let first = decoder.decode(bytes)
    let second = decoder.decode(bytes)
    switch (first, second) {
    case let (.segment(a), .segment(b)):
        require(a == b, "decoding is not deterministic")
        require(Int(a.payloadLength) <= max(65535, bytes.count), "payload length \(a.payloadLength) from \(bytes.count) bytes")
        require(linkType.isSupported, "a segment from an unsupported link type")
        // The reader sums each segment it decodes in the same bytes (`Checksum`).
        var judged = a
        judged.judgeChecksum(in: bytes)
        _ = judged.checksumFailed
    case let (.udp(a), .udp(b)):
        require(a == b, "decoding is not deterministic")
        require(linkType.isSupported, "a datagram from an unsupported link type")
    case let (.fragment(a), .fragment(b)):
        require((a.offset, a.length, a.capturedTail, a.identification) == (b.offset, b.length, b.capturedTail, b.identification),
                "decoding is not deterministic")
        require(Int(a.capturedTail) <= bytes.count, "a fragment's bytes past the packet")
        fragments.add(a, packet: bytes, timestamp: Int64(size), wireLength: UInt32(size)) { segment, payload, _, _ in
            require(Int(segment.payloadLength) <= 65535 + 8, "payload length \(segment.payloadLength) from fragments")
            require(payload.count <= min(Int(segment.payloadLength), FragmentTable.headLength), "payload past the head")
        } skip: { _, _ in }
    case let (.skipped(a), .skipped(b)):
        require(a == b, "decoding is not deterministic")
        require(a != .unsupportedLinkType || !linkType.isSupported, "a supported link type said unsupported")
    default:
        fatalError("decoding is not deterministic")
    }
    return 0
}

/// The fragments of the inputs so far (the fuzzer calls the entry point on one thread).
nonisolated(unsafe) var fragments = FragmentTable()

/// The link types the first input byte chooses from: every one the decoder supports, and
/// one it does not (Wi-Fi radiotap, 127). Types added later go at the end, so that the seeds'
/// selector bytes keep their meaning.
enum FuzzLinkTypes {
    static let all: [LinkType] = [
        .ethernet, .linuxSLL, .linuxSLL2, .null, .loop, .raw, .rawOpenBSD, .rawLinktype, .ipv4, .ipv6,
        LinkType(rawValue: 127), .ppp, .pppSerial, .ciscoHDLC,
    ]
}
