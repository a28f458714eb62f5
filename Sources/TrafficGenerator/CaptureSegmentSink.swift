import PcapKit
import Wire

/// The capture-writing path as a `SegmentSink`: each segment becomes one Ethernet frame
/// (`FrameBuilder`: real headers and checksums, a zero payload of the segment's length)
/// written to `writer`. The frame's own length is its wire length; the one given is not used.
public final class CaptureSegmentSink: SegmentSink {
    private var frames: FrameBuilder
    private let writer: CaptureWriter

    /// Writes to `writer`, keeping the first `snaplen` bytes of each frame (0: all).
    public init(writer: CaptureWriter, snaplen: Int = 0) {
        frames = FrameBuilder(snaplen: snaplen)
        self.writer = writer
    }

    public func add(_ segment: TCPSegment, timestamp: Int64, wireLength: UInt32) {
        frames.write(to: writer, time: timestamp, source: HostAddress(segment.source), sourcePort: segment.sourcePort,
                     destination: HostAddress(segment.destination), destinationPort: segment.destinationPort,
                     flags: segment.flags.rawValue, sequence: segment.sequenceNumber,
                     acknowledgement: segment.acknowledgmentNumber, payload: Int(segment.payloadLength),
                     start: UnsafeRawBufferPointer(start: nil, count: 0))
    }
}

extension HostAddress {
    /// `address` as a generated host's address (IPv4-mapped addresses as IPv4).
    init(_ address: IPAddress) {
        isIPv6 = !address.isIPv4
        high = address.high
        low = address.low
    }
}
