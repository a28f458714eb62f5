import Policy

/// Turns classified services, unused openings and coverage into findings, each with a
/// severity, an explanation and a remediation.
struct FindingRules {
    let policy: Policy

    func findings(services: [ServiceSummary], unused: [UnusedOpening], unresolved: Int,
                  inputs: [InputSummary]) -> [Finding] {
        var findings: [Finding] = []
        for service in services {
            if let finding = finding(for: service) { findings.append(finding) }
        }
        for opening in unused {
            findings.append(Finding(
                kind: .unusedOpening, severity: opening.normallyBound ? .low : .info, port: opening.port, address: nil,
                message: "\(opening.port) (\(opening.catalogKey), \(opening.summary)) is expected open but carried no "
                    + "traffic in the capture window" + (opening.normallyBound ? "" : "; Spark normally leaves it unbound"),
                remediation: "If nothing should listen there, close it in the firewall and drop its group from the policy; "
                    + "otherwise capture for longer or while the service is in use."))
        }
        if unresolved > 0 {
            findings.append(Finding(
                kind: .directionUnknown, severity: .info, port: nil, address: nil,
                message: "\(unresolved) connection\(unresolved == 1 ? "" : "s") had no handshake in the capture and no "
                    + "port that tells the server side; they are listed apart, not guessed",
                remediation: "Capture from before the connections open, or declare the ports in the policy."))
        }
        for input in inputs where !input.complete {
            findings.append(Finding(
                kind: .incompleteInput, severity: .medium, port: nil, address: nil,
                message: "\(input.error ?? "\(input.path): incomplete"); the audit covers only the packets before it",
                remediation: "Audit a complete capture to cover the whole window."))
        }
        return findings.sorted {
            ($1.severity, $0.kind.rawValue, $0.address ?? "", $0.port ?? 0) < ($0.severity, $1.kind.rawValue, $1.address ?? "", $1.port ?? 0)
        }
    }

    private func finding(for service: ServiceSummary) -> Finding? {
        let endpoint = service.address.contains(":") ? "[\(service.address)]:\(service.port)" : "\(service.address):\(service.port)"
        let traffic = "\(service.connections) connection\(service.connections == 1 ? "" : "s") from "
            + "\(service.clients) client\(service.clients == 1 ? "" : "s")"
        switch service.classification {
        case .expected, .executor, .allowed:
            return nil
        case .unexpected:
            return Finding(
                kind: .unexpectedPort, severity: .high, port: service.port, address: service.address,
                message: "\(endpoint) served \(traffic); no catalog port under offset \(policy.offset) explains it"
                    + (service.hint.map { " (hint: \($0))" } ?? ""),
                remediation: "Find the process listening there (ss -ltnp 'sport = :\(service.port)'); stop it, "
                    + "pin it to a catalog port, or allow the port in the policy with a reason.")
        case .executorOutOfRange:
            return Finding(
                kind: .executorOutOfRange, severity: .high, port: service.port, address: service.address,
                message: "\(endpoint) carried executor traffic (\(traffic)) above the allowed range "
                    + "\(policy.executorAllowed) for \(policy.coresPerNode) core\(policy.coresPerNode == 1 ? "" : "s") per node",
                remediation: "Check the cores given to Spark (spark.worker.cores / spark.executor.cores) against the "
                    + "policy, and look for extra executor JVMs holding ports in the band.")
        case .notInMode:
            return Finding(
                kind: .notInMode, severity: .medium, port: service.port, address: service.address,
                message: "\(endpoint) is \(service.catalogKey ?? "a catalog port"), which this policy does not expect "
                    + "(Spark mode \(policy.mode.rawValue)); it served \(traffic)",
                remediation: "Confirm the Spark mode (spark.master in spark-defaults.conf) and the expected groups; "
                    + "audit with the right --mode, or stop the service.")
        }
    }
}
