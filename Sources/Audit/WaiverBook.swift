import Foundation
import Policy
import Wire

/// Applies the policy's waivers to findings: a finding matched by kind, port and host is
/// marked waived with the reason until the waiver expires; an expired waiver waives
/// nothing and is itself reported, and so is one in force that matched no finding (a
/// stale exception an auditor wants to see, and remove).
struct WaiverBook {
    let waivers: [Waiver]
    let nodes: [Node]
    let today: Day

    /// `findings` with the waivers applied, one `waiver-expired` finding per expired waiver
    /// and one `waiver-unused` finding per waiver in force that matched none of `findings`.
    /// Without waivers, `findings` as they are: nothing is copied.
    func apply(to findings: [Finding]) -> [Finding] {
        guard !waivers.isEmpty else { return findings }
        var result = findings.map { finding -> Finding in
            var finding = finding
            if let waiver = waivers.first(where: { !$0.hasExpired(on: today) && matches($0, finding) }) {
                finding.waiver = Finding.AppliedWaiver(reason: waiver.reason, expires: "\(waiver.expires)")
            }
            return finding
        }
        for waiver in waivers where waiver.hasExpired(on: today) {
            let matched = findings.filter { matches(waiver, $0) }.count
            result.append(Finding(
                kind: .waiverExpired, severity: .low, port: waiver.port, address: nil,
                message: "the waiver for \(waiver.kind)\(waiver.port.map { " on port \($0)" } ?? "")"
                    + "\(waiver.host.map { " on \($0)" } ?? "") expired on \(waiver.expires) (\"\(waiver.reason)\"); "
                    + "it no longer waives \(matched) finding\(matched == 1 ? "" : "s")",
                remediation: "Fix what the finding reports, or renew the waiver with a new reason and expiry date."))
        }
        // An audit of nothing (or a merge with a capture point that saw nothing) cannot tell
        // a stale waiver from one whose finding was not captured.
        guard !findings.contains(where: { $0.kind == .noTraffic }) else { return result }
        for waiver in waivers where !waiver.hasExpired(on: today) && !findings.contains(where: { matches(waiver, $0) }) {
            result.append(Finding(
                kind: .waiverUnused, severity: .info, port: waiver.port, address: nil,
                message: "the waiver for \(waiver.kind)\(waiver.port.map { " on port \($0)" } ?? "")"
                    + "\(waiver.host.map { " on \($0)" } ?? "") (\"\(waiver.reason)\", until \(waiver.expires)) matched no finding "
                    + "in this audit",
                remediation: "If what it excused is gone, remove the waiver; if the capture missed it, audit one that holds it."))
        }
        return result
    }

    /// Whether `waiver` covers `finding`. Nothing covers `no-traffic`: an audit of nothing
    /// cannot be approved into a pass.
    func matches(_ waiver: Waiver, _ finding: Finding) -> Bool {
        guard waiver.kind == finding.kind.rawValue, finding.kind.isWaivable else { return false }
        if let port = waiver.port, port != finding.port { return false }
        guard let host = waiver.host else { return true }
        if host == finding.node || host == finding.address { return true }
        guard let text = finding.address, let address = IPAddress(text) else { return false }
        if let pattern = AddressPattern(host), pattern.contains(address) { return true }
        return nodes.first { $0.name == host }?.contains(address) ?? false
    }
}

extension Day {
    /// Today's date in UTC, by the wall clock (`AuditClock` gives the audit's own time).
    public static var today: Day {
        Day(.wallClock)
    }
}
