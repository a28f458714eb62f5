import Wire

/// How a pipelined reader (`SegmentPipeline`) shares one input's connection tracking
/// between its two threads: the connections whose bucket (a hash of the 4-tuple, the same
/// in both directions, 0..<256) is below the reader's share (`ReaderShare`) are tracked by
/// the reading thread in a table of its own, the rest by the tracking thread; the two
/// tables hold different connections and are merged at the end of the input
/// (`FlowTable.absorb`).
///
/// Why: the second core also runs the input's evidence hash (`InputHashing`), one serial
/// chain of SHA-256. With headers only, the hash of a packet costs about what its tracking
/// does, so with all the tracking on the second core that core has about half as much work
/// again as the reading thread; keeping 40% of the connections on the reading thread evens
/// the two out. With whole packets the hash alone outweighs the reading, so the reading
/// thread keeps all of it and the second core hashes. (The measurements behind both:
/// docs/performance.md.)
enum TrackingSplit {
    /// The reading thread's share for an input with packets of at most `snapshotLength`
    /// bytes. `hashedAlongside`: the input's evidence hash runs on the second core too; if
    /// not, the tracking thread has that core to itself and takes every connection.
    static func readerShare(snapshotLength: Int, hashedAlongside: Bool) -> ReaderShare {
        guard hashedAlongside else { return .trackingThreadTakesAll }
        // Headers only (`tcpdump -s 96`, docs/inputs.md): about as many bytes to
        // hash per packet as the tracking costs. Larger packets: the hash outweighs it.
        return snapshotLength <= 256 ? .split(readerBuckets: 102) : .readerKeepsAll
    }

    /// The segment's connection bucket, 0..<256: the same for both directions, so every
    /// segment of a connection goes to the same thread. Each endpoint is hashed on its
    /// own and the two hashes are added: the sum does not depend on the direction, and,
    /// unlike XOR-ing the two addresses, keeps the address of a host talking to itself
    /// (127.0.0.1 to 127.0.0.1), whose connections would otherwise all share the buckets
    /// of their ports alone whatever the host.
    @inline(__always)
    static func bucket(_ segment: TCPSegment) -> Int {
        let sum = endpointHash(segment.source, segment.sourcePort) &+ endpointHash(segment.destination, segment.destinationPort)
        return Int(truncatingIfNeeded: sum >> 56)
    }

    /// One endpoint's 64-bit hash: the address words and the port through two multiplies
    /// and a fold, so that every input bit reaches the top byte and two endpoints that
    /// differ in a few low bits (neighbouring ports or addresses) do not add up alike.
    @inline(__always)
    static func endpointHash(_ address: IPAddress, _ port: UInt16) -> UInt64 {
        var hash = (address.high &* 0x1656_67B1_9E37_79F9) ^ (address.low &* 0x9E37_79B9_7F4A_7C15) ^ UInt64(port)
        hash = hash &* 0xC2B2_AE3D_27D4_EB4F
        hash ^= hash >> 32
        return hash &* 0x9E37_79B9_7F4A_7C15
    }
}
