import Wire

/// Anything that takes TCP segments one at a time, in capture order: the connection table
/// (Flows' `FlowTable`) or a capture file (`CaptureSegmentSink`). `ConnectionScripter`
/// drives one with `ConnectionScript`'s packet sequences, so tests that feed segments
/// straight into the table and the captures `dasaudit-gen` writes come from one generator.
public protocol SegmentSink {
    /// Takes `segment`, captured at `timestamp` (nanoseconds since 1970) in a frame of
    /// `wireLength` bytes.
    mutating func add(_ segment: TCPSegment, timestamp: Int64, wireLength: UInt32)
}
