import Audit

extension Evidence {
    /// The evidence of a live audit: the command line and the policy digest as for files,
    /// a note in place of a hash for the live input (there is no file to hash), and the
    /// files `--write` kept, hashed after they were closed.
    public init(ofLive result: AuditResult, arguments: [String], auditedAt: Timestamp, written: [String]) throws {
        var withoutInputs = result
        withoutInputs.inputs = []
        try self.init(of: withoutInputs, arguments: arguments, auditedAt: auditedAt)
        let note = written.isEmpty
            ? "a live capture: its packets were not kept (keep them with --write DIR)"
            : "a live capture: its packets are in the written captures, hashed in written_captures"
        inputs = result.inputs.map { InputEvidence(path: $0.path, sha256: nil, sizeBytes: nil, note: note) }
        writtenCaptures = written.map(InputEvidence.init(hashing:))
    }
}
