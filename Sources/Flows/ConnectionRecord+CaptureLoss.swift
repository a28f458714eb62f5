import Protocols
import Wire

/// Capture loss from TCP itself: each side's sequence numbers followed against the bytes the
/// capture held of it (`sequenceBaseFromA`, `sequenceBaseFromB`), and the bytes an
/// acknowledgment says were sent beyond them (docs/design.md, "Capture loss, from TCP itself").
extension ConnectionRecord {
    /// How far an acknowledgment may pass where the other side's captured bytes reach
    /// (`sequenceBaseFromA`) without saying that the capture missed bytes: two sequence
    /// numbers. A FIN takes one and is no byte of payload; and a side first captured by a
    /// keep-alive probe, sent at the sequence number before the next, has its base one
    /// short.
    @inlinable static var acknowledgmentSlack: Int32 { 2 }

    /// Follows the sequence numbers of a segment travelling from a (`fromA`) or from b,
    /// after `add` counted it: sets its side's base (`sequenceBaseFromA`) at its first
    /// segment, and again at a SYN, which starts its sequence numbers (a 4-tuple reused at
    /// once can meet the connection before, whose numbers the side sent first); then returns how many bytes its acknowledgment number says the other side
    /// sent beyond those the capture held of it (more than `acknowledgmentSlack`), and 0
    /// almost always. Bytes a receiver acknowledged reached it: the capture lost their
    /// packets, the network did not (`noteMissed`). The captured bytes are counted, not
    /// their sequence numbers: a packet the capture lost between two it held leaves them
    /// short, whatever came after. Differences are of 32 bits, so sequence numbers that
    /// wrap past 2^32 change nothing.
    ///
    /// Nothing but lost bytes makes an acknowledgment pass them. Segments captured out of
    /// order count as in order; SACK blocks are not read (the acknowledgment number is
    /// what was received in order); a super-packet of TSO or GRO counts its whole length
    /// (the IP header's, or the wire's); a snapshot length that cut the payload changes
    /// nothing (the length is the IP header's, not the capture's); TCP Fast Open's data on
    /// a SYN counts as any payload. A retransmission captured counts its bytes twice, as
    /// does a keep-alive or window probe's byte: so the measure is a lower bound, which
    /// bytes sent again can hide, and never more than was lost. A side never captured (one
    /// direction only) has no base: nothing is compared. A RST is left out (its sequence
    /// number is not always the connection's: a refusal's is 0), and so is a damaged
    /// segment (`TCPSegment.checksumFailed`), whose numbers may be the damage.
    ///
    /// A connection picked up mid-stream may have been retransmitting when the capture
    /// began: a side's first segment captured is then bytes sent before it, and its base
    /// too low (the receiver, which already held the bytes after them, acknowledges them
    /// all at once). Until an acknowledgment of a base set so is captured
    /// (`unconfirmedBaseBit`), the first that passes where its side's bytes reach moves
    /// the base up to it rather than counting (`trackSequenceAtEdges`). So a loss in that
    /// short while, before the receiver's first acknowledgment after the capture began, is
    /// not counted: the bound stays a lower one.
    @inlinable @inline(__always)
    public mutating func trackSequence(_ segment: TCPSegment, fromA: Bool) -> UInt32 {
        // Almost every segment is an ACK without SYN or RST of a connection whose two bases
        // are set: one test of each, the rest out of line. Inlined whole, the tracking pushed
        // `FlowTable.addToUniqueStorage` out of the tracking loop (69 M instructions more per
        // million packets of the short shape).
        guard segment.flags.rawValue & (TCPFlags.syn.rawValue | TCPFlags.rst.rawValue | TCPFlags.ack.rawValue)
                == TCPFlags.ack.rawValue,
              sideMarks & (Self.bothSequences | Self.unconfirmedBaseBit) == Self.bothSequences, !segment.checksumFailed
        else { return trackSequenceAtEdges(segment, fromA: fromA) }
        let reached = fromA ? sequenceBaseFromB &+ UInt32(truncatingIfNeeded: payloadFromB)
            : sequenceBaseFromA &+ UInt32(truncatingIfNeeded: payloadFromA)
        guard Int32(bitPattern: segment.acknowledgmentNumber &- reached) > Self.acknowledgmentSlack else { return 0 }
        return noteMissed(acknowledgment: segment.acknowledgmentNumber, reached: reached, fromA: fromA)
    }

