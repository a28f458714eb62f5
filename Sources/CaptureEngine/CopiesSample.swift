import Flows
import PcapKit
import Wire

/// The copies among an input's first TCP segments: what tells a file that holds every
/// packet twice without naming two interfaces (`mergecap` of two capture points' files of
/// the same traffic, `editcap -F pcap` of a pcapng of several interfaces), whose copies
/// are then looked for over the whole input as `--deduplicate` looks for them
/// (docs/inputs.md, "Files that hold every packet twice").
///
/// Why a sample: looking for copies hashes every packet, 18.6% more of the reading
/// thread's instructions, on every capture, almost none of which holds copies. Reading the
/// first `segmentLimit` segments of the file a second time, before the input is read, costs
/// the same whatever the capture's length, and changes nothing unless the sample holds
/// copies. Read before, not during, the input: so that the sample's own copies are
/// dropped too (a capture of a few thousand packets is all sample).
///
/// The signature, the window (67 ms) and the memory are `InterfaceCopies`'s where packets
/// name no interface. A retransmission that kept its identification and TCP timestamp
/// (one sent within the millisecond, over IPv6 or with IPv4 identification 0) is the one
/// other thing taken for a copy: 2 of the 1,701 segments of
/// `captures/retransmissions-veth.pcap` (0.12%), none in any other bundled capture whose
/// packets name no interface, where a file of every packet twice has one segment in two a
/// copy (`mergecap` of `both-ends-a.pcap` and `-b.pcap`: 257 of 514). Only a share of copies
/// past `threshold` turns the looking on.
struct CopiesSample {
    /// The segments a sample reads at most: some four seconds of a busy node's traffic.
    static let segmentLimit = 4096
    /// The packets a sample reads at most, for a capture whose packets are mostly not TCP.
    static let packetLimit = 65_536
    /// The share of copies among the sampled segments from which the input is taken for one
    /// that holds copies: an eighth, a hundred times the most a bundled capture without
    /// copies shows (0.12%) and a quarter of what a file of every packet twice shows (50%).
    static let threshold = (copies: 1, per: 8)
    /// The copies a sample must hold at least, so that a capture of a few segments is not
    /// decided by one retransmission.
    static let fewestCopies = 4

    var segments = 0
    var copies = 0

    /// Whether the sampled segments show an input that holds copies.
    var holdsCopies: Bool {
        copies >= Self.fewestCopies && copies * Self.threshold.per >= segments * Self.threshold.copies
    }

    /// The copies among the first segments of the capture file at `path`, read through
    /// `filter` and decoded by `decoder`; nil when the file cannot be read again (the input
    /// then reads as before).
    static func of(path: String, filter: String?, decoder: PacketDecoder) -> CopiesSample? {
        guard let file = try? CaptureFile(path: path) else { return nil }
        if let filter { guard (try? file.setFilter(filter)) != nil else { return nil } }
        var sample = CopiesSample()
        var memory = InterfaceCopies(for: decoder, everyLinkType: true)
        var packets = 0
        _ = file.forEachPacket { header, bytes in
            packets += 1
            let uncaptured = Int(header.believedWireLength) &- bytes.count
            if case .segment(let segment) = decoder.decode(bytes, uncaptured: uncaptured) {
                sample.segments += 1
                if memory.isCopy(segment, in: bytes, interface: nil, at: header.timestamp) { sample.copies += 1 }
            }
            if sample.segments >= segmentLimit || packets >= packetLimit { file.breakLoop() }
        }
        return sample
    }
}
