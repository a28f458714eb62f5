/// Multipath TCP (RFC 8684): whether a SYN or SYN-ACK opens a subflow that joins a
/// connection already open, rather than a connection of its own.
///
/// An MPTCP connection (`IPPROTO_MPTCP` sockets, `mptcpize run`) is one TCP connection on
/// the wire at first; each further path (another address of the client, or one the server
/// announced) is a TCP connection of its own whose SYN and SYN-ACK carry the MP_JOIN
/// option, and which carries the bytes of the connection from wherever the scheduler
/// hands it a share. Its first payload is the middle of the stream (of a TLS record, say),
/// not the start of anything: what a connection picked up mid-stream shows.
extension TCPHeader {
    /// The MPTCP option's kind (RFC 8684, section 3; IANA "TCP Option Kind Numbers").
    @inlinable static var multipathOptionKind: UInt8 { 30 }
    /// MP_JOIN's subtype, in the high four bits of the option's third byte.
    @inlinable static var multipathJoinSubtype: UInt8 { 1 }

    /// Whether the captured options hold an MPTCP MP_JOIN option. The options are walked
    /// as RFC 9293 lays them out (End, NOP, then kind and length); a length under 2 or past
    /// the captured bytes ends the walk, so a malformed list costs at most 40 steps and
    /// reads nothing outside it. Read for SYNs only, out of the packet loop's inlined path.
    /// Walked in the header's bytes, between the fixed header and `optionsEnd`: through a
    /// buffer of the options alone (`options`, out of line) it cost a SYN a third more.
    @inline(never)
    public var joinsMultipathConnection: Bool {
        let end = optionsEnd
        var offset = Self.minimumHeaderLength
        while offset < end {
            let kind = bytes[offset]
            if kind == 0 { return false }
            if kind == 1 { offset &+= 1; continue }
            guard offset &+ 1 < end else { return false }
            let length = Int(bytes[offset &+ 1])
            guard length >= 2, offset &+ length <= end else { return false }
            if kind == Self.multipathOptionKind && length >= 3
                && bytes[offset &+ 2] >> 4 == Self.multipathJoinSubtype {
                return true
            }
            offset &+= length
        }
        return false
    }
}
