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
/// - consecutive file arguments whose names differ only in their numbers form a rotated
///   set (`tcpdump -C`: `dump.pcap`, `dump.pcap1`, ...; `tcpdump -G`: strftime names) and
///   are put in natural order, whatever order the shell's glob gave them. Other files keep
///   the order they were given in.
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

    /// `files` with each run of consecutive names of the same shape in natural order.
    static func rotatedSetsInOrder(_ files: [String]) -> [String] {
        var result: [String] = []
        var run: [String] = []
        for file in files {
            if let first = run.first, file == "-" || first == "-" || NaturalOrder.shape(first) != NaturalOrder.shape(file) {
                result += run.sorted(by: NaturalOrder.precedes)
                run = []
            }
            run.append(file)
        }
        return result + run.sorted(by: NaturalOrder.precedes)
    }
}
