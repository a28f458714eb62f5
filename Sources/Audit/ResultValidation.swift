import Foundation
import PathBytes
import Policy
import Protocols
import Wire

/// A result read back from JSON (`merge`, `render`) is outside input: a file anyone could
/// have written. Decoding checks each value's type; this checks what the types cannot:
/// counts of at most 2^63 (so that sums of a few cannot leave 64 bits unnoticed), no
/// negative count, first times not after last ones, a capture window a double can hold,
/// SHA-256 digests as 64 lowercase hex digits, addresses that parse (of connections,
/// services, attempts, scans and unresolved connections), VLAN ids of 12 bits,
/// snapshot lengths libpcap could apply (1-262,144), an audit time not before 1970, no more
/// connections counted low than connections, waivers with a reason (one line, not blank)
/// and an expiry date in 2000-2999, finding messages and remediations of at most 16 KiB
/// (`Finding.longestText`), input paths of at most 4096 bytes (`InputSummary.longestPath`),
/// command-line arguments of at most 16 KiB (`Evidence.longestArgument`), a capture filter
/// of at most 128 KiB (`Evidence.longestCaptureFilter`), a
/// `summary.compliant` that is the findings' verdict under `summary.fail_on`, and no
/// server endpoint or finding listed twice (`validateNoDuplicates`).
/// Timestamps are checked as they are decoded (`Timestamp(parsing:)`: real calendar
/// fields, within 1677-2262). Before decoding, the JSON text itself is checked for what
/// other readers would read another way (`UnambiguousJSON`: a key given twice, an
/// unpaired surrogate). The first problem is reported with the field's path, as
/// in the JSON: `services[3].packets: 18446744073709551615 is above 2^63`.
public struct ResultValidationError: Error, LocalizedError, CustomStringConvertible, Equatable {
    /// The field, as a path into the JSON (`services[3].packets`).
    public var path: String
    public var problem: String

    public var description: String { path.isEmpty ? problem : "\(path): \(problem)" }
    public var errorDescription: String? { description }
}

extension Finding {
    /// The longest message or remediation a result read back may hold, in bytes of UTF-8:
    /// 16 KiB, four times the longest path Linux takes (an input's path is the longest part
    /// of any message an audit writes), so that a report that lists findings has a bound
    /// (`JUnitReport.listedFindingBytes`).
    public static let longestText = 16_384
}

extension InputSummary {
    /// The longest input path a result read back may hold, in bytes as the file system has
    /// them (`PathBytes`): 4096, Linux's `PATH_MAX`, the longest path `open` takes. A path
    /// is printed in every report's inputs table and in messages; without a bound a result
    /// could carry megabytes there.
    public static let longestPath = 4096

    /// Why `path` (an input's, or an evidence file's) is longer than any path an audit
    /// reads, or nil when it is not.
    static func pathLengthProblem(_ path: String) -> String? {
        let length = PathBytes.bytes(path).count
        return length > longestPath ? "\(length) bytes long, longer than any path Linux opens (PATH_MAX, \(longestPath) bytes)" : nil
    }
}

extension AuditResult {
    /// The largest count a result may carry: 2^63.
    public static let maximumCount: UInt64 = 1 << 63

    /// Reads a result from JSON and checks it as a whole (`validate`); every problem, of
    /// the JSON or of a value, is a `ResultValidationError` naming the field.
    public static func decode(from data: Data) throws -> AuditResult {
        // A key given twice, or a text other JSON readers read otherwise, first.
        try UnambiguousJSON.check(data)
        let result: AuditResult
        do {
            result = try NumberCheckingDecoder.decode(AuditResult.self, from: data, with: ResultCoding.decoder())
        } catch let error as DecodingError {
            throw ResultValidationError(decoding: error)
        }
        try result.validate()
        return result
    }

