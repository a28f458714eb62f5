/// How far one input has been read.
public struct ReadProgress: Sendable {
    public var path: String
    public var packets: UInt64
    /// Bytes of the file read so far, and its size; nil where unknown (standard input,
    /// a compressed input's stream).
    public var bytesRead: Int64?
    public var totalBytes: Int64?
    /// True for the last report of an input.
    public var finished: Bool
}
