/// Which thread of a pipelined reader tracks an input's connections: the tracking thread
/// (`SegmentPipeline`) beside the reading one, or the reading thread itself.
public enum ReaderShare: Equatable, Sendable {
    /// The tracking thread tracks every connection; the reading thread reads and decodes.
    case trackingThreadTakesAll
    /// The reading thread tracks every connection and no tracking thread starts: the
    /// second core is left to the evidence hash.
    case readerKeepsAll

    /// The share for an input with packets of at most `snapshotLength` bytes.
    /// `hashedAlongside`: the input's evidence hash (`InputHashing`) runs beside the reading.
    ///
    /// Why: with whole packets the hash of a packet outweighs its reading, so the second
    /// core hashes and the reading thread tracks. With headers only (`tcpdump -s 96`,
    /// docs/inputs.md) the tracking thread takes every connection, and the hash runs on a
    /// thread of its own beside both. Keeping 40% of the connections
    /// on the reading thread, as before, left that thread the slowest on four of the five
    /// shapes of the benchmark and split a scan's clients over two budgets; the medians of
    /// seven interleaved runs are in docs/performance-log.md ("One table per input").
    public static func forInput(snapshotLength: Int, hashedAlongside: Bool) -> ReaderShare {
        hashedAlongside && snapshotLength > 256 ? .readerKeepsAll : .trackingThreadTakesAll
    }
}