    /// Throws the first value no audit could have written.
    public func validate() throws {
        let check = ValueCheck()
        if schema != AuditResult.schemaName {
            throw ResultValidationError(path: "schema", problem: "'\(schema)' is not \(AuditResult.schemaName)")
        }
        for (index, input) in inputs.enumerated() {
            let path = "inputs[\(index)]"
            if let problem = InputSummary.pathLengthProblem(input.path) {
                throw ResultValidationError(path: path + ".path", problem: problem)
            }
            try check.counts(path, ["packets": input.packets, "tcp_segments": input.tcpSegments,
                                    "wire_lengths_not_believed": input.wireLengthsNotBelieved ?? 0])
            if (input.wireLengthsNotBelieved ?? 0) > input.packets {
                throw ResultValidationError(path: path + ".wire_lengths_not_believed",
                                            problem: "\(input.wireLengthsNotBelieved ?? 0) is more than the input's \(input.packets) packets")
            }
            try check.counts(path + ".skipped", input.skipped)
            if let found = input.duplicatesFoundBySample, found > input.skipped["duplicate"] ?? 0 {
                throw ResultValidationError(path: path + ".duplicates_found_by_sample",
                                            problem: "\(found) is more than the input's \(input.skipped["duplicate"] ?? 0) duplicate packets")
            }
            if let problem = input.checksumsNotJudged?.problem(badChecksums: input.skipped["bad-checksum"]) {
                throw ResultValidationError(path: path + ".checksums_not_judged", problem: problem)
            }
            try check.counts(path + ".tunneled", input.tunneled ?? [:])
            try check.counts(path + ".translated", input.translated ?? [:])
            try check.translationNames(path + ".translated", input.translated)
            try check.udp(path + ".udp", input.udp)
            try check.window(path, input.firstSeen, input.lastSeen, names: ("first_seen", "last_seen"))
            if let drops = input.drops { try check.counts(path + ".drops", ["kernel": drops.kernel, "interface": drops.interface]) }
            if let snaplen = input.snaplen, !(1...InputSummary.largestSnaplen).contains(snaplen) {
                throw ResultValidationError(path: path + ".snaplen",
                                            problem: "\(snaplen) is not a snapshot length (1-\(InputSummary.largestSnaplen))")
            }
            if let steps = input.clockStepsBack { try check.counts(path, ["clock_steps_back": steps]) }
            if let seconds = input.outOfOrderSeconds, !(0...1).contains(seconds) {
                throw ResultValidationError(path: path + ".out_of_order_seconds",
                                            problem: "\(seconds) is not a disorder of packet times (0-1 s)")
            }
        }
        try check.counts("coverage", ["packets": coverage.packets, "tcp_segments": coverage.tcpSegments])
        try check.counts("coverage.skipped", coverage.skipped)
        try check.counts("coverage.tunneled", coverage.tunneled ?? [:])
        try check.counts("coverage.translated", coverage.translated ?? [:])
        try check.translationNames("coverage.translated", coverage.translated)
        try check.udp("coverage.udp", coverage.udp)
        try check.window("coverage", coverage.captureStart, coverage.captureEnd, names: ("capture_start", "capture_end"))
        // The longest window 64-bit nanoseconds allow is 2^64 ns, about 1.8e10 s.
        if !(coverage.durationSeconds.isFinite && (0...18_446_744_074).contains(coverage.durationSeconds)) {
            throw ResultValidationError(path: "coverage.duration_seconds",
                                        problem: "\(coverage.durationSeconds) is not a duration between 0 and 2^64 ns")
        }
        try check.nonNegative("coverage", ["connections": coverage.connections, "unresolved_not_listed": coverage.unresolvedNotListed])
        if let drops = coverage.drops { try check.counts("coverage.drops", ["kernel": drops.kernel, "interface": drops.interface]) }
        try check.counts("coverage", ["connects_cut_by_end": coverage.connectsCutByEnd ?? 0,
                                      "clock_steps_back": coverage.clockStepsBack ?? 0,
                                      "lone_resets": coverage.loneResets ?? 0,
                                      "connections_with_missed_data": coverage.connectionsWithMissedData ?? 0,
                                      "missed_bytes": coverage.missedBytes ?? 0])
        // Connections of the audit or the merge, so never more than it counted.
        for (name, count) in [("connections_counted_low", coverage.connectionsCountedLow),
                              ("connections_seen_one_way", coverage.connectionsSeenOneWay),
                              ("connections_with_missed_data", coverage.connectionsWithMissedData)] {
            if let count, count > UInt64(max(coverage.connections, 0)) {
                throw ResultValidationError(path: "coverage.\(name)",
                                            problem: "\(count) is more than the \(coverage.connections) connections")
            }
        }
        for (index, service) in services.enumerated() {
            let path = "services[\(index)]"
            try check.counts(path, ["connections": service.connections, "packets": service.packets, "bytes": service.bytes,
                                    "payload_bytes": service.payloadBytes])
            try check.counts(path + ".direction_basis", service.directionBasis)
            try check.counts(path + ".states", service.states)
            try check.nonNegative(path, ["clients": service.clients])
            try check.window(path, service.firstSeen, service.lastSeen, names: ("first_seen", "last_seen"))
            try check.address(path + ".address", service.address)
            try check.protocolName(path + ".protocol", service.protocol)
            for name in (service.protocols ?? [:]).keys.sorted() { try check.protocolName(path + ".protocols", name) }
            for (version, name) in (service.tlsVersions ?? []).enumerated() {
                try check.tlsVersion("\(path).tls_versions[\(version)]", name)
            }
        }
        for (index, attempt) in attempts.enumerated() {
            let path = "attempts[\(index)]"
            try check.counts(path, ["refused": attempt.refused, "unanswered": attempt.unanswered])
            // Of its unanswered connects, so never more (a report would show a negative remainder).
            if let cut = attempt.cutByEnd, cut > attempt.unanswered {
                throw ResultValidationError(path: path + ".cut_by_end",
                                            problem: "\(cut) is more than the \(attempt.unanswered) unanswered connects")
            }
            try check.nonNegative(path, ["clients": attempt.clients])
            try check.window(path, attempt.firstSeen, attempt.lastSeen, names: ("first_seen", "last_seen"))
            try check.address(path + ".address", attempt.address)
        }
        for (index, scan) in (scans ?? []).enumerated() {
            let path = "scans[\(index)]"
            try check.counts(path, ["refused": scan.refused, "unanswered": scan.unanswered])
            try check.nonNegative(path, ["ports": scan.ports, "probes": scan.probes, "shared_probes": scan.sharedProbes])
            try check.window(path, scan.firstSeen, scan.lastSeen, names: ("first_seen", "last_seen"))
            try check.address(path + ".scanner", scan.scanner)
            for (target, address) in scan.targets.enumerated() { try check.address("\(path).targets[\(target)]", address) }
        }
        for (index, connection) in unresolved.enumerated() {
            let path = "unresolved[\(index)]"
            try check.counts(path, ["packets": connection.packets, "bytes": connection.bytes])
            try check.address(path + ".address_a", connection.addressA)
            try check.address(path + ".address_b", connection.addressB)
        }
        try check.nonNegative("summary", ["services": summary.services, "attempts": summary.attempts,
                                          "unresolved": summary.unresolved, "unused_openings": summary.unusedOpenings,
                                          "waived": summary.waived])
        try check.nonNegative("summary.classifications", summary.classifications)
        try check.nonNegative("summary.findings", summary.findings)
        // The verdict is the findings' under the threshold (`Finding.fails`): a result whose
        // `compliant` says otherwise was edited, and no report may show it green (or red).
        let failing = findings.filter { $0.fails(under: summary.failOn) }.count
        if summary.compliant != (failing == 0) {
            throw ResultValidationError(
                path: "summary.compliant",
                problem: "\(summary.compliant) disagrees with the findings: \(failing) of them fail at --fail-on "
                    + "\(summary.failOn.rawValue), so the audit is \(failing == 0 ? "" : "not ")compliant")
        }
        // Waivers as a policy file must state them (`PolicyFile`): a reason that is one line
        // and not blank, an expiry date within `Waiver.expiryYears`.
        for (index, finding) in findings.enumerated() {
            for (name, text) in [("message", finding.message), ("remediation", finding.remediation)]
            where text.utf8.count > Finding.longestText {
                throw ResultValidationError(path: "findings[\(index)].\(name)", problem: "\(text.utf8.count) bytes long, "
                    + "longer than any finding's text (at most \(Finding.longestText) bytes of UTF-8)")
            }
            guard let waiver = finding.waiver else { continue }
            try check.waiver("findings[\(index)].waiver", reason: waiver.reason, expires: waiver.expires)
        }
        for (index, waiver) in policy.waivers.enumerated() {
            try check.waiver("policy.waivers[\(index)]", reason: waiver.reason, expires: waiver.expires)
        }
        if let evidence {
            try check.digest("evidence.policy_sha256", evidence.policySha256)
            for (index, argument) in evidence.commandLine.enumerated() where argument.utf8.count > Evidence.longestArgument {
                throw ResultValidationError(path: "evidence.command_line[\(index)]", problem: "\(argument.utf8.count) bytes long, "
                    + "longer than any argument a result records (at most \(Evidence.longestArgument) bytes of UTF-8)")
            }
            if let filter = evidence.captureFilter, filter.utf8.count > Evidence.longestCaptureFilter {
                throw ResultValidationError(path: "evidence.capture_filter", problem: "\(filter.utf8.count) bytes long, "
                    + "longer than any capture filter an audit takes (at most \(Evidence.longestCaptureFilter) bytes of UTF-8)")
            }
            if let auditedAt = evidence.auditedAt, auditedAt < .epoch {
                throw ResultValidationError(path: "evidence.audited_at",
                                            problem: "\(auditedAt) is before 1970: no audit ran then")
            }
            for (name, files) in [("inputs", evidence.inputs), ("written_captures", evidence.writtenCaptures ?? [])] {
                for (index, file) in files.enumerated() {
                    let path = "evidence.\(name)[\(index)]"
                    if let problem = InputSummary.pathLengthProblem(file.path) {
                        throw ResultValidationError(path: path + ".path", problem: problem)
                    }
                    if let sha256 = file.sha256 { try check.digest(path + ".sha256", sha256) }
                    if let size = file.sizeBytes { try check.counts(path, ["size_bytes": size]) }
                }
            }
        }
        for (index, entry) in (connections ?? []).enumerated() {
            let path = "connections[\(index)]"
            try check.counts(path, [
                "packets_to_server": entry.packetsToServer, "packets_to_client": entry.packetsToClient,
                "bytes_to_server": entry.bytesToServer, "bytes_to_client": entry.bytesToClient,
                "payload_bytes_to_server": entry.payloadBytesToServer, "payload_bytes_to_client": entry.payloadBytesToClient,
            ])
            try check.window(path, entry.firstSeen, entry.lastSeen, names: ("first_seen", "last_seen"))
            try check.address("\(path).client", entry.client)
            try check.address("\(path).server", entry.server)
            if let vlan = entry.vlan, vlan > 4095 {
                throw ResultValidationError(path: "\(path).vlan", problem: "\(vlan) is not a VLAN id (0-4095)")
            }
            try check.protocolName(path + ".protocol", entry.protocol)
            try check.tlsVersion(path + ".tls_version", entry.tlsVersion)
            if let tunnel = entry.tunnel, Tunnel(name: tunnel) == nil {
                throw ResultValidationError(path: "\(path).tunnel", problem: "'\(tunnel)' is not a tunnel dasaudit opens")
            }
        }
        try validateCapturePoints()
        try validateNoDuplicates()
    }
}

