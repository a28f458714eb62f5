import Wire

/// How a pipelined reader (`SegmentPipeline`) shares one input's connection tracking
/// between its two threads: the connections whose bucket (a hash of the 4-tuple, the same
/// in both directions, 0..<256) is below `readerShare` are tracked by the reading thread
/// in a table of its own, the rest by the tracking thread; the two tables hold different
/// connections and are merged at the end of the input (`FlowTable.absorb`).
///
/// Why: the second core also runs the input's evidence hash (`InputHashing`), one serial
/// chain of SHA-256. On a 10 M packet capture at snaplen 96 the reading thread needs 0.75 s,
/// the tracking 0.45 s and the hash 0.65 s: with all the tracking on the second core, that
/// core has 1.1 s of work and the first 0.75 s. Keeping 40% of the connections on the
/// reading thread evens the two out (measured, 12 interleaved runs each: median 1.02 s
/// against 1.19 s; docs/design.md, Performance). With whole packets the hash alone
/// outweighs the reading, so the reading thread keeps all of it and the second core hashes.
enum TrackingSplit {
    /// The buckets (of 256) the reading thread tracks itself, for an input with packets of
    /// at most `snapshotLength` bytes. `hashedAlongside`: the input's evidence hash runs on
    /// the second core too; if not, the tracking thread has that core to itself and takes
    /// every connection.
    static func readerShare(snapshotLength: Int, hashedAlongside: Bool) -> Int {
        guard hashedAlongside else { return 0 }
        // Headers only (`tcpdump -s 96`, docs/inputs.md): about as many bytes to
        // hash per packet as the tracking costs. Larger packets: the hash outweighs it.
        return snapshotLength <= 256 ? 102 : 256
    }

    /// The segment's connection bucket, 0..<256: the same for both directions, so every
    /// segment of a connection goes to the same thread.
    @inline(__always)
    static func bucket(_ segment: TCPSegment) -> Int {
        let addresses = segment.source.low ^ segment.source.high ^ segment.destination.low ^ segment.destination.high
        let ports = UInt64(segment.sourcePort ^ segment.destinationPort)
        // Fold the 64 bits to 8 with a multiply, so every address and port bit counts.
        return Int(truncatingIfNeeded: ((addresses ^ ports) &* 0x9E37_79B9_7F4A_7C15) >> 56)
    }
}
