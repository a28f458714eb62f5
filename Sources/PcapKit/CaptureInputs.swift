import Foundation

/// The capture files that command-line arguments stand for, in the order to read them as
/// one capture:
///
/// - a file, or `-` for standard input, is itself;
/// - a directory stands for the capture files directly inside it (not its subdirectories
///   or hidden files), in natural order (`NaturalOrder`). A file is a capture file when
///   its first bytes are those of a pcap, a pcapng, or a gzip/zstd/xz/bzip2 stream; the
///   others are listed in `skipped`. A directory without any is kept as it is, so reading
///   it reports the problem;
/// - files are read in the order given, except a rotated set given in a glob's order:
///   consecutive file arguments whose names differ only in their numbers and compression
///   suffix (`tcpdump -C`: `dump.pcap`, `dump.pcap1.gz`, ...; `tcpdump -G`: strftime names),
///   sorted as text as a shell's glob sorts them (`GlobOrder`), are put in natural order.
///   In any other order they are the user's (`ls -tr` for a wrapped ring), and kept.
public struct CaptureInputs: Sendable, Equatable {
    /// The inputs to read, in order.
    public private(set) var paths: [String] = []
    /// Files inside the given directories that were left out: not captures.
    public private(set) var skipped: [String] = []

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

    /// The capture files and the other entries directly inside `directory`, each in
    /// natural order; nil when `directory` is not a directory that can be listed.
    public static func listing(of directory: String) -> (captures: [String], others: [String])? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue,
              let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return nil }
        var captures: [String] = [], others: [String] = []
        for name in names.sorted(by: NaturalOrder.precedes) where !name.hasPrefix(".") {
            let path = (directory as NSString).appendingPathComponent(name)
            if isCaptureFile(path) { captures.append(path) } else { others.append(path) }
        }
        return (captures, others)
    }

    /// Whether `path` is a regular file (or a link to one) that starts like a capture.
    static func isCaptureFile(_ path: String) -> Bool {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: (path as NSString).resolvingSymlinksInPath),
              attributes[.type] as? FileAttributeType == .typeRegular,
              let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let prefix = (try? handle.read(upToCount: InputKind.prefixLength)) ?? nil
        return InputKind(prefix: Array(prefix ?? Data())).isCaptureOrCompressed
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
