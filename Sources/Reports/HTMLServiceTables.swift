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
        // The cells' closures capture the fields they write, never `service`: a closure that
        // did copied the whole summary (a dozen references) for its cell.
        func cells(_ service: ServiceSummary, _ row: inout HTMLTable.Cells) {
            if nodes { row.add(text: service.node ?? "-") }
            row.add("<span class=\"mono nowrap\">", text: service.address, "</span>")
            row.add(count: UInt64(service.port))
            let classification = service.classification.rawValue
            row.add { sink in
                sink.write("<span class=\"badge c-" as StaticString)
                sink.write(htmlEscaping: classification)
                sink.write("\">" as StaticString)
                sink.write(htmlEscaping: classification)
                sink.write("</span>" as StaticString)
            }
            // The catalog keys (`catalogKeys`), else the hint, else "-".
            if service.catalogKey != nil || !service.alsoCatalogKeys.isEmpty {
                let (key, otherKeys) = (service.catalogKey, service.alsoCatalogKeys)
                row.add { list(key, otherKeys, separator: " | ", to: $0) }
            } else if let hint = service.hint {
                row.add("<span class=\"muted\">", text: hint, "</span>")
            } else {
                row.add(text: "-")
            }
            row.add(text: service.protocolText)
            row.add(count: service.connections)
            row.add(count: service.packets)
            row.add(count: service.bytes)
            row.add(count: service.payloadBytes)
            row.add(number: service.clients)
            let (clients, states, basis) = (service.sampleClients, service.states, service.directionBasis)
            row.add { list(nil, clients, separator: ", ", to: $0) }
            row.add { counts(states, to: $0) }
            row.add { counts(basis, to: $0) }
            let (firstSeen, lastSeen) = (service.firstSeen, service.lastSeen)
            row.add { sink in
                sink.write("<span class=\"nowrap\">" as StaticString)
                clock.write(firstSeen, to: sink)
                sink.write("<br>" as StaticString)
                clock.write(lastSeen, to: sink)
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

    /// `first` (when there is one) and `rest`, each escaped, joined by `separator`: as
    /// `joined(separator:)` then `htmlEscaped` write them, without the array or either
    /// string made (two lists a row of the services table).
    private static func list(_ first: String?, _ rest: [String], separator: StaticString, to sink: ByteSink) {
        var needsSeparator = false
        if let first {
            sink.write(htmlEscaping: first)
            needsSeparator = true
        }
        for item in rest {
            if needsSeparator { sink.write(separator) }
            sink.write(htmlEscaping: item)
            needsSeparator = true
        }
    }

    /// "closed 1, reset 2": a count per key, keys in order, one under another.
    private static func counts(_ values: [String: UInt64], to sink: ByteSink) {
        func write(_ key: String, _ count: UInt64) {
            sink.write("<span class=\"nowrap\">" as StaticString)
            sink.write(htmlEscaping: key)
            sink.write(byte: UInt8(ascii: " "))
            sink.write(decimal: count)
            sink.write("</span>" as StaticString)
        }
        // Most services have one key: written as it is, with no sorted copy made.
        if values.count == 1, let only = values.first { return write(only.key, only.value) }
        for (index, (key, count)) in values.sorted(by: { $0.key < $1.key }).enumerated() {
            if index > 0 { sink.write("<br>" as StaticString) }
            write(key, count)
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
            withText(time) { String(decoding: $0, as: UTF8.self) }
        }

        /// Writes the text of `time` to `sink` from its bytes, with no string made (two a
        /// row of the services table); it needs no escaping.
        func write(_ time: Timestamp, to sink: ByteSink) {
            withText(time) { sink.write($0) }
        }

        /// Hands `body` the text of `time`: its RFC 3339 bytes (`Timestamp.write(into:)`),
        /// or, on `day`, the time of day "HH:MM:SS.uuuuuu" within them.
        private func withText<Result>(_ time: Timestamp, _ body: (UnsafeRawBufferPointer) -> Result) -> Result {
            withUnsafeTemporaryAllocation(byteCount: Timestamp.textLength, alignment: 1) { buffer in
                time.write(into: buffer)
                let text = UnsafeRawBufferPointer(buffer)
                guard let day, day.utf8.elementsEqual(text.prefix(day.utf8.count)) else { return body(text) }
                return body(UnsafeRawBufferPointer(rebasing: text[11..<26]))
            }
        }

        var dateNote: String { day.map { ", on \($0)" } ?? "" }
    }
}
