/// The per-packet record header libpcap hands out with each packet.
public struct PacketHeader: Sendable {
    /// Capture time in nanoseconds since the Unix epoch (files are opened at nanosecond
    /// precision, so nanosecond captures keep their nanoseconds).
    public var timestamp: Int64
    /// Bytes present in the capture (`caplen`).
    public var capturedLength: UInt32
    /// Bytes the packet had on the wire (`len`).
    public var wireLength: UInt32

    public init(timestamp: Int64, capturedLength: UInt32, wireLength: UInt32) {
        self.timestamp = timestamp
        self.capturedLength = capturedLength
        self.wireLength = wireLength
    }
}

/// How a read loop ended.
public enum ReadEnd: Equatable, Sendable {
    /// Every packet of the input was read.
    case endOfInput
    /// `breakLoop()` stopped the loop (Ctrl-C, a packet limit).
    case interrupted
    /// libpcap reported an error: for a file, usually a capture cut short mid-packet.
    /// The packets delivered before it are valid.
    case failed(reason: String)
}
