#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import PathBytes

/// The capture files that command-line arguments stand for, in the order to read them as
/// one capture:
///
/// - a file, or `-` for standard input, is itself;
/// - a directory stands for the capture files directly inside it (not its subdirectories
///   or hidden files), in natural order (`NaturalOrder`). A file is an input when its
///   first bytes are those of a pcap, a pcapng, or a gzip/zstd/xz/bzip2 stream; when they
///   are those of a compression dasaudit does not read (`UnreadCompression`: lz4, zip,
///   ...) or its name is a capture's (`CaptureName`), as it then most likely holds one, and
///   when it cannot be opened or read: those are inputs whose reading says what is wrong
///   (an error; the audit is incomplete), never files left out. The others are listed in
///   `skipped`, each with its reason. A directory without any input is kept as it is, so
///   reading it reports the problem. Names are kept byte for byte (`PathBytes`), so a name
///   that is not UTF-8 is read like any other;
/// - files are read in the order given, except a rotated set given in a glob's order:
///   consecutive file arguments whose names differ only in their numbers and compression
///   suffix (`tcpdump -C`: `dump.pcap`, `dump.pcap1.gz`, ...; `tcpdump -G`: strftime names),
///   sorted as text as a shell's glob sorts them (`GlobOrder`), are put in natural order.
///   In any other order they are the user's (`ls -tr` for a wrapped ring), and kept.
public struct CaptureInputs: Sendable, Equatable {
    /// An entry of a directory left out, and why.
    public struct Skipped: Sendable, Equatable {
        public let path: String
        /// Why it is not an input: "a directory (subdirectories are not read)", "empty
        /// file (0 bytes): not a capture", ...
        public let reason: String
        /// Whether the entry is a subdirectory.
        public var isDirectory: Bool { reason == CaptureInputs.directoryReason }
    }

    /// Why a subdirectory is skipped.
    static let directoryReason = "a directory (subdirectories are not read)"

    /// The inputs to read, in order.
    public private(set) var paths: [String] = []
    /// Entries inside the given directories that were left out: not captures.
    public private(set) var skipped: [Skipped] = []

    public init(arguments: [String]) {
        var files: [String] = []
        for argument in arguments {
            if argument != "-", let listing = CaptureInputs.listing(of: argument) {
                paths += CaptureInputs.rotatedSetsInOrder(files)
                files = []
                paths += listing.captures.isEmpty ? [argument] : listing.captures
                skipped += listing.others
            } else {
                files.append(argument)
            }
        }
        paths += CaptureInputs.rotatedSetsInOrder(files)
    }

    /// The inputs and the other entries directly inside `directory` (hidden ones aside),
    /// each in natural order; nil when `directory` is not a directory that can be listed.
    public static func listing(of directory: String) -> (captures: [String], others: [Skipped])? {
        var status = stat()
        guard stat(directory.fileSystemPath, &status) == 0, status.st_mode & S_IFMT == S_IFDIR,
              let names = entryNames(in: directory) else { return nil }
        var captures: [String] = [], others: [Skipped] = []
        for name in names.sorted(by: NaturalOrder.precedes) where !name.hasPrefix(".") {
            let path = PathName.joined(directory, name)
            if let reason = reasonToSkip(path, name: name) {
                others.append(Skipped(path: path, reason: reason))
            } else {
                captures.append(path)
            }
        }
        return (captures, others)
    }

    /// The names in `directory` as `readdir` gives them, byte for byte (`FileManager`
    /// replaces bytes that are not UTF-8 with U+FFFD, a name no file has); nil when it
    /// cannot be opened or its listing fails part way (an I/O error): a part of a listing
    /// would leave the rest out unnoticed, and the directory is then an input whose
    /// reading fails.
    static func entryNames(in directory: String) -> [String]? {
        guard let stream = opendir(directory.fileSystemPath) else { return nil }
        defer { closedir(stream) }
        var names: [String] = []
        while true {
            errno = 0
            guard let entry = readdir(stream) else { break }
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(pathCString: raw.baseAddress!.assumingMemoryBound(to: CChar.self))
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return errno == 0 ? names : nil
    }

    /// Why the entry at `path` is not an input, or nil when it is one. Only what cannot
    /// hold a capture dasaudit would read is skipped: a subdirectory, a FIFO, socket or
    /// device (a FIFO would be waited on), a file too short for a capture's header or
    /// whose bytes start no capture and whose name is not a capture's. A file that cannot
    /// be looked at, opened or read is an input, so its reading names the problem.
    static func reasonToSkip(_ path: String, name: String) -> String? {
        var status = stat()
        guard stat(path.fileSystemPath, &status) == 0 else { return nil }
        switch status.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: return directoryReason
        default: return "not a regular file (a FIFO, socket or device)"
        }
        let descriptor = open(path.fileSystemPath, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var prefix = [UInt8](repeating: 0, count: InputKind.prefixLength)
        let got = prefix.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, 0) }
        guard got >= 0 else { return nil }
        let kind = InputKind(prefix: Array(prefix.prefix(got)))
        if case .unknown = kind { return CaptureName.isCapture(name) ? nil : "not a capture file" }
        return kind.isDirectoryInput ? nil : kind.problem
    }

    /// `files` with each run of consecutive names of the same shape that is in a glob's
    /// order put in natural order.
    static func rotatedSetsInOrder(_ files: [String]) -> [String] {
        var result: [String] = []
        var run: [String] = []
        for file in files {
            if let first = run.first, file == "-" || first == "-" || NaturalOrder.shape(first) != NaturalOrder.shape(file) {
                result += inReadingOrder(run)
                run = []
            }
            run.append(file)
        }
        return result + inReadingOrder(run)
    }

    /// One rotated set's files: a glob's order is the shell's, not the user's, and not the
    /// order they were written in.
    private static func inReadingOrder(_ run: [String]) -> [String] {
        GlobOrder.holds(run) ? run.sorted(by: NaturalOrder.precedes) : run
    }
}
