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
    /// `removed`: written captures removed while they were written, whose packets are lost:
    /// the input's note names them, and each says so beside its (missing) hash.
    ///
    /// A capture that lost packets says in the input's note that its pcapng captures
    /// (`recordsDrops`) record them, or that its pcap captures cannot (`unrecorded`), so an
    /// audit of those alone reads them as complete; so does one that failed before it was
    /// stopped, which no capture file records, and one whose captures hold the scrapes of
    /// dasaudit's own metrics endpoint (`own`), which such an audit judges as any port.
    public init(ofLive result: AuditResult, arguments: [String], auditedAt: Timestamp, written: [String],
                writeFailure: CaptureWriter.Failure? = nil, packetsWritten: UInt64 = 0, removed: [String] = [],
                own: [ServiceSummary] = [], recordsDrops: Bool = false) throws {
        var withoutInputs = result
        withoutInputs.inputs = []
        try self.init(of: withoutInputs, arguments: arguments, auditedAt: auditedAt)
        let captured = result.coverage.packets
        let note = if written.isEmpty {
            "a live capture: its packets were not kept (keep them with --write DIR)"
        } else if let writeFailure {
            "a live capture: only its first \(packetsWritten) of \(captured) packets are in the written captures, hashed in "
                + "written_captures (\(writeFailure))"
        } else if removed.isEmpty {
            "a live capture: its packets are in the written captures, hashed in written_captures"
        } else {
            "a live capture: its packets were written to the captures in written_captures"
        }
        let lost = removed.isEmpty ? "" : "; \(removed.count) of the \(written.count) written captures were removed during "
            + "the capture, with the packets written to them: \(removed.joined(separator: ", "))"
        inputs = result.inputs.map { input in
            let drops = input.drops?.total ?? 0
            let recorded = written.isEmpty || !recordsDrops || drops == 0 ? "" : "; the written captures record the \(drops) "
                + "packet\(drops == 1 ? "" : "s") it lost in their interface statistics, each those of its own time window, so an "
                + "audit of them counts them too"
            let unrecorded = written.isEmpty ? nil : Evidence.unrecorded(input, own: own, recordsDrops: recordsDrops).map { "; \($0)" }
            return InputEvidence(path: input.path, sha256: nil, sizeBytes: nil, note: note + lost + recorded + (unrecorded ?? ""))
        }
        var captures = written.map(InputEvidence.init(hashing:))
        for index in captures.indices where removed.contains(captures[index].path) {
            captures[index].note = "removed during the capture (its directory deleted?): the packets written to it are lost"
        }
        if let writeFailure, !captures.isEmpty {
            let cut = captures.lastIndex { $0.path == writeFailure.path }
            let stop = "the evidence stops at packet \(packetsWritten) of the \(captured) captured: \(writeFailure)"
            let index = cut ?? captures.count - 1
            captures[index].note = [captures[index].note, (cut == nil ? "whole, but " : "cut short: ") + stop]
                .compactMap { $0 }.joined(separator: "; ")
        }
        writtenCaptures = captures
    }

    /// What the written captures of a live input cannot tell an audit of them, or nil when
    /// nothing: the packets the capture lost ("the capture lost 20730 packets (kernel 20730,
    /// interface 0), which no written capture holds; a pcap file cannot record it: an audit
    /// of the written captures alone reads them as complete, without the packets-dropped
    /// finding"), unless they are pcapng captures that record them (`recordsDrops`); the
    /// failure that ended it, and the scrapes of dasaudit's own endpoints (`own`) they hold.
    /// Also said on standard error at the end of the run.
    public static func unrecorded(_ input: InputSummary, own: [ServiceSummary] = [], recordsDrops: Bool = false) -> String? {
        let drops = recordsDrops ? Drops(kernel: 0, interface: 0) : input.drops ?? Drops(kernel: 0, interface: 0)
        var facts: [String] = []
        if drops.total > 0 {
            facts.append("the capture lost \(drops.total) packet\(drops.total == 1 ? "" : "s") (kernel \(drops.kernel), "
                         + "interface \(drops.interface)), which no written capture holds")
        }
        if let error = input.error { facts.append("it ended on a failure (\(error))") }
        let findings = [drops.total > 0 ? "packets-dropped" : nil, input.error != nil ? "incomplete-input" : nil].compactMap { $0 }
        let lost = facts.isEmpty ? nil : facts.joined(separator: ", and ") + "; \(recordsDrops ? "a capture" : "a pcap") file cannot record "
            + "\(facts.count == 1 ? "it" : "either"): an audit of the written captures alone reads them as complete, without the "
            + "\(findings.joined(separator: " and ")) finding\(findings.count == 1 ? "" : "s")"
        let ports = Array(Set(own.map(\.port))).sorted()
        let scrapes = own.isEmpty ? nil : "the written captures hold the scrapes of dasaudit's own metrics endpoint ("
            + own.map { endpointText($0.address, $0.port) }.joined(separator: ", ") + "), which an audit of them judges as any "
            + "port: give it " + ports.map { "--allow '\($0):dasaudit metrics'" }.joined(separator: " ")
        let notes = [lost, scrapes].compactMap { $0 }
        return notes.isEmpty ? nil : notes.joined(separator: "; ")
    }
}
