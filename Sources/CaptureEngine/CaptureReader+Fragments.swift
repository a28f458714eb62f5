import Flows
import PcapKit
import Wire

/// The reader's IP fragments (`fragments`, a `FragmentTable`): a fragment of TCP is held
/// until its datagram is whole, then its segment is tracked as a decoded one is
/// (`trackDecoded`); what is still held at the end of an input is given up.
extension CaptureReader {
    /// Gives up the fragmented datagrams still being put together at the end of an input
    /// (`FragmentTable.flush`), tracking through `batch` the segments of those whose TCP
    /// header came.
    mutating func flushFragments(counts: inout PacketCounts, batch: SegmentBatch) {
        guard !fragments.isEmpty else { return }
        flushFragments(counts: &counts) { table, segment, payload, timestamp, wireLength in
            batch.add(segment, payload: payload, timestamp: timestamp, wireLength: wireLength, to: &table)
        } retract: { table, front in
            batch.retract(front, from: &table)
        }
    }

    /// `flushFragments` with the segments handed to `track`, as `consume` hands them.
    mutating func flushFragments(counts: inout PacketCounts,
                                 track: (inout FlowTable, TCPSegment, UnsafeRawBufferPointer, Int64, UInt32) -> Void,
                                 retract: (inout FlowTable, TCPSegment) -> Void) {
        // Taken out of self for the call, whose closures reach self's table (moved, not copied).
        var pending = fragments
        fragments = FragmentTable()
        defer { fragments = pending }
        let header = PacketHeader(timestamp: counts.latest, capturedLength: 0, wireLength: 0)
        pending.flush { segment, payload, timestamp, wireLength in
            trackDecoded(segment, payload: payload, at: timestamp, wireLength: wireLength, header: header,
                         bytes: UnsafeRawBufferPointer(start: nil, count: 0), decoder: nil, counts: &counts,
                         track: track, retract: retract)
        } skip: { reason, count in
            counts.skip(reason, count)
        }
    }

    /// A fragment of TCP into `fragments`; the segment of a datagram it completes (or of one
    /// given up to make room) is tracked as a decoded one is.
    @inline(never)
    mutating func join(_ fragment: IPFragment, _ header: PacketHeader, _ bytes: UnsafeRawBufferPointer,
                       decoder: PacketDecoder, counts: inout PacketCounts,
                       track: (inout FlowTable, TCPSegment, UnsafeRawBufferPointer, Int64, UInt32) -> Void,
                       retract: (inout FlowTable, TCPSegment) -> Void) {
        // Taken out of self for the call, whose closures reach self's table (moved, not copied).
        var pending = fragments
        fragments = FragmentTable()
        defer { fragments = pending }
        pending.add(fragment, packet: bytes, timestamp: header.timestamp, wireLength: header.believedWireLength) {
            segment, payload, timestamp, wireLength in
            trackDecoded(segment, payload: payload, at: timestamp, wireLength: wireLength, header: header,
                         bytes: bytes, decoder: decoder, counts: &counts, track: track, retract: retract)
        } skip: { reason, count in
            counts.skip(reason, count)
        }
    }
}
