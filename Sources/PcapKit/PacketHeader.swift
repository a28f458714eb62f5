/// The per-packet record header libpcap hands out with each packet.
public struct PacketHeader: Sendable {
    /// Capture time in nanoseconds since the Unix epoch (files are opened at nanosecond
    /// precision, so nanosecond captures keep their nanoseconds).
    public var timestamp: Int64
    /// Bytes present in the capture (`caplen`).
    public var capturedLength: UInt32
    /// Bytes the packet had on the wire (`len`).
    public var wireLength: UInt32
    /// The interface the packet came from, by its number in a pcapng file read in place
    /// (`readPcapngRecords`) or through its tap, counted over the file's sections (a later
    /// section's first interface comes after the earlier sections' last); nil where the
    /// input does not say (a pcap file, a live capture) or libpcap read the packet, which
    /// does not tell.
    public var interface: UInt32?

    /// The longest frame believed on the wire: 1 MiB, twice the largest packet a Linux host
    /// hands a capture (a BIG TCP GSO or GRO packet of up to 512 KiB; 64 KiB without BIG
    /// TCP). A record's header can claim any length up to 2^32 - 1, and 2.2 million
    /// records claiming 0xFFFFFFFF made one service of 9.4 PB, a count past 2^53 that JSON
    /// readers holding numbers as doubles (jq, JavaScript) misread.
    public static let longestBelievedWireLength: UInt32 = 1 << 20

    /// `wireLength`, or, where the record claims more than `longestBelievedWireLength`, not
    /// believed: the bytes it holds (`capturedLength`), as for a record that says nothing
    /// better. What services, connections and the direction rules count as bytes.
    @inlinable
    public var believedWireLength: UInt32 {
        wireLength <= Self.longestBelievedWireLength ? wireLength : capturedLength
    }

    public init(timestamp: Int64, capturedLength: UInt32, wireLength: UInt32, interface: UInt32? = nil) {
        self.timestamp = timestamp
        self.capturedLength = capturedLength
        self.wireLength = wireLength
        self.interface = interface
    }

    /// Nanoseconds since 1970 of `seconds` and `fraction` units of 1/`fractionScale` ns, as
    /// libpcap hands out a time (`ts.tv_sec`, `ts.tv_usec`). A time past what nanoseconds in
    /// 64 bits hold (years before 1677 or after 2262: a pcapng's 64-bit timestamps can say
    /// so) is pinned to the nearest end of the range instead of wrapping to an arbitrary time.
    @inlinable
    static func nanoseconds(seconds: Int64, fraction: Int64, fractionScale: Int64) -> Int64 {
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        let (time, overflowAgain) = scaled.addingReportingOverflow(fraction &* fractionScale)
        return !(overflow || overflowAgain) ? time : seconds < 0 ? Int64.min : Int64.max
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
