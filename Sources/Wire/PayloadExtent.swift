/// How many bytes follow a point inside an IP packet, by the capture and by the IP header's
/// length fields, so that a header which does not fit gets the right reason:
///
/// - it runs past what the IP length fields declare: the lengths contradict each other,
///   `.malformed` (or `.fragment` in a first fragment, whose headers may legitimately be
///   split across fragments);
/// - it fits in the declared length but the capture ends first (snaplen): `.truncated`
///   (TCP's options excepted: `overrun` alone is asked of them, `PacketDecoder.decodeTCP`).
///
/// When the IP length field is 0 (TSO/LSO captures, IPv6 jumbograms) the declared length
/// falls back to the bytes the packet held from this point: those captured and those the
/// capture did not keep (`uncaptured`, from the record's wire length), and every shortfall
/// is `.truncated`.
@frozen
@usableFromInline
struct PayloadExtent {
    /// Bytes captured from this point on.
    @usableFromInline var captured: Int
    /// Bytes the IP length fields say follow this point (the captured and uncaptured bytes
    /// when the IP length field was 0).
    @usableFromInline var declared: Int
    /// Whether `declared` came from an IP length field (rather than from the capture).
    @usableFromInline var declaredByHeader: Bool
    /// Whether the packet is a first fragment (MF set, offset 0).
    @usableFromInline var moreFragments: Bool
    /// Whether the IP header carries what a TCP stack sets on every segment of a connection
    /// and a raw-socket scanner's probes do not (`TCPSegment.looksHandMade`): in IPv4 Don't
    /// Fragment (path MTU discovery: Linux, Windows and macOS by default), in IPv6 a flow
    /// label other than 0 (RFC 6437: Linux, Windows, macOS and FreeBSD label each
    /// connection; nmap's and scapy's IPv6 probes carry 0).
    @usableFromInline var markedByStack: Bool

    @inlinable
    init(captured: Int, declaredLength: Int?, uncaptured: Int = 0, moreFragments: Bool = false, markedByStack: Bool = false) {
        self.captured = captured
        self.declared = declaredLength ?? captured &+ uncaptured
        self.declaredByHeader = declaredLength != nil
        self.moreFragments = moreFragments
        self.markedByStack = markedByStack
    }

    /// Why `length` bytes from this point cannot be read as a header, or nil when they can.
    @inlinable
    func shortfall(_ length: Int) -> SkipReason? {
        if let reason = overrun(length) { return reason }
        return length > captured ? .truncated : nil
    }

    /// Why `length` bytes from this point cannot be there by the IP length fields, or nil
    /// when they fit: `shortfall` without the capture, for a header whose fixed part is all
    /// that is read (TCP's options).
    @inlinable
    func overrun(_ length: Int) -> SkipReason? {
        declaredByHeader && length > declared ? (moreFragments ? .fragment : .malformed) : nil
    }

    /// Moves the point past a header of `length` bytes that `shortfall` accepted.
    @inlinable
    mutating func advance(by length: Int) {
        captured &-= length
        declared &-= length
    }
}
