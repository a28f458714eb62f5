import Audit

/// Findings of one kind and severity on the same ports across hosts, shown once with one
/// remediation ("unexpected-port 20000-20029 on 20 hosts") instead of one card each: 720
/// findings that repeat one remediation 720 times are not read. Findings without a port
/// (a scan, a node's offset, the capture's coverage) each say something of their own and
/// stay one group each. The JSON keeps every finding.
struct FindingGroup {
    var kind: Finding.Kind
    var severity: Severity
    var isWaived: Bool
    /// The findings, in the result's order.
    var findings: [Finding]

    var ports: [UInt16] { Array(Set(findings.compactMap(\.port))).sorted() }
    /// Addresses (or node names) the findings point at, sorted as numbers.
    var hosts: [String] { Array(Set(findings.map(\.host))).sorted(by: AddressOrder.less) }

    /// "unexpected-port 20000-20029 on 20 hosts"; a single finding keeps its own location.
    var title: String {
        guard findings.count > 1 else { return findings[0].kind.rawValue }
        let hosts = hosts
        return "\(kind.rawValue) \(PortList.collapsed(ports, maxRuns: 8)) on \(hosts.count) host\(hosts.count == 1 ? "" : "s") "
            + "(\(findings.count) findings)"
    }

    /// The message: a single finding's own, or the first one's as an example.
    var message: String {
        findings.count == 1 ? findings[0].message : "e.g. " + findings[0].message
    }

    /// One remediation for the group: the findings of one kind share theirs, up to the
    /// port they name (that of the first finding).
    var remediation: String { findings[0].remediation }

    /// `findings` grouped, in the order of each group's first finding.
    static func grouping(_ findings: [Finding]) -> [FindingGroup] {
        // First by kind, severity, waived and port: the hosts that share it. Positions in
        // arrays rather than dictionaries of groups: one lookup per finding, tens of
        // thousands of findings each on a port of its own.
        var portGroupOfKey: [PortKey: Int] = [:]
        portGroupOfKey.reserveCapacity(findings.count)
        var portGroups: [[Finding]] = []
        var sequence: [Entry] = []
        for finding in findings {
            guard let port = finding.port else {
                sequence.append(.single(finding))
                continue
            }
            let key = PortKey(kind: finding.kind, severity: finding.severity, waived: finding.isWaived, port: port)
            if let portGroup = portGroupOfKey[key] {
                portGroups[portGroup].append(finding)
            } else {
                portGroupOfKey[key] = portGroups.count
                sequence.append(.port(portGroups.count))
                portGroups.append([finding])
            }
        }
        // Then ports whose findings name the same hosts (two or more: on one host each
        // finding stays itself), into one group.
        var merged: [HostsKey: Int] = [:]
        var groups: [FindingGroup] = []
        var groupOfPortGroup: [Int] = []
        groupOfPortGroup.reserveCapacity(portGroups.count)
        for portFindings in portGroups {
            let first = portFindings[0]
            // A port on one host stays its own group: no set of its hosts made and hashed
            // (tens of thousands of them when every finding has a port of its own).
            let firstHost = first.host
            let oneHost = portFindings.allSatisfy { $0.host == firstHost }
            let hostsKey = oneHost ? nil : HostsKey(kind: first.kind, severity: first.severity, waived: first.isWaived,
                                                     hosts: Set(portFindings.map(\.host)))
            if let hostsKey, let existing = merged[hostsKey] {
                groups[existing].findings += portFindings
                groupOfPortGroup.append(existing)
            } else {
                if let hostsKey { merged[hostsKey] = groups.count }
                groupOfPortGroup.append(groups.count)
                groups.append(FindingGroup(kind: first.kind, severity: first.severity, isWaived: first.isWaived, findings: portFindings))
            }
        }
        var result: [FindingGroup] = []
        var emitted = [Bool](repeating: false, count: groups.count)
        for entry in sequence {
            switch entry {
            case .port(let portGroup):
                let group = groupOfPortGroup[portGroup]
                if !emitted[group] { emitted[group] = true; result.append(groups[group]) }
            case .single(let finding):
                result.append(FindingGroup(kind: finding.kind, severity: finding.severity, isWaived: finding.isWaived,
                                           findings: [finding]))
            }
        }
        return result
    }

    /// A place in the result's order: the first finding of a port's group, or a finding
    /// without a port, a group of its own.
    private enum Entry { case port(Int), single(Finding) }

    private struct PortKey: Hashable { var kind: Finding.Kind; var severity: Severity; var waived: Bool; var port: UInt16 }
    private struct HostsKey: Hashable { var kind: Finding.Kind; var severity: Severity; var waived: Bool; var hosts: Set<String> }
}

extension Finding {
    /// The host a finding points at: its address, else its node, else "" (capture-wide).
    var host: String { address ?? node ?? "" }
}
