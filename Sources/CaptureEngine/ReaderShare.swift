/// Which of one input's connections the reading thread of a pipelined reader tracks
/// itself, in a table of its own, while the tracking thread (`SegmentPipeline`) takes the
/// rest (`TrackingSplit` chooses).
public enum ReaderShare: Equatable, Sendable {
    /// The tracking thread tracks every connection: it has the second core to itself.
    case trackingThreadTakesAll
    /// The reading thread tracks the connections of the first `readerBuckets` of the 256
    /// buckets (`TrackingSplit.bucket`), 1...255; the tracking thread the others.
    case split(readerBuckets: UInt8)
    /// The reading thread tracks every connection and no tracking thread starts: the
    /// second core is left to the evidence hash.
    case readerKeepsAll

    /// The buckets of 256 the reading thread keeps: 0 ... 256.
    var bucketsKept: Int {
        switch self {
        case .trackingThreadTakesAll: 0
        case .split(let readerBuckets): Int(readerBuckets)
        case .readerKeepsAll: 256
        }
    }
}