/// The checks `validate` applies to one kind of value each.
private struct ValueCheck {
    /// The UDP counts (`UDPCoverage`): each a count, and each port's within its whole.
    func udp(_ path: String, _ udp: UDPCoverage?) throws {
        guard let udp else { return }
        try counts(path, ["packets": udp.packets])
        for (index, port) in udp.ports.enumerated() {
            try counts("\(path).ports[\(index)]", ["packets": port.packets, "vxlan_shaped": port.vxlanShaped])
            if port.vxlanShaped > port.packets || port.packets > udp.packets {
                throw ResultValidationError(path: "\(path).ports[\(index)]",
                                            problem: "its counts are more than the datagrams they are part of")
            }
        }
    }

    func counts<Key: CustomStringConvertible>(_ path: String, _ values: [Key: UInt64]) throws {
        for (key, value) in values.sorted(by: { $0.key.description < $1.key.description })
        where value > AuditResult.maximumCount {
            throw ResultValidationError(path: "\(path).\(key)", problem: "\(value) is above 2^63")
        }
    }

    /// A translation's name is `other` or `FROM -> TO`, each side 1 to 60 characters (an
    /// IPv6 endpoint is at most 47), as the JSON Schema says.
    func translationNames(_ path: String, _ translated: [String: UInt64]?) throws {
        for name in (translated ?? [:]).keys.sorted() where name != "other" {
            let sides = name.components(separatedBy: " -> ")
            guard sides.count == 2, sides.allSatisfy({ (1...60).contains($0.count) }) else {
                throw ResultValidationError(path: "\(path).\(name.prefix(64))", problem: "is not a translation (FROM -> TO)")
            }
        }
    }

