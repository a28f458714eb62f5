import Audit

/// The host x port picture: one cell per server address and port, marked with what the
/// audit said of it (its classification), `unused` for a port the policy expects that
/// carried no traffic on any host, and `refused` for a port that was only tried. The
/// longer of the two axes runs down the page, so a cluster of many hosts or many ports
/// still fits the width.
struct PortMatrix {
    private(set) var hosts: [String] = []
    /// The declared node of each host, where the result names one.
    private(set) var nodes: [String: String] = [:]
    /// Ports, lowest first, with the catalog key (or hint) that names them.
    var ports: [(port: UInt16, label: String)] { portOrder.map { ($0, label(of: $0)) } }
    /// What each drawn cell shows: a service, an unused opening or an attempt of the
    /// result, found by its place there; the text is made only for the cells drawn
    /// (`cell(host:port:)`). Made for every service up front, the cells' titles were most of
    /// the report's matrix time with tens of thousands of services, 100 rows of which show.
    private var sources: [Place: Source] = [:]
    /// The place of each host in `hosts`: a cell's place is two numbers, hashed in a
    /// fraction of the time of an address (tens of thousands of services).
    private var hostNumbers: [String: Int] = [:]
    /// The ports, lowest first.
    private var portOrder: [UInt16] = []
    /// What names each port (`label(of:)`): its first service, else its first unused
    /// opening; the label is made only for the ports drawn.
    private var portNamers: [UInt16: Source] = [:]
    private let result: AuditResult
    /// Columns at most; the services table has the rest.
    var maximumColumns = 40
    /// Rows at most, as a large HTML table shows: with tens of thousands of ports the rows
    /// down the page made a matrix of 34 MB that no one reads (December 7, 2026).
    var maximumRows = 100
    /// Columns per table: the tables stack, so each fits the width of an A4 page.
    var columnsPerTable = 8

    struct Key: Hashable {
        var host: String
        var port: UInt16
    }

    struct Cell {
        var cssClass: String
        var text: String
        var title: String
    }

    private enum Source {
        case service(Int)
        case unused(Int)
        case attempt(Int)
    }

    /// A cell's place: the host's number in `hosts`, and the port.
    private struct Place: Hashable {
        var host: Int
        var port: UInt16
    }

    init(_ result: AuditResult) {
        self.result = result
        sources.reserveCapacity(result.services.count)
        for index in result.services.indices {
            let address = result.services[index].address, port = result.services[index].port
            // The services come by address: most are on the host of the one before.
            let host = address == hosts.last ? hosts.count - 1 : number(of: address)
            if let node = result.services[index].node { nodes[address] = node }
            if portNamers[port] == nil { portNamers[port] = .service(index) }
            sources[Place(host: host, port: port)] = .service(index)
        }
        for (index, opening) in result.unusedOpenings.enumerated() {
            if portNamers[opening.port] == nil { portNamers[opening.port] = .unused(index) }
            // An opening expected of one node is unused on that node's hosts; one expected
            // of no node in particular, on every host.
            for host in hosts.indices where sources[Place(host: host, port: opening.port)] == nil
                && (opening.node == nil || nodes[hosts[host]] == opening.node) {
                sources[Place(host: host, port: opening.port)] = .unused(index)
            }
        }
        for (index, attempt) in result.attempts.enumerated() where portNamers[attempt.port] != nil {
            guard let host = hostNumbers[attempt.address], sources[Place(host: host, port: attempt.port)] == nil else { continue }
            sources[Place(host: host, port: attempt.port)] = .attempt(index)
        }
        portOrder = portNamers.keys.sorted()
    }

    /// The number of `address` in `hosts`, added at the end when it is not there yet.
    private mutating func number(of address: String) -> Int {
        if let number = hostNumbers[address] { return number }
        hosts.append(address)
        hostNumbers[address] = hosts.count - 1
        return hosts.count - 1
    }

    /// The catalog key (or hint) that names `port`: its first service's, else its first
    /// unused opening's.
    private func label(of port: UInt16) -> String {
        switch portNamers[port] {
        case .service(let index)?: result.services[index].catalogKeys.first ?? result.services[index].hintLabel ?? ""
        case .unused(let index)?: result.unusedOpenings[index].catalogKey
        case .attempt?, nil: ""
        }
    }

    /// The cell of `host` and `port`, nil where nothing was seen.
    func cell(host: String, port: UInt16) -> Cell? {
        hostNumbers[host].flatMap { sources[Place(host: $0, port: port)] }.map(cell)
    }

    /// Every cell, by host and port.
    var cells: [Key: Cell] {
        Dictionary(uniqueKeysWithValues: sources.map { (Key(host: hosts[$0.key.host], port: $0.key.port), cell($0.value)) })
    }

