import Audit
import Policy
import Wire

/// A `PolicyInference` as a YAML policy file (docs/policy.md) that `--policy` loads as it
/// is, every value preceded by a comment saying which traffic suggested it, so the person
/// reviewing the draft can check each one. Hosts at another offset, ports nothing explains
/// and the connections seen are comments; servers outside the nodes are drafted as
/// commented-out `dependencies:` entries, to uncomment only with a reason.
public enum InferredPolicyYAML {
    public static func render(_ inference: PolicyInference, inputs: [String]) -> String {
        var out: [String] = []
        out.append("# A policy drafted by `dasaudit infer` from the traffic of:")
        out += inputs.map { "#   \(comment($0))" }
        out.append("# REVIEW every value before auditing with it: the traffic shows what ran, not what should.")
        out.append("# Schema: docs/policy.md. Use it with: dasaudit audit CAPTURE --policy THIS-FILE")
        out.append("")
        // Nothing seen: the file must say so itself, not only `infer`'s warning on standard
        // error, or its defaults read as values drawn from traffic.
        if inference.hosts.isEmpty {
            out.append("# NOTHING TO DRAFT FROM: no TCP server carried traffic in these captures, so every value")
            out.append("# below is a default (profile das, offset 0, local mode, 1 core, no nodes), not one the")
            out.append("# traffic suggested. Draft from a capture of the cluster at work.")
            out.append("")
        }
        out.append(inference.hosts.isEmpty ? "# The default catalog." : "# The built-in catalog that explains the most of the services seen.")
        out.append("profile: \(inference.profile.name)")
        out.append("")
        let percent = Int((inference.confidence * 100).rounded())
        out.append("# Offset \(inference.offset) makes \(inference.supportingServices) services catalog ports (confidence "
            + "\(inference.confidenceWord), \(percent)% of the \(inference.candidateServices) services some offset explains), on the ports")
        out.append("# " + list(inference.supportingPorts.map(String.init)) + "."
            + (inference.runnerUp.map { " The next best, offset \($0.offset), explains \($0.services) by coincidence or misconfiguration." } ?? ""))
        out.append("offset: \(inference.offset)")
        out.append("")
        let clusterHosts = inference.hosts.filter { $0.catalogPorts.contains { $0.key.hasPrefix("spark.master") || $0.key.hasPrefix("spark.worker") } }
        out.append(inference.mode == .cluster
            ? "# cluster: Spark master or worker ports were seen (on " + list(clusterHosts.map(\.address)) + ")."
            : "# \(inference.mode.rawValue): no Spark master or worker port was seen. (client mode, an external Spark, looks the same.)")
        out.append("mode: \(inference.mode.rawValue)")
        out.append("")
        let runs = inference.hosts.filter { $0.executorRun > 0 }.map { "\($0.address) \($0.executorRun)" }
        out.append("# Executor ports from the first one on, per host: " + (runs.isEmpty ? "none seen, so 1." : list(runs) + ".")
            + " A driver's run holds its own slot too.")
        out.append("cores: \(inference.cores)")
        out.append("")
        if !inference.features.isEmpty {
            out.append("# Features whose ports were seen, which a policy must say are on for them to be expected:")
            for (feature, seen) in inference.features {
                out.append("# \(feature.rawValue) (\(feature.switchedOnBy)): " + list(seen.map { endpointText($0.address, $0.port) }) + ".")
            }
            out.append("features:")
            out += inference.features.map { "  \($0.feature.rawValue): on" }
            out.append("")
        }
        if !inference.pinnedPorts.isEmpty {
            out.append("# Ports seen where only a configuration that sets their key puts them (the offset added to it):")
            for pin in inference.pinnedPorts {
                out.append("# \(pin.key): " + list(pin.seen.map { endpointText($0.address, $0.port) }) + ".")
            }
            out.append("ports:")
            out += inference.pinnedPorts.map { "  \($0.key): \($0.basePort)" }
            out.append("")
        }
        out.append("# The hosts that serve catalog ports, with the roles those ports belong to (master, worker,")
        out.append("# driver, receiver; presenter and ha share their ports with others and are not guessed).")
        let nodes = inference.hosts.filter { !$0.catalogPorts.isEmpty || $0.executorRun > 0 }
        if nodes.isEmpty {
            out.append("nodes: []")
        } else {
            out.append("nodes:")
            for host in nodes {
                if let misfit = inference.misfits.first(where: { $0.address == host.address }) {
                    out.append("  # \(host.address) FITS OFFSET \(misfit.offset), not \(inference.offset): "
                        + list(misfit.ports.map { "\($0.port) \($0.key)" }) + ".")
                    out.append("  # Set its <Ports><Offset> (carbon.xml) to \(inference.offset), or check that it belongs here.")
                }
                out.append("  # \(host.address) serves " + list(host.catalogPorts.map { "\($0.port) \($0.key)" }
                    + (host.executorRun > 0 ? ["\(host.executorRun) executor port\(host.executorRun == 1 ? "" : "s")"] : [])))
                out.append("  - name: \(nodeName(host.address))")
                out.append("    addresses: [\"\(host.address)\"]")
                if host.roles.isEmpty {
                    out.append("    # no role-specific port seen: the node may play every role")
                } else {
                    out.append("    roles: [\(NodeRole.allCases.filter(host.roles.contains).map(\.rawValue).joined(separator: ", "))]")
                }
            }
        }
        // Right after the nodes, so that an entry uncommented there continues their list.
        out += clientsOutsideCluster(inference, nodeAddresses: Set(nodes.map(\.address)))
        let others = inference.hosts.filter { $0.catalogPorts.isEmpty && $0.executorRun == 0 }
        if !others.isEmpty {
            out.append("")
            let named = others.prefix(listedAtMost / 10).map(\.address)
            out.append("# Hosts serving no catalog port, left out of the nodes: " + list(named)
                + (others.count > named.count ? " and \(others.count - named.count) more" : "") + ".")
        }
        if !inference.unexplained.isEmpty {
            out.append("")
            out.append("# Services no catalog port explains at offset \(inference.offset)"
                + (inference.misfits.isEmpty ? "" : " (on a host at another offset, at its own)") + " (the audit reports them):")
            out += atMost(inference.unexplained.map { "#   \(endpointText($0.address, $0.port))" }, of: "services")
        }
        let nodeAddresses = Set(nodes.map(\.address))
        let outside = inference.dependencies.filter { nodeAddresses.contains($0.client) && !nodeAddresses.contains($0.server) }
        if !outside.isEmpty {
            // Commented out: a server outside the cluster is a dependency only if someone says
            // it is on purpose (a rogue server looks the same on the wire).
            out.append("")
            out.append("# Servers outside the nodes that the nodes connected to. Uncomment those the cluster uses on")
            out.append("# purpose (a database, an LDAP server, a broker), with the reason; the others are findings.")
            out.append("# dependencies:")
            var listed = Set<String>()
            let clientsByServer = Dictionary(grouping: outside) { endpointText($0.server, $0.port) }
            for dependency in outside where listed.insert(endpointText(dependency.server, dependency.port)).inserted {
                let clients = (clientsByServer[endpointText(dependency.server, dependency.port)] ?? []).map(\.client)
                out.append("#   - name: \(dependencyName(dependency.server, dependency.port))")
                out.append("#     address: \"\(dependency.server)\"")
                out.append("#     port: \(dependency.port)")
                out.append("#     reason: REVIEW (seen from \(named(clients, what: "node")))")
            }
        }
        if !inference.dependencies.isEmpty {
            // Every node's connections, so that none that used a server is hidden; of the
            // clients that are no node, the first `namedClients` of each server (by address
            // text), and `listedAtMost` in all.
            var others: [String: Int] = [:]
            var (named, unnamed) = (0, 0)
            let shown = inference.dependencies.filter { dependency in
                guard !nodeAddresses.contains(dependency.client) else { return true }
                let server = endpointText(dependency.server, dependency.port)
                let count = others[server, default: 0] + 1
                others[server] = count
                guard count <= namedClients && named < listedAtMost else { unnamed += 1; return false }
                named += 1
                return true
            }
            out.append("")
            out.append("# Connections seen between hosts (client host -> server, catalog key):")
            out += shown.map { "#   \($0.client) -> \(endpointText($0.server, $0.port)) \($0.key ?? "(no catalog port)")" }
            if unnamed > 0 {
                out.append("#   and \(unnamed) more from clients that are no node (at most \(namedClients) such clients "
                    + "named per server, \(listedAtMost) in all)")
            }
        }
        out += clientsNotRead(inference)
        return out.joined(separator: "\n") + "\n"
    }

