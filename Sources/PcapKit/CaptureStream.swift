import CPcap
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import PathBytes

/// One input opened as a stream of capture bytes for libpcap (`pcap_fopen_offline`): a
/// file or standard input (`-`), recognised by its first bytes, and decompressed on the
/// way when it is gzip, zstd, xz or bzip2.
///
/// A file is sniffed with `pread`, so libpcap reads it in place from its first byte. An
/// input that cannot seek back (a pipe, a FIFO, `<(...)`) has its first bytes given back
/// by `PrefixReplay`. Inputs that are not captures are refused here with a message that
/// says what they are.
@usableFromInline
final class CaptureStream {
    /// The capture bytes (decompressed), for `pcap_fopen_offline`; whoever it is handed to
    /// closes it (`pcap_close` does).
    @usableFromInline let file: UnsafeMutablePointer<FILE>
    /// What follows the pcapng blocks of a stream that is not a regular file read as it is
    /// (a pipe, standard input, a decompressed stream); nil for those.
    let tap: PcapngBlockTap?
    /// The decompressor child, for compressed inputs.
    let decompressor: Decompressor?
    /// `file`'s buffer, freed after whoever closes `file` has (when this goes).
    private let buffer: StreamBuffer
    /// The first bytes of a capture that is not decompressed (a file, a pipe, standard
    /// input), whose records `PcapRecordFormat` may then read in place; nil for a
    /// compressed input, whose decompressed first bytes are not looked at.
    let capturePrefix: [UInt8]?
    /// The first bytes of a capture read once (standard input, a FIFO; not compressed), read
    /// ahead for its sample (`LookAhead`); nil for other inputs.
    private(set) var lookAhead: [UInt8]?
    /// The file as it was opened, for a regular file (compressed or not); nil otherwise.
    let version: FileVersion?
    /// Where the capture starts in a regular file that is not decompressed (0, unless
    /// standard input was left further on); nil otherwise. Such a stream can be read
    /// again with `pread` and repositioned with `fseeko`.
    let startOffset: Int64?