    private func cell(_ source: Source) -> Cell {
        switch source {
        case .service(let index):
            let service = result.services[index]
            let classification = service.classification.rawValue
            return Cell(cssClass: "c-\(classification)", text: service.protocol.map { "\(classification) \($0)" } ?? classification,
                        title: "\(service.endpoint) \(classification), \(service.protocolText): \(service.connections) connections, "
                            + "\(service.bytes) bytes")
        case .unused(let index):
            let opening = result.unusedOpenings[index]
            return Cell(cssClass: "unused", text: "unused",
                        title: "\(opening.catalogKey) (port \(opening.port)) carried no traffic " + (opening.node.map { "on \($0)" } ?? "on any host"))
        case .attempt(let index):
            let attempt = result.attempts[index]
            return Cell(cssClass: "attempt", text: attempt.unanswered > 0 ? "unanswered" : "refused",
                        title: "\(endpointText(attempt.address, attempt.port)): \(attempt.refused) refused, \(attempt.unanswered) unanswered")
        }
    }

    /// The class of each kind of cell drawn anywhere (`Cell.cssClass`), for the legend.
    private var presentClasses: Set<String> {
        var classifications = Set<Classification>(), others = Set<String>()
        for source in sources.values {
            switch source {
            case .service(let index): classifications.insert(result.services[index].classification)
            case .unused: others.insert("unused")
            case .attempt: others.insert("attempt")
            }
        }
        return others.union(classifications.map { "c-\($0.rawValue)" })
    }

    func render() -> Markup {
        guard !hosts.isEmpty else {
            return "<p>No service carried traffic, so there is no host to show.</p>"
        }
        let portsDown = portOrder.count >= hosts.count
        let (rowCount, columnCount) = portsDown ? (portOrder.count, hosts.count) : (hosts.count, portOrder.count)
        // Only the ports drawn are named.
        func portNames(_ count: Int) -> [String] { portOrder.prefix(count).map { "\($0)" } }
        let rowKeys = portsDown ? portNames(maximumRows) : Array(hosts.prefix(maximumRows))
        let columns = portsDown ? Array(hosts.prefix(maximumColumns)) : portNames(maximumColumns)
        let portLabel = Dictionary(uniqueKeysWithValues: (portsDown ? rowKeys : columns).map { ($0, label(of: UInt16($0)!)) })
        func header(_ name: String) -> Markup {
            let label = portLabel[name] ?? nodes[name] ?? ""
            return label.isEmpty ? "<span class=\"mono\">\(name)</span>" : "<span class=\"mono\">\(name)</span> <span class=\"muted\">\(label)</span>"
        }
        // At most `columnsPerTable` columns per table, tables one under another: a table as
        // wide as 20 hosts is cut by an A4 page (printing cannot scroll), eight fit.
        let tables = stride(from: 0, to: columns.count, by: columnsPerTable).map { start -> Markup in
            let slice = Array(columns[start..<min(start + columnsPerTable, columns.count)])
            let head = slice.map { column -> Markup in "<th scope=\"col\">\(header(column))</th>" }
            let body = rowKeys.map { row -> Markup in
                let cells = slice.map { column -> Markup in
                    let key = portsDown ? Key(host: column, port: UInt16(row)!) : Key(host: row, port: UInt16(column)!)
                    guard let cell = self.cell(host: key.host, port: key.port) else { return "<td></td>" }
                    return "<td class=\"\(cell.cssClass)\" title=\"\(cell.title)\">\(cell.text)</td>"
                }
                return "<tr><th scope=\"row\">\(header(row))</th>\(cells)</tr>\n"
            }
            let part: Markup = columns.count > columnsPerTable
                ? "<p class=\"muted\">\(portsDown ? "Hosts" : "Ports") \(start + 1)-\(start + slice.count) of \(columns.count)</p>\n" : ""
            return """
            \(part)<div class="scroll"><table class="matrix">
            <thead><tr><th class="axis" scope="col">\(portsDown ? "port \\ host" : "host \\ port")</th>\(head)</tr></thead>
            <tbody>
            \(body)</tbody>
            </table></div>

            """
        }
        let present = presentClasses
        let legend = Classification.allCases.map { (cssClass: "c-\($0.rawValue)", label: $0.rawValue) }
            .filter { present.contains($0.cssClass) }
            + [(cssClass: "unused", label: "unused: expected there, no traffic"), (cssClass: "attempt", label: "refused or unanswered")]
            .filter { present.contains(String($0.cssClass)) }
        let cut: Markup = columnCount > columns.count
            ? "<p class=\"muted\">The first \(columns.count) of \(columnCount) \(portsDown ? "hosts" : "ports") are shown; the services table lists them all.</p>\n" : ""
        let cutRows: Markup = rowCount > rowKeys.count
            ? "<p class=\"muted\">The first \(rowKeys.count) of \(rowCount) \(portsDown ? "ports" : "hosts") are shown down the page; the services table lists them all.</p>\n" : ""
        return """
        <p class="muted">\(portsDown ? "Ports down, hosts across" : "Hosts down, ports across"): what the audit said of each server endpoint. An empty cell: no traffic there.</p>
        \(HTMLLegend.render(legend))\(tables)\(cut)\(cutRows)
        """
    }
}
