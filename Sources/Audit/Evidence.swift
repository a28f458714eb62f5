import Crypto
import Foundation
import PathBytes

/// Where a result's numbers came from, so that a reader can check them rather than trust
/// them: the command line that produced it, when it ran, a digest of the policy it
/// applied, and the SHA-256 and size of every input file.
///
/// The rest of the evidence is already in the result and is not repeated here: the tool
/// version is `tool.version`, and each input's link type, packet count and capture window
/// are in `inputs`, in the same order as `Evidence.inputs`.
public struct Evidence: Codable, Sendable {
    /// The command line, arguments as given; the program is named `dasaudit` whatever
    /// path it was started by, so the same audit gives the same evidence.
    public var commandLine: [String]
    /// SHA-256 (lowercase hex) of the canonical JSON of the result's `policy` section:
    /// keys sorted, no whitespace (`ResultCoding.encoder(canonical: true)`), `ignored_keys`
    /// null (`PolicySummary.sha256`).
    public var policySha256: String
    /// One entry per input, in the order of the result's `inputs`.
    public var inputs: [InputEvidence]
    /// The capture files a live run wrote (`dasaudit live --write`), in the order written:
    /// the raw packets of a capture that is not itself a file. Null for an audit of files.
    @Nullable public var writtenCaptures: [InputEvidence]? = nil
    /// The BPF filter the packets were read or captured through (`--filter`); null: every packet.
    @Nullable public var captureFilter: String? = nil
    /// When the audit ran, by the wall clock of the machine that ran it (UTC, to the
    /// second; `AuditClock`): the time its waivers were judged at, which a capture's own
    /// timestamps are not. Null in results made before it was recorded.
    @Nullable public var auditedAt: Timestamp? = nil

    public init(commandLine: [String], policySha256: String, inputs: [InputEvidence], auditedAt: Timestamp? = nil) {
        self.commandLine = commandLine.map(Self.recordable)
        self.policySha256 = policySha256
        self.inputs = inputs
        self.auditedAt = auditedAt
    }

    /// The fingerprint of one input.
    public struct InputEvidence: Codable, Sendable {
        public var path: String
        /// SHA-256 (lowercase hex) of the file's bytes; nil for standard input (its bytes
        /// are gone once read) or a file that could not be read again.
        @Nullable public var sha256: String?
        /// The number of bytes hashed.
        @Nullable public var sizeBytes: UInt64?
        /// Why there is no hash, when there is none.
        @Nullable public var note: String?

        public init(path: String, sha256: String?, sizeBytes: UInt64?, note: String?) {
            self.path = path
            self.sha256 = sha256
            self.sizeBytes = sizeBytes
            self.note = note
        }
    }
}

extension Evidence {
    /// The longest command-line argument a result records and reads back, in bytes of
    /// UTF-8: 16 KiB, as a finding's text (`Finding.longestText`). Every report prints the
    /// command line; without a bound a result read back could carry megabytes there.
    public static let longestArgument = Finding.longestText

    /// The longest BPF filter an audit takes and a result read back holds in
    /// `capture_filter`, in bytes of UTF-8: 128 KiB, the longest single argument Linux
    /// passes to a program (`MAX_ARG_STRLEN`), so no `--filter` on Linux is longer. A filter
    /// naming a thousand hosts is about 20 KB and is kept whole (the command line keeps its
    /// first 16 KiB); the bound keeps what a result read back may put into every report
    /// finite.
    public static let longestCaptureFilter = 128 << 10

    /// `argument`, or, when it is longer than `longestArgument`, its first part and how long
    /// it was, within that bound: "tcp port 1 or ... [cut: 20480 bytes]". Only a very long
    /// BPF filter gets here, and `capture_filter` keeps it whole.
    static func recordable(_ argument: String) -> String {
        let length = argument.utf8.count
        guard length > longestArgument else { return argument }
        let mark = " [cut: \(length) bytes]"
        var kept = String.UnicodeScalarView(), room = longestArgument - mark.utf8.count
        for scalar in argument.unicodeScalars {
            room -= UTF8.width(scalar)
            guard room >= 0 else { break }
            kept.append(scalar)
        }
        return String(kept) + mark
    }

    /// Collects the evidence of `result`: digests its policy section and takes each input's
    /// hash from `hashed` (`InputHashing`, alongside the audit; `size_bytes` says how much of
    /// a file still growing was hashed), or hashes it now, reading it again.
    /// `auditedAt`: when the audit ran (`Auditor.auditTime`).
    public init(of result: AuditResult, arguments: [String], auditedAt: Timestamp,
                hashed: [String: InputEvidence] = [:]) throws {
        self.init(commandLine: ["dasaudit"] + arguments,
                  policySha256: try result.policy.sha256(),
                  inputs: result.inputs.map { hashed[$0.path] ?? InputEvidence(hashing: $0.path) },
                  auditedAt: auditedAt)
    }
}

extension Evidence.InputEvidence {
    /// Hashes the file at `path` in 1 MiB reads; "-" (standard input), pipes, FIFOs and
    /// devices are not hashed.
    public init(hashing path: String) {
        guard path != "-" else {
            self.init(path: path, sha256: nil, sizeBytes: nil,
                      note: "standard input is read once and not kept: hash the capture before piping it")
            return
        }
        // A FIFO or `<(...)` is read once, by the audit: reading it here would steal its packets.
        var status = stat()
        if stat(path.fileSystemPath, &status) == 0 && (status.st_mode & S_IFMT) != S_IFREG {
            self.init(path: path, sha256: nil, sizeBytes: nil,
                      note: "not a regular file (a pipe, FIFO or device) is read once and not kept: hash the capture itself")
            return
        }
        do {
            // Opened by its bytes (`PathBytes`): a URL would spell a name that is not UTF-8 otherwise.
            let descriptor = open(path.fileSystemPath, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else {
                self.init(path: path, sha256: nil, sizeBytes: nil,
                          note: "\(path) could not be read for hashing: \(String(cString: strerror(errno)))")
                return
            }
            let file = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
            defer { try? file.close() }
            var hash = SHA256()
            var size: UInt64 = 0
            while let chunk = try file.read(upToCount: 1 << 20), !chunk.isEmpty {
                hash.update(data: chunk)
                size += UInt64(chunk.count)
            }
            self.init(path: path, sha256: hash.finalize().hexDigest, sizeBytes: size, note: nil)
        } catch {
            self.init(path: path, sha256: nil, sizeBytes: nil,
                      note: "\(path) could not be read for hashing: \((error as NSError).localizedDescription)")
        }
    }
}

extension Digest {
    /// The digest as lowercase hex, as `sha256sum` prints it.
    public var hexDigest: String { map { String(format: "%02x", $0) }.joined() }
}