    /// The services whose clients were not all read (`PolicyInference.clientsNotRead`),
    /// said where the reviewer reads the connections: what the draft does not know.
    static func clientsNotRead(_ inference: PolicyInference) -> [String] {
        guard !inference.clientsNotRead.isEmpty else { return [] }
        return ["",
                "# Clients not read: infer reads the \(PolicyInference.clientsReadPerService) lowest client addresses of each",
                "# service. A node above them that used one of these services is not named as its client above,",
                "# nor a host above them that used a node's cluster-only port:"]
            + atMost(inference.clientsNotRead.map { "#   \(endpointText($0.address, $0.port)): \($0.read) read, \($0.notRead) not read" },
                     of: "services")
    }

    /// The hosts that are no node but used a node's port that the nodes' firewall rules open
    /// to the cluster only (Spark, HA, Hazelcast, JMX), as commented-out node entries: the
    /// audit of the draft makes each such use a `client-outside-cluster` finding, so the
    /// reviewer decides, host by host, whether it is a cluster host (uncomment it) or not
    /// (allow the port, or find out why it connects). Never drafted as a node outright: a
    /// workstation on the Spark UI looks the same on the wire as a worker's host.
    static func clientsOutsideCluster(_ inference: PolicyInference, nodeAddresses: Set<String>) -> [String] {
        let clusterKeys = Set(inference.profile.catalog.filter { $0.exposure == .cluster }.map(\.key))
        let used = inference.dependencies.filter { use in
            nodeAddresses.contains(use.server) && !nodeAddresses.contains(use.client)
                && use.key.map(clusterKeys.contains) == true && IPAddress(use.client)?.isLoopback != true
        }
        guard !used.isEmpty else { return [] }
        var lines = [
            "",
            "# Hosts that are no node but used the nodes' cluster-only ports (the audit reports each use as",
            "# client-outside-cluster). Uncomment those that are cluster hosts, and give their roles; for the",
            "# others, allow the port (allow:) or find out why they connect. Each continues the nodes: list above.",
        ]
        let clients = Set(used.map(\.client)).sorted(by: AddressOrder.less)
        let usesByClient = Dictionary(grouping: used, by: \.client)
        for client in clients.prefix(listedAtMost) {
            let ports = (usesByClient[client] ?? []).map { "\(endpointText($0.server, $0.port)) \($0.key ?? "")" }
            lines.append("#   # \(client) used " + list(ports))
            lines.append("#   - name: \(nodeName(client))")
            lines.append("#     addresses: [\"\(client)\"]")
        }
        if clients.count > listedAtMost { lines.append(moreLine(clients.count - listedAtMost, of: "hosts")) }
        return lines
    }

