import Audit
import Flows
import PcapKit
import Wire

/// What an input's first TCP segments tell about the whole file, read before the input:
///
/// - **copies**: whether the file holds every packet twice without naming two interfaces
///   (`mergecap` of two capture points' files of the same traffic, `editcap -F pcap` of a
///   pcapng of several interfaces), whose copies are then looked for over the whole input
///   as `--deduplicate` looks for them (docs/inputs.md, "Files that hold every packet twice");
/// - **checksums**: whether its TCP checksums were computed over the bytes it holds. An
///   anonymized or rewritten capture (addresses or ports changed without their sums) has a
///   wrong sum on nearly every segment; set aside as damaged (`TCPSegment.checksumFailed`),
///   its connections and services would vanish and the audit would judge nothing. Damage
///   on a link is rare (a link that damaged 1% of its frames barely carries TCP), so a share
///   of wrong sums past `WrongChecksums.threshold` is no damage: the input's checksums are
///   not judged (docs/inputs.md, "Rewritten captures").
///
/// Why a sample: looking for copies hashes every packet, 18.6% more of the reading
/// thread's instructions, on every capture, almost none of which holds copies; and the
/// checksums must be told before the first segment is set aside. Reading the first
/// `segmentLimit` segments of the file a second time, before the input is read, costs the
/// same whatever the capture's length, and changes nothing unless the sample says so. Read
/// before, not during, the input: so that the sample's own copies are dropped too, and its
/// own segments tracked (a capture of a few thousand packets is all sample).
///
/// The copies' signature, window (67 ms) and memory are `InterfaceCopies`'s where packets
/// name no interface. A retransmission that kept its identification and TCP timestamp
/// (one sent within the millisecond, over IPv6 or with IPv4 identification 0) is the one
/// other thing taken for a copy: 2 of the 1,701 segments of
/// `captures/retransmissions-veth.pcap` (0.12%), none in any other bundled capture whose
/// packets name no interface, where a file of every packet twice has one segment in two a
/// copy (`mergecap` of `both-ends-a.pcap` and `-b.pcap`: 257 of 514). Only a share of copies
/// past `copiesThreshold` turns the looking on.
struct InputSample {
    /// The segments a sample reads at most: some four seconds of a busy node's traffic.
    static let segmentLimit = Int(WrongChecksums.mostJudged)
    /// The packets a sample reads at most, for a capture whose packets are mostly not TCP.
    static let packetLimit = 65_536
    /// The share of copies among the sampled segments from which the input is taken for one
    /// that holds copies: an eighth, a hundred times the most a bundled capture without
    /// copies shows (0.12%) and a quarter of what a file of every packet twice shows (50%).
    static let copiesThreshold = (copies: 1, per: 8)
    /// The copies a sample must hold at least, so that a capture of a few segments is not
    /// decided by one retransmission.
    static let fewestCopies = 4
    var segments = 0
    var copies = 0
    /// The sampled segments whose sum was judged (`TCPSegment.checksumIsWrong`), and those
    /// of them whose sum was wrong.
    var judgedChecksums = 0
    var wrongChecksums = 0

    /// Whether the sampled segments show an input that holds copies.
    var holdsCopies: Bool {
        copies >= Self.fewestCopies && copies * Self.copiesThreshold.per >= segments * Self.copiesThreshold.copies
    }

    /// Whether the sampled segments show an input whose TCP checksums were not computed over
    /// its bytes.
    var checksumsNotComputed: Bool {
        WrongChecksums.tooManyForDamage(wrong: wrongChecksums, judged: judgedChecksums)
    }

    /// The first segments of the capture file at `path`, read through `filter` and decoded
    /// by `decoder`, with their copies counted only when `countingCopies`; nil when the file
    /// cannot be read again (the input then reads as before).
    static func of(path: String, filter: String?, decoder: PacketDecoder, countingCopies: Bool) -> InputSample? {
        guard let file = try? CaptureFile(path: path) else { return nil }
        if let filter { guard (try? file.setFilter(filter)) != nil else { return nil } }
        var sampler = Sampler(decoder: decoder, countingCopies: countingCopies)
        _ = file.forEachPacket { header, bytes in
            if !sampler.take(header, bytes) { file.breakLoop() }
        }
        return sampler.sample
    }

    /// The same sample of the first bytes of a capture read once (`CaptureFile.takeLookAhead`:
    /// standard input, a FIFO); nil when they cannot be read.
    static func of(bytes: [UInt8], filter: String?, decoder: PacketDecoder, countingCopies: Bool) -> InputSample? {
        var sampler = Sampler(decoder: decoder, countingCopies: countingCopies)
        guard CapturedBytes.forEachPacket(in: bytes, filter: filter, { sampler.take($0, $1) }) else { return nil }
        return sampler.sample
    }

    /// A sample being taken, a packet at a time.
    private struct Sampler {
        let decoder: PacketDecoder
        let countingCopies: Bool
        var sample = InputSample()
        var memory: InterfaceCopies
        var packets = 0

        init(decoder: PacketDecoder, countingCopies: Bool) {
            self.decoder = decoder
            self.countingCopies = countingCopies
            memory = InterfaceCopies(for: decoder, everyLinkType: true)
        }

        /// Takes one packet into the sample; false once the sample is whole.
        mutating func take(_ header: PacketHeader, _ bytes: UnsafeRawBufferPointer) -> Bool {
            packets += 1
            let uncaptured = Int(header.believedWireLength) &- bytes.count
            if case .segment(let segment) = decoder.decode(bytes, uncaptured: uncaptured) {
                sample.segments += 1
                if countingCopies && memory.isCopy(segment, in: bytes, interface: nil, at: header.timestamp) {
                    sample.copies += 1
                }
                if let wrong = segment.checksumIsWrong(in: bytes) {
                    sample.judgedChecksums += 1
                    if wrong { sample.wrongChecksums += 1 }
                }
            }
            return sample.segments < segmentLimit && packets < packetLimit
        }
    }
}