    func nonNegative(_ path: String, _ values: [String: Int]) throws {
        for (key, value) in values.sorted(by: { $0.key < $1.key }) where value < 0 {
            throw ResultValidationError(path: "\(path).\(key)", problem: "\(value) is negative")
        }
    }

    func window(_ path: String, _ first: Timestamp?, _ last: Timestamp?, names: (String, String)) throws {
        guard let first, let last, first > last else { return }
        throw ResultValidationError(path: "\(path).\(names.0)", problem: "\(first) is after \(names.1) \(last)")
    }

    /// An address as every report prints it: one that parses (a hand-edited one could carry
    /// anything, escape sequences included), and whose dotted quad, if any, has no octet
    /// with a leading zero (`010.078.000.003`): some readers take such an octet for octal
    /// (8.64.0.3), and dasaudit never writes one.
    func address(_ path: String, _ text: String) throws {
        guard let address = IPAddress(text) else {
            throw ResultValidationError(path: path, problem: "'\(text)' is not an IP address")
        }
        let quad = text.split(separator: ":", omittingEmptySubsequences: false).last ?? ""
        guard quad.split(separator: ".").contains(where: { $0.count > 1 && $0.first == "0" }) else { return }
        throw ResultValidationError(path: path, problem: "'\(text)' has an octet with a leading zero, which some readers take "
            + "for octal: dasaudit writes \(address)")
    }