    /// The node name for a host: `host-` and its address, with the characters a name may
    /// not hold (`:` of IPv6, `%` of a zone) as `-`, so it follows `NameRules`.
    public static func nodeName(_ address: String) -> String {
        "host-" + String(address.map { $0.isASCII && ($0.isLetter || $0.isNumber) || $0 == "." ? $0 : "-" }.prefix(NameRules.maximumLength - 5))
    }

    /// A dependency's name: `dep-`, its address as in `nodeName`, and its port.
    static func dependencyName(_ address: String, _ port: UInt16) -> String {
        "dep-" + String(nodeName(address).dropFirst(5).prefix(NameRules.maximumLength - 10)) + "-\(port)"
    }

    private static func list(_ items: [String]) -> String { items.isEmpty ? "none" : items.joined(separator: ", ") }

    /// How many clients one comment line names: 8, so that a `reason:` line of IPv6
    /// addresses (up to 39 characters each) stays within about 350 characters, one line a
    /// reviewer reads whole. Past it the line says how many more there are, and the limit;
    /// the connections listed after the dependencies name every node still.
    static let namedClients = 8

    /// How many lines a list of comments that grows with the capture holds at most (the
    /// services nothing explains, the connections of clients that are no node, the hosts
    /// that used cluster-only ports, the services whose clients were not all read), then a
    /// line saying how many more: so that the draft of a capture of tens of thousands of
    /// services stays a file a reviewer reads (138,789 lines for 36,069 services before
    /// December 7, 2026, nearly all of them such comments). The audit lists every one.
    public static let listedAtMost = 1_000

    /// `lines`, or the first `listedAtMost` and a line saying how many more `what` there are.
    private static func atMost(_ lines: [String], of what: String) -> [String] {
        guard lines.count > listedAtMost else { return lines }
        return Array(lines.prefix(listedAtMost)) + [moreLine(lines.count - listedAtMost, of: what)]
    }

    /// "#   and 35069 more services (at most 1000 listed here; the audit reports every one)".
    private static func moreLine(_ more: Int, of what: String) -> String {
        "#   and \(more) more \(what) (at most \(listedAtMost) listed here; the audit reports every one)"
    }

    /// "10.0.0.1, 10.0.0.2", or the first `namedClients` and "and 3 more nodes (at most 8
    /// named here)": `items` within one comment line.
    private static func named(_ items: [String], what: String) -> String {
        guard items.count > namedClients else { return list(items) }
        let more = items.count - namedClients
        return list(Array(items.prefix(namedClients))) + " and \(more) more \(what)\(more == 1 ? "" : "s") (at most \(namedClients) "
            + "named here; every one is in the connections below)"
    }

    /// Text (an input's file name) safe inside a one-line comment: the characters a
    /// terminal or a reader must never get raw (line breaks, ESC and the other C0 controls,
    /// DEL, the C1 controls such as U+009B, a CSI to a terminal, the format characters
    /// such as the bidirectional overrides and the zero-width space) as the visible escapes of `terminalEscaped` (`\n`, `\e`, `\u{9B}`,
    /// `\u{202E}`), and U+FFFE and U+FFFF, which YAML does not allow, as U+FFFD. Replacing
    /// only the line breaks and C0 left the rest raw: on the terminal `infer` prints to,
    /// and in the draft, which libyaml then refused ("control characters are not allowed"),
    /// so the tool's own draft did not load.
    static func comment(_ text: String) -> String {
        var escaped = text.terminalEscaped
        if escaped.unicodeScalars.contains(where: { $0 == "\u{FFFE}" || $0 == "\u{FFFF}" }) {
            escaped.unicodeScalars = .init(escaped.unicodeScalars.map { $0 == "\u{FFFE}" || $0 == "\u{FFFF}" ? "\u{FFFD}" : $0 })
        }
        return escaped
    }
}
