import Audit
import PcapKit

extension Evidence {
    /// The evidence of a live audit: the command line and the policy digest as for files,
    /// a note in place of a hash for the live input (there is no file to hash), and the
    /// files `--write` kept, hashed after they were closed.
    ///
    /// `writeFailure`: the write that failed (a full disk), after which no packet was kept:
    /// the input's note then says how many of its packets the written captures hold, and the
    /// capture the failure cut (or, when the next one could not be created, the last one
    /// written) says where the evidence stops and why, beside its hash.
    public init(ofLive result: AuditResult, arguments: [String], auditedAt: Timestamp, written: [String],
                writeFailure: CaptureWriter.Failure? = nil, packetsWritten: UInt64 = 0) throws {
        var withoutInputs = result
        withoutInputs.inputs = []
        try self.init(of: withoutInputs, arguments: arguments, auditedAt: auditedAt)
        let captured = result.coverage.packets
        let note = if written.isEmpty {
            "a live capture: its packets were not kept (keep them with --write DIR)"
        } else if let writeFailure {
            "a live capture: only its first \(packetsWritten) of \(captured) packets are in the written captures, hashed in "
                + "written_captures (\(writeFailure))"
        } else {
            "a live capture: its packets are in the written captures, hashed in written_captures"
        }
        inputs = result.inputs.map { InputEvidence(path: $0.path, sha256: nil, sizeBytes: nil, note: note) }
        var captures = written.map(InputEvidence.init(hashing:))
        if let writeFailure, !captures.isEmpty {
            let cut = captures.lastIndex { $0.path == writeFailure.path }
            let stop = "the evidence stops at packet \(packetsWritten) of the \(captured) captured: \(writeFailure)"
            let index = cut ?? captures.count - 1
            captures[index].note = [captures[index].note, (cut == nil ? "whole, but " : "cut short: ") + stop]
                .compactMap { $0 }.joined(separator: "; ")
        }
        writtenCaptures = captures
    }
}
