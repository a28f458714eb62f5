import Audit

/// The HTML report's full tables: every classified service with all its numbers, then the
/// connection attempts, the connections no rule could orient, and the unused openings.
enum HTMLServiceTables {
    /// Writes the tables to `sink`; the services table row by row, each row made as it is
    /// written.
    static func write(_ result: AuditResult, to sink: ByteSink) {
        let clock = Clock(result)
        // A node column only when the policy declares nodes.
        let nodes = result.services.contains { $0.node != nil }
        let services = HTMLTable(
            headers: (nodes ? ["Node"] : []) + ["Address", "Port", "Classification", "Catalog key", "Protocol", "Conns", "Packets", "Bytes",
                                                "Payload", "Clients", "Sample clients", "States", "Direction", "First and last seen"],
            numeric: Set([1, 5, 6, 7, 8, 9].map { nodes ? $0 + 1 : $0 }), cssClass: "data services")
        func cells(_ service: ServiceSummary, _ row: inout HTMLTable.Cells) {
            let classification = service.classification.rawValue
            if nodes { row.add(text: service.node ?? "-") }
            row.add { sink in
                sink.write("<span class=\"mono nowrap\">" as StaticString)
                sink.write(service.address.htmlEscaped)
                sink.write("</span>" as StaticString)
            }
            row.add(count: UInt64(service.port))
            row.add { sink in
                sink.write("<span class=\"badge c-" as StaticString)
                sink.write(classification.htmlEscaped)
                sink.write("\">" as StaticString)
                sink.write(classification.htmlEscaped)
                sink.write("</span>" as StaticString)
            }
            if !service.catalogKeys.isEmpty {
                row.add(text: service.catalogKeys.joined(separator: " | "))
            } else if let hint = service.hint {
                row.add { sink in
                    sink.write("<span class=\"muted\">" as StaticString)
                    sink.write(hint.htmlEscaped)
                    sink.write("</span>" as StaticString)
                }
            } else {
                row.add(text: "-")
            }
            row.add(text: service.protocolText)
            for count in [service.connections, service.packets, service.bytes, service.payloadBytes] { row.add(count: count) }
            row.add(text: "\(service.clients)")
            row.add(text: service.sampleClients.joined(separator: ", "))
            row.add { counts(service.states, to: $0) }
            row.add { counts(service.directionBasis, to: $0) }
            row.add { sink in
                sink.write("<span class=\"nowrap\">" as StaticString)
                sink.write(clock(service.firstSeen).htmlEscaped)
                sink.write("<br>" as StaticString)
                sink.write(clock(service.lastSeen).htmlEscaped)
                sink.write("</span>" as StaticString)
            }
        }
        let servicesHead: Markup = "<section id=\"services\">\n<h2>Services (\(result.services.count))</h2>\n<p class=\"muted\">Every server endpoint that carried traffic, by address then port. Times are UTC\(clock.dateNote).</p>\n"
        sink.write(servicesHead.description)
        services.write(result.services, rowClass: { "service c-\($0.classification.rawValue)" }, to: sink, cells: cells)
        sink.write("</section>\n")
        var sections: [Markup] = []

        let egress = EgressTable.rows(result)
        if !egress.isEmpty {
            var table = HTMLTable(headers: EgressTable.headers, numeric: EgressTable.numeric, cssClass: "data egress")
            for row in egress { table.append(row.map { "\($0)" }, cssClass: "egress") }
            sections.append("<section id=\"egress\">\n<h2>\(EgressTable.title(egress))</h2>\n<p class=\"muted\">Servers outside the declared nodes that the nodes connect to: the policy's dependencies, undeclared ones, and declared ones that carried no traffic.</p>\n\(table.render())</section>\n")
        }

        if !result.attempts.isEmpty {
            var attempts = HTMLTable(headers: ["Address", "Port", "Catalog key", "Refused", "Unanswered", "Clients", "First seen", "Last seen"],
                                     numeric: [1, 3, 4, 5])
            for attempt in AttemptRun.collapsing(result.attempts) {
                attempts.append(["<span class=\"mono nowrap\">\(attempt.address)</span>", "\(attempt.portText)", "\(attempt.catalogKey ?? "-")",
                                 "\(attempt.refused)", "\(attempt.unanswered)", "\(attempt.clients)",
                                 "\(clock(attempt.firstSeen))", "\(clock(attempt.lastSeen))"], cssClass: "attempt")
            }
            sections.append("<section id=\"attempts\">\n<h2>Connection attempts (\(result.attempts.count))</h2>\n<p class=\"muted\">Connects that were refused or never answered: nothing listened there, so they are not services.</p>\n\(attempts.render())</section>\n")
        }

        if !result.unresolved.isEmpty {
            var unresolved = HTMLTable(headers: ["Endpoint A", "Endpoint B", "Packets", "Bytes", "First seen"], numeric: [2, 3])
            for connection in result.unresolved {
                unresolved.append(["<span class=\"mono\">\(endpointText(connection.addressA, connection.portA))</span>",
                                   "<span class=\"mono\">\(endpointText(connection.addressB, connection.portB))</span>",
                                   "\(connection.packets)", "\(connection.bytes)", "\(clock(connection.firstSeen))"], cssClass: "unresolved")
            }
            sections.append("<section id=\"unresolved\">\n<h2>Connections with unknown direction (\(result.unresolved.count))</h2>\n<p class=\"muted\">No rule could tell which side was the server; they are reported as seen, not guessed.</p>\n\(unresolved.render())</section>\n")
        }

        let openingNodes = result.unusedOpenings.contains { $0.node != nil }
        var unused = HTMLTable(headers: (openingNodes ? ["Node"] : []) + ["Port", "Catalog key", "Group", "Normally bound", "What it is"],
                               numeric: [openingNodes ? 1 : 0])
        for opening in result.unusedOpenings {
            unused.append((openingNodes ? ["\(opening.node ?? "-")"] : []) + ["\(opening.port)", "\(opening.catalogKey)", "\(opening.group)", "\(opening.normallyBound ? "yes" : "no")",
                           "\(opening.summary)"], cssClass: "unused")
        }
        sections.append("<section id=\"unused\">\n<h2>Unused openings (\(result.unusedOpenings.count))</h2>\n"
            + (result.unusedOpenings.isEmpty ? "<p>None: every port the policy expects carried traffic.</p>\n"
                : "<p class=\"muted\">Ports the policy keeps open that carried no traffic on any host in the capture window.</p>\n\(unused.render())")
            + "</section>\n")
        sink.write(Markup(joining: sections).description)
    }