    /// Opens `path` ("-" for standard input). Throws the reason it is not usable.
    init(path: String) throws(InputProblem) {
        if path == "-" && StandardStreams.inputClosed { throw InputProblem(reason: StandardStreams.inputClosedReason) }
        // Standard input is duplicated, so closing the stream never closes descriptor 0.
        let descriptor = path == "-" ? fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 0) : Self.openInput(path)
        guard descriptor >= 0 else { throw InputProblem(reason: POSIXFile.describe(errno)) }
        // The descriptor this initializer still owns; nil once it is handed on.
        var source: Int32? = descriptor
        defer { if let source { close(source) } }

        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw InputProblem(reason: POSIXFile.describe(errno)) }
        let version = FileVersion(status)
        if (status.st_mode & S_IFMT) == S_IFDIR {
            let captures = CaptureInputs.listing(of: path)?.captures.count ?? 0
            throw InputProblem(reason: captures == 0
                ? "is a directory with no capture files in it"
                : "is a directory: read its \(captures) capture files through CaptureInputs")
        }
        // A regular file is sniffed without moving its offset; anything else gives up the
        // bytes it was asked for, and they must be replayed.
        let start = (status.st_mode & S_IFMT) == S_IFREG ? lseek(descriptor, 0, SEEK_CUR) : -1
        let prefix: [UInt8]
        if start >= 0 {
            var bytes = [UInt8](repeating: 0, count: InputKind.prefixLength)
            let got = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, start) }
            guard got >= 0 else { throw InputProblem(reason: POSIXFile.describe(errno)) }
            prefix = Array(bytes.prefix(got))
        } else {
            // A writer that has sent nothing yet (tcpdump's header still in its buffer) is
            // waited for as the rest of the stream will be: until a stop of the reading.
            guard InputStop.awaitInput(on: descriptor, graceful: true) else {
                throw InputProblem(reason: "not read: \(InputStop.signal ?? "a signal") stopped the reading before its first bytes came")
            }
            prefix = POSIXFile.read(descriptor, upTo: InputKind.prefixLength)
        }
        let kind = InputKind(prefix: prefix)
        if let problem = kind.problem { throw InputProblem(reason: problem) }

        // A capture read once is read ahead, for its sample (`LookAhead`): its bytes, given
        // back with the sniffed prefix, or those its decompressor gives, which the tap hands
        // out before reading on.
        var lookAhead = start < 0 && kind == .capture ? prefix + LookAhead.bytes(of: descriptor) : nil
        if start < 0 {
            source = try Self.replay(lookAhead ?? prefix, then: descriptor)
        }
        var decompressor: Decompressor?
        if case .compressed(let compression) = kind {
            let started = try Decompressor(compression, input: source!)
            close(source!)  // the child has its own copy
            source = started.output
            decompressor = started
            if start < 0 { lookAhead = LookAhead.bytes(of: started.output) }
        }
        // A regular file is read in place or by libpcap from its descriptor; any other
        // stream, through a tap that follows its pcapng blocks (`PcapngBlockTap`).
        let file: UnsafeMutablePointer<FILE>
        if start >= 0 && decompressor == nil {
            guard let opened = fdopen(source!, "rb") else { throw InputProblem(reason: POSIXFile.describe(errno)) }
            (file, tap) = (opened, nil)
        } else {
            let readAhead = decompressor != nil ? lookAhead ?? [] : []
            guard let tapped = PcapngBlockTap.stream(reading: source!, waitsForWriter: start < 0, readAhead: readAhead) else {
                throw InputProblem(reason: POSIXFile.describe(errno))
            }
            (file, tap) = tapped
        }
        source = nil  // the FILE owns it
        // A 256 KiB buffer: reads of a page each with stdio's default one, a system call per
        // 4 KiB (for pipes, at most a page per read), and 260,000 of them for a 1 GB file.
        // Unlocked: libpcap calls fread twice per packet, and the lock glibc takes in a
        // multithreaded process cost a tenth of the audit (measured, docs/performance.md).
        buffer = StreamBuffer(for: file, size: Self.bufferSize)
        cpcap_unlocked_stream(file)
        self.file = file
        self.decompressor = decompressor
        self.capturePrefix = kind == .capture ? prefix : nil
        self.lookAhead = lookAhead
        self.version = version
        self.startOffset = start >= 0 && kind == .capture ? Int64(start) : nil
    }

    /// A pipe that gives `bytes`, already read from `source`, then the rest of `source`
    /// (`PrefixReplay`), whose thread then owns `source`.
    private static func replay(_ bytes: [UInt8], then source: Int32) throws(InputProblem) -> Int32 {
        guard let replay = PrefixReplay.pipe(prefix: bytes, then: source) else {
            throw InputProblem(reason: "cannot create a pipe to read it through: \(POSIXFile.describe(errno))")
        }
        return replay
    }

    /// Opens `path` to read it. A FIFO is opened without waiting for a writer (`O_NONBLOCK`,
    /// cleared at once so that it is read as a blocking pipe): its writer is then waited for
    /// as its first bytes are, until a stop of the reading (`InputStop.awaitInput`). Opened
    /// as usual, a FIFO with no writer yet blocked in `open`, and the first Ctrl-C did
    /// nothing. (On Linux a FIFO that never had a writer is not at its end: poll waits.)
    private static func openInput(_ path: String) -> Int32 {
        var status = stat()
        let isFIFO = stat(path.fileSystemPath, &status) == 0 && (status.st_mode & S_IFMT) == S_IFIFO
        let descriptor = open(path.fileSystemPath, O_RDONLY | O_CLOEXEC | (isFIFO ? O_NONBLOCK : 0))
        if isFIFO && descriptor >= 0 { _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) & ~O_NONBLOCK) }
        return descriptor
    }

    /// The size of `file`'s stdio buffer (`StreamBuffer`): glibc reads whole multiples of it
    /// straight into the caller's memory (`RecordWindow.refill`).
    static let bufferSize = 1 << 18

    /// The bytes read ahead (`lookAhead`), handed over once: the stream keeps none of them.
    func takeLookAhead() -> [UInt8]? {
        defer { lookAhead = nil }
        return lookAhead
    }

    /// "gzip-compressed" and the like, to qualify libpcap's messages about the stream.
    var origin: String? { decompressor.map { "\($0.compression.rawValue)-compressed" } }
}
