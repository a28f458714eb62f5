import Wire

extension AuditResult {
    /// Throws when a server endpoint is listed twice in `services` or in `attempts`, or one
    /// finding twice in `findings`: no audit or merge writes that (an endpoint's connections
    /// are one record; a finding is made once), so the result was edited. Read as it is, the
    /// last copy of a service won silently in `diff` and `render`'s tables, and a finding
    /// listed twice counted twice, so a copy made a finding new (the diff WORSE) or hid one
    /// that was resolved. Endpoints are compared as addresses (`::1` and `0::1` are one);
    /// a finding is a copy when every field is the same, its message included (two
    /// `waiver-expired` findings of one port for two waivers are two findings).
    func validateNoDuplicates() throws {
        func endpoints(_ name: String, _ list: [(address: String, port: UInt16)]) throws {
            var seen: [ListedEndpoint: Int] = [:]
            for (index, entry) in list.enumerated() {
                guard let address = IPAddress(entry.address) else { continue }  // named by the address check
                if let first = seen.updateValue(index, forKey: ListedEndpoint(address: address, port: entry.port)) {
                    throw ResultValidationError(path: "\(name)[\(index)]", problem: "\(endpointText(entry.address, entry.port)) is "
                        + "listed twice (also \(name)[\(first)]): an audit lists each server endpoint once")
                }
            }
        }
        try endpoints("services", services.map { ($0.address, $0.port) })
        try endpoints("attempts", attempts.map { ($0.address, $0.port) })
        var seen: [FindingCopy: Int] = [:]
        for (index, finding) in findings.enumerated() {
            if let first = seen.updateValue(index, forKey: FindingCopy(finding)) {
                let place = [finding.node, finding.address.map { address in finding.port.map { endpointText(address, $0) } ?? address }
                             ?? finding.port.map { "port \($0)" }].compactMap { $0 }.joined(separator: " ")
                throw ResultValidationError(path: "findings[\(index)]", problem: "the \(finding.severity.rawValue) \(finding.kind.rawValue) "
                    + "finding\(place.isEmpty ? "" : " on \(place)") is listed twice (also findings[\(first)]): an audit makes "
                    + "each finding once")
            }
        }
    }
}

/// A server endpoint as a duplicate is found by: the address parsed, so that two spellings
/// of one address are one endpoint.
private struct ListedEndpoint: Hashable {
    var address: IPAddress
    var port: UInt16
}

/// Every field of a finding: two findings alike in all of them are one finding listed twice.
private struct FindingCopy: Hashable {
    /// Kind, severity, host and port, as `diff` tells findings apart.
    var identity: FindingIdentity
    /// The rest: the node (which the identity keeps only for a finding without a host), the
    /// text and the waiver.
    var node: String?
    var message: String
    var remediation: String
    var waiver: Finding.AppliedWaiver?

    init(_ finding: Finding) {
        identity = FindingIdentity(finding)
        node = finding.node
        message = finding.message
        remediation = finding.remediation
        waiver = finding.waiver
    }
}