    /// "closed 1, reset 2": a count per key, keys in order, one under another.
    private static func counts(_ values: [String: UInt64], to sink: ByteSink) {
        // Most services have one key: written as it is, with no sorted copy made.
        let sorted = values.count == 1 ? Array(values) : values.sorted { $0.key < $1.key }
        for (index, (key, count)) in sorted.enumerated() {
            if index > 0 { sink.write("<br>" as StaticString) }
            sink.write("<span class=\"nowrap\">" as StaticString)
            sink.write(key.htmlEscaped)
            sink.write(byte: UInt8(ascii: " "))
            sink.write(decimal: count)
            sink.write("</span>" as StaticString)
        }
    }

    /// Times in tables: the time of day to the microsecond when the whole capture falls on
    /// one UTC day (the date is then said once), the full RFC 3339 text otherwise.
    struct Clock {
        var day: String?

        init(_ result: AuditResult) {
            let start = result.coverage.captureStart.map { String("\($0)".prefix(10)) }
            let end = result.coverage.captureEnd.map { String("\($0)".prefix(10)) }
            day = start == end ? start : nil
        }

        func callAsFunction(_ time: Timestamp) -> String {
            let text = "\(time)"
            guard let day, text.hasPrefix(day) else { return text }
            return String(text.dropFirst(11).prefix(15))
        }

        var dateNote: String { day.map { ", on \($0)" } ?? "" }
    }
}