    @inlinable static var bothSequences: UInt8 { sequenceFromA | sequenceFromB }

    /// `trackSequence` of a segment off its common path: a side's first segment, a SYN, a
    /// RST, a segment without ACK, a damaged one, any segment while a base set mid-stream
    /// awaits its first acknowledgment (`unconfirmedBaseBit`). Out of line.
    @usableFromInline @inline(never)
    mutating func trackSequenceAtEdges(_ segment: TCPSegment, fromA: Bool) -> UInt32 {
        let flags = segment.flags
        guard !flags.contains(.rst) && !segment.checksumFailed else { return 0 }
        let ownMark = fromA ? Self.sequenceFromA : Self.sequenceFromB
        let otherMark = fromA ? Self.sequenceFromB : Self.sequenceFromA
        if sideMarks & ownMark == 0 || flags.contains(.syn) {
            let base = Self.base(of: segment, counted: fromA ? payloadFromA : payloadFromB)
            if fromA { sequenceBaseFromA = base } else { sequenceBaseFromB = base }
            sideMarks |= ownMark
            // A SYN starts the side's numbers: nothing before it can be resent.
            sideMarks = flags.contains(.syn) ? sideMarks & ~Self.unconfirmedBaseBit : sideMarks | Self.unconfirmedBaseBit
        }
        guard sideMarks & otherMark != 0 else { return 0 }
        let otherBase = fromA ? sequenceBaseFromB : sequenceBaseFromA
        let reached = otherBase &+ UInt32(truncatingIfNeeded: fromA ? payloadFromB : payloadFromA)
        guard flags.contains(.ack) else { return 0 }
        let beyond = Int32(bitPattern: segment.acknowledgmentNumber &- reached)
        if sideMarks & Self.unconfirmedBaseBit != 0 {
            guard !answersNoByteOfThis(fromA: fromA) else { return 0 }
            // Not yet past the base: a duplicate ACK, or one of bytes before the capture.
            guard Int32(bitPattern: segment.acknowledgmentNumber &- otherBase) > 0 else { return 0 }
            sideMarks &= ~Self.unconfirmedBaseBit
            if beyond > Self.acknowledgmentSlack {  // bytes sent before the capture began
                if fromA { sequenceBaseFromB &+= UInt32(bitPattern: beyond) } else { sequenceBaseFromA &+= UInt32(bitPattern: beyond) }
                return 0
            }
        }
        guard beyond > Self.acknowledgmentSlack else { return 0 }
        return noteMissed(acknowledgment: segment.acknowledgmentNumber, reached: reached, fromA: fromA)
    }

    /// A side's base at its first segment, whose payload `counted` already holds
    /// (`sequenceBaseFromA`): the sequence number after the segment (one more for a SYN),
    /// less every payload byte counted of the side.
    @inlinable
    static func base(of segment: TCPSegment, counted: UInt64) -> UInt32 {
        segment.sequenceNumber &+ (segment.flags.contains(.syn) ? 1 : 0) &+ segment.payloadLength
            &- UInt32(truncatingIfNeeded: counted)
    }

    /// Whether an acknowledgment from a (`fromA`) or b answers no byte of this connection:
    /// the server's before its SYN-ACK. A 4-tuple reused at once meets the server's socket
    /// of the connection before, whose challenge ACK (RFC 5961) acknowledges that
    /// connection's bytes.
    @usableFromInline
    func answersNoByteOfThis(fromA: Bool) -> Bool {
        guard let clientIsA else { return false }
        return fromA != clientIsA && !(fromA ? seenFromA : seenFromB).contains(.synAck)
    }

    /// An acknowledgment from a (`fromA`) or b of bytes the capture never held, beyond
    /// where the other side's captured bytes reach (`trackSequence`): marks the connection
    /// (`missedData`), moves the other side's base up by them, so that the same bytes are
    /// counted once, and returns how many they are. Out of line: it happens only where the
    /// capture lost packets.
    @usableFromInline @inline(never)
    mutating func noteMissed(acknowledgment: UInt32, reached: UInt32, fromA: Bool) -> UInt32 {
        if answersNoByteOfThis(fromA: fromA) { return 0 }
        missedData = true
        let missed = acknowledgment &- reached
        if fromA { sequenceBaseFromB &+= missed } else { sequenceBaseFromA &+= missed }
        return missed
    }
}
