import CPcap
#if canImport(Glibc)
import Glibc
#endif

/// The pcapng blocks of a stream libpcap reads that dasaudit cannot read in place (a pipe,
/// standard input, a decompressed stream), followed as the bytes pass on their way to
/// libpcap (`PcapngBlockFollower`): the interface each packet block names.
///
/// Why: libpcap never says which interface a pcapng packet came from, and that is what tells
/// a packet captured again on another interface from a retransmission (`InterfaceCopies`).
/// A file read in place knows it from its blocks (`readPcapngRecords`); through this tap, the
/// same capture piped or compressed does too, and audits the same.
///
/// The stream libpcap reads is a `fopencookie` stream whose reads come through `read(into:)`;
/// `ftello` on it gives where libpcap stands: after `pcap_next_ex`, the end of the block of
/// the packet it returned.
final class PcapngBlockTap {
    private let descriptor: Int32
    /// What the bytes read so far hold. Unchecked: only the thread that reads the stream
    /// touches it, once a packet.
    @exclusivity(unchecked) private(set) var follower = PcapngBlockFollower()
    /// Bytes read ahead of the stream (`lookAhead`), handed out before any more are read.
    private var ahead: [UInt8] = []
    private var aheadServed = 0

    /// Whether a stop of the reading (`InputStop`) waits for the writer's last bytes: a pipe
    /// or FIFO, not the decompressor of a file.
    private let waitsForWriter: Bool
    /// Set when a stop of the reading ended the stream before its writer did (`InputStop`):
    /// the input is cut there, whatever libpcap made of its end.
    private(set) var cutByStop = false

    private init(descriptor: Int32, waitsForWriter: Bool, readAhead: [UInt8]) {
        self.descriptor = descriptor
        self.waitsForWriter = waitsForWriter
        ahead = readAhead
        readAhead.withUnsafeBytes { follower.follow($0) }
    }

    /// A stream of `descriptor`'s bytes through a new tap, which closes the descriptor when
    /// the stream is closed; nil (the descriptor still the caller's) when none can be made.
    /// `waitsForWriter`: a stop of the reading waits a moment for the writer's last bytes
    /// (`InputStop.pipeGraceSeconds`). `readAhead`: bytes the caller already read from the
    /// descriptor (`LookAhead`), handed out first.
    static func stream(reading descriptor: Int32, waitsForWriter: Bool,
                       readAhead: [UInt8] = []) -> (stream: UnsafeMutablePointer<FILE>, tap: PcapngBlockTap)? {
        let tap = PcapngBlockTap(descriptor: descriptor, waitsForWriter: waitsForWriter, readAhead: readAhead)
        let cookie = Unmanaged.passRetained(tap).toOpaque()
        var functions = cpcap_cookie_functions()
        functions.read = { cookie, buffer, size in
            Unmanaged<PcapngBlockTap>.fromOpaque(cookie!).takeUnretainedValue()
                .read(into: UnsafeMutableRawBufferPointer(start: buffer, count: size))
        }
        // Only where a pcapng stream stands (`ftello`): it cannot move, and any other stream
        // says it has no position, as a pipe does.
        functions.seek = { cookie, offset, whence in
            let tap = Unmanaged<PcapngBlockTap>.fromOpaque(cookie!).takeUnretainedValue()
            guard whence == SEEK_CUR, let offset, offset.pointee == 0, tap.follower.isPcapng else {
                errno = ESPIPE
                return -1
            }
            offset.pointee = tap.streamPosition
            return 0
        }
        functions.close = { cookie in
            close(Unmanaged<PcapngBlockTap>.fromOpaque(cookie!).takeRetainedValue().descriptor)
        }
        guard let stream = cpcap_fopencookie(cookie, "rb", functions) else {
            Unmanaged<PcapngBlockTap>.fromOpaque(cookie).release()
            return nil
        }
        return (stream, tap)
    }

    /// The stream's position: the bytes handed to it so far.
    var streamPosition: Int64 { follower.position - Int64(ahead.count - aheadServed) }

    /// Fills `buffer` with the stream's next bytes, following the blocks they hold: what was
    /// read ahead first, then the descriptor's. The count, 0 at the end, -1 on an error (errno).
    func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        if aheadServed < ahead.count {
            let count = min(buffer.count, ahead.count - aheadServed)
            ahead.withUnsafeBytes {
                buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[aheadServed..<(aheadServed + count)]))
            }
            aheadServed += count
            if aheadServed == ahead.count { (ahead, aheadServed) = ([], 0) }
            return count
        }
        let got = readDescriptor(into: buffer)
        if got > 0 { follower.follow(UnsafeRawBufferPointer(rebasing: buffer[..<got])) }
        if got == 0 { follower.finish() }
        return got
    }

    /// Reads ahead of the stream, up to 64 KiB, until the first packet block's header has
    /// passed (or the stream ended): how many interfaces a capture describes before its
    /// packets is then known (`follower.interfacesBeforeFirstPacket`).
    func lookAhead() {
        var chunk = [UInt8](repeating: 0, count: 4_096)
        while follower.isPcapng, follower.isFollowing, !follower.sawPacket, ahead.count < 1 << 16 {
            let got = chunk.withUnsafeMutableBytes { readDescriptor(into: $0) }
            guard got > 0 else {
                if got == 0 { follower.finish() }
                return
            }
            ahead += chunk[..<got]
            chunk.withUnsafeBytes { follower.follow(UnsafeRawBufferPointer(rebasing: $0[..<got])) }
        }
    }

    /// The interface of the packet libpcap has just returned: without its filter, the next
    /// packet block's; with one, which may have passed some by, that of the block ending
    /// where libpcap stands (`file`'s position).
    func interfaceOfPacketJustRead(filtered: Bool, file: UnsafeMutablePointer<FILE>) -> UInt32? {
        filtered ? follower.interface(ofPacketEndingAt: Int64(ftello(file))) : follower.interfaceOfNextPacket()
    }

    /// Reads what the descriptor has, waiting for it as long as the reading is not stopped
    /// (`InputStop`): then the stream ends here, said by `cutByStop`.
    private func readDescriptor(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        guard !cutByStop else { return 0 }
        while true {
            guard InputStop.awaitInput(on: descriptor, graceful: waitsForWriter) else {
                cutByStop = true
                return 0
            }
            let got = Glibc.read(descriptor, buffer.baseAddress, buffer.count)
            if got >= 0 || errno != EINTR { return got }
        }
    }
}