    /// A protocol name of the documented vocabulary (`ProtocolName`: `tls`, `http`, ...,
    /// `other`, `none`, `unknown`), or null. Read as `unknown`, another name would hide that
    /// the result was edited, and a report would print it as if a recognizer had.
    func protocolName(_ path: String, _ name: String?) throws {
        guard let name, ProtocolName(name: name) == nil else { return }
        throw ResultValidationError(path: path, problem: "'\(name.escapedForMessage)' is not a protocol dasaudit recognizes ("
            + ProtocolName.allCases.map(\.name).joined(separator: ", ") + ")")
    }

    /// A TLS version as results name it (`SSLv2`, `SSLv3`, `1.0` to `1.3`), or null.
    func tlsVersion(_ path: String, _ name: String?) throws {
        guard let name, TLSVersion(name: name) == nil else { return }
        throw ResultValidationError(path: path, problem: "'\(name.escapedForMessage)' is not a TLS version ("
            + TLSVersion.allCases.map(\.name).joined(separator: ", ") + ")")
    }

    func waiver(_ path: String, reason: String, expires: String) throws {
        if let problem = ReasonRules.problem(with: reason) {
            throw ResultValidationError(path: path + ".reason", problem: problem)
        }
        guard let day = Day(expires), Waiver.expiryYears.contains(day.year) else {
            throw ResultValidationError(path: path + ".expires", problem: "'\(expires)' is not an expiry date from "
                + "\(Waiver.expiryYears.lowerBound)-01-01 to \(Waiver.expiryYears.upperBound)-12-31")
        }
    }

    func digest(_ path: String, _ text: String) throws {
        guard text.utf8.count != 64 || !text.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) })
        else { return }
        throw ResultValidationError(path: path, problem: "'\(text)' is not a SHA-256 digest (64 lowercase hex digits)")
    }
}

extension ResultValidationError {
    /// A decoding error in the same words: the field's path in the JSON and what was wrong.
    init(decoding error: DecodingError) {
        func path(_ keys: [CodingKey]) -> String {
            keys.map { key in key.intValue.map { "[\($0)]" } ?? ".\(Self.snakeCase(key.stringValue))" }
                .joined().trimmingCharacters(in: ["."])
        }
        switch error {
        case .keyNotFound(let key, let context):
            self.init(path: "", problem: "missing '\(path(context.codingPath + [key]))'")
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            let underlying = (context.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String
            self.init(path: path(context.codingPath),
                      problem: context.codingPath.isEmpty ? "not JSON (\(underlying ?? context.debugDescription))"
                          : context.debugDescription)
        @unknown default:
            self.init(path: "", problem: "\(error)")
        }
    }

    /// `firstSeen` -> `first_seen`, as the result's keys are written.
    static func snakeCase(_ key: String) -> String {
        key.reduce(into: "") { text, character in
            if character.isUppercase { text += "_" + character.lowercased() } else { text.append(character) }
        }
    }
}
