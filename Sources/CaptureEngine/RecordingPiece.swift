import Flows
import PcapKit
import Wire

/// An input as a possible piece of a longer recording (`tcpdump -C` writes `any.pcap`,
/// `any.pcap1`, ...): what the file after it must share for the memory of the packets
/// captured moments ago (`InterfaceCopies`, `SegmentedCopies`) to go on into it.
///
/// Why: on a host that routes or bridges, `tcpdump -i any` records a forwarded packet once
/// per interface it crossed, and the copy can land in the next file of a rotated set while
/// its original ends the file before. With a memory that started empty in each file, those
/// copies were counted again: seven `-C 2` files of forwarded traffic gave 1,983 segments,
/// the same packets in one file 1,861.
///
/// What must hold, since a copy is matched by a hash of its headers, its interface and its
/// time alone: the two files must be one recording cut in two, not two recordings that saw
/// the same packets (two nodes' captures of the traffic between them, given together, hold
/// the same segments on "other interfaces" at the same times). So the files must agree on
/// the link type, the snapshot length and the interfaces described before the first packet
/// (a pcapng's interface numbers then name the same interfaces), and the later one's
/// first packet must come no earlier than a unit of the memory's clock (about a
/// millisecond) before the earlier one's last, or than the recording so far has shown its
/// packets out of time order (`outOfOrder`), and no later than the copies' window after
/// it (`continues(at:)`, `InterfaceCopies.mayHoldCopies`): two captures made at the same time overlap in time and
/// fail it; pieces of one recording are back to back. A piece that ended with an error
/// (cut short) or without packets continues nothing.
///
/// Why the recording's own disorder: dumpcap capturing several interfaces writes each
/// one's buffer in turn, so a file of its ring (`-b packets:N`) begins up to some 0.25 s
/// before the one before it ends. Held to a millisecond, the memory of copies did not go on
/// into the next file, and the second interface's copy of each connection there was
/// counted again (a ring of 9 files: 41 connections, the same packets in one file 35).
struct RecordingPiece: Equatable, Sendable {
    let linkType: Int32
    let snapshotLength: Int32
    /// The interfaces a pcapng describes before its first packet (`CaptureFile.interfacesAtStart`).
    let interfaces: Int

    init(_ file: CaptureFile) {
        linkType = file.linkType
        snapshotLength = file.snapshotLength
        interfaces = file.interfacesAtStart
    }

    /// The end of a piece whose copies were looked for: what the next input is compared with.
    struct End: Sendable {
        let piece: RecordingPiece
        /// The time of its latest packet, in nanoseconds.
        let lastSeen: Int64
        /// The most its recording's packets came out of time order so far (nanoseconds, at
        /// most `TimeDisorder.largestDisorder`): this piece's and those it continued.
        let outOfOrder: Int64

        /// Whether an input of `next`'s kind may go on with this one's memories: told for
        /// sure by its first packet (`continues(at:)`).
        func mayContinue(into next: RecordingPiece) -> Bool { next == piece }

        /// Whether an input whose first packet came at `firstSeen` (nanoseconds) is the next
        /// piece of this one's recording: back to back with it in time.
        func continues(at firstSeen: Int64) -> Bool {
            if InterfaceCopies.mayHoldCopies(from: firstSeen, of: lastSeen) { return true }
            let (earlier, overflow) = lastSeen.subtractingReportingOverflow(firstSeen)
            return !overflow && earlier > 0 && earlier <= outOfOrder
        }
    }

    /// The runs of consecutive `paths` that may be pieces of one recording whose copies are
    /// looked for, in order, each to be read one file after another by one reader so that
    /// the memory of copies goes on (`ParallelReader`): regular files (standard input and
    /// FIFOs are read once, so not looked at before) of the same kind, captures on every
    /// interface, pcapngs of several, or any with `deduplicates`. Every other input is a
    /// run of its own.
    static func runs(of paths: [String], deduplicates: Bool) -> [Range<Int>] {
        var runs: [Range<Int>] = []
        var previous: RecordingPiece?
        for (index, path) in paths.enumerated() {
            let piece = Self.probe(path, deduplicates: deduplicates)
            if let piece, piece == previous, let last = runs.last {
                runs[runs.count - 1] = last.lowerBound..<(index + 1)
            } else {
                runs.append(index..<(index + 1))
            }
            previous = piece
        }
        return runs
    }

    /// The piece `path` is when it is a regular file whose copies would be looked for; nil
    /// otherwise (it then continues nothing and nothing continues it).
    private static func probe(_ path: String, deduplicates: Bool) -> RecordingPiece? {
        guard path != "-", FileVersion(path: path) != nil, let file = try? CaptureFile(path: path) else { return nil }
        let linkType = LinkType(rawValue: file.linkType)
        guard linkType.isSupported,
              PacketDecoder(linkType: linkType).capturesEveryInterface || deduplicates || file.interfacesAtStart > 1
        else { return nil }
        return RecordingPiece(file)
    }
}
