import Audit
import Flows

/// One row per service with raw numbers, for spreadsheets and scripts (RFC 4180: CRLF
/// line ends, a header row; each field made safe for spreadsheets by `String.csvField`).
/// Connection states and direction bases get a column each, zero included, so the columns
/// are the same for every audit. A server outside the cluster is told apart by its
/// classification (`dependency`, `undeclared-dependency`) and the declared dependency's name.
///
/// After the services, one row per coverage item (`AuditResult.csvCoverageRows`): what the
/// audit saw and could not see, which every other format says too, so that a CSV read to
/// gate CI cannot pass an incomplete input in silence. The last columns tell the rows
/// apart: `what` (`service` or `coverage`), then the coverage item, its value and its
/// note, empty on service rows; a coverage row leaves the service columns empty. Columns
/// were only added at the end, so a reader by name or by position finds the service
/// columns where they were.
public enum CSVReport {
    /// The connection states a service's connections can end in (those that carried traffic).
    static let states = ConnectionState.allCases.filter(\.isTraffic).map(\.rawValue)
    /// How a service connection's server side can be decided (unknown ones are not services).
    static let bases = DirectionBasis.allCases.filter { $0 != .unknown }.map(\.rawValue)

    /// The column names, in order.
    static let header = ["address", "port", "node", "classification", "catalog_key", "also_catalog_keys", "hint", "connections",
                         "packets", "bytes", "payload_bytes", "clients", "sample_clients"]
        + states.map { "state_\($0)" } + bases.map { "basis_\($0)" } + ["first_seen", "last_seen"]
        + ["protocol", "protocols", "tls_versions", "dependency", "capture_points"]
        + ["what", "coverage", "coverage_value", "coverage_note"]

    /// The column of each state and each basis among theirs.
    static let stateColumn = Dictionary(uniqueKeysWithValues: states.enumerated().map { ($1, $0) })
    static let basisColumn = Dictionary(uniqueKeysWithValues: bases.enumerated().map { ($1, $0) })

    /// The service columns a coverage row leaves empty (all but the last four).
    static let serviceBlank = Array(repeating: "", count: header.count - 4)

    /// The CSV of `result` as one string (`write`, collected in memory).
    public static func render(_ result: AuditResult) -> String {
        ByteSink.collect { write(result, to: $0) }
    }

    /// Writes the CSV of `result` to `sink` one row at a time, each field as it is made:
    /// counts as digits, with no string (or array of strings) made per row first.
    public static func write(_ result: AuditResult, to sink: ByteSink) {
        var row = Row(sink)
        // The count columns filled from the few keys each service has, not looked up by every
        // column's name (15 lookups of a string a service).
        var stateCounts = [UInt64](repeating: 0, count: states.count), basisCounts = [UInt64](repeating: 0, count: bases.count)
        for name in header { row.field(name) }
        row.end()
        let capturePointNames = result.capturePointNames
        for service in result.services {
            row.field(service.address)
            row.field(UInt64(service.port))
            row.field(service.node ?? "")
            row.field(service.classification.rawValue)
            row.field(service.catalogKey ?? "")
            row.field(joining: service.alsoCatalogKeys)
            row.field(service.hint ?? "")
            row.field(service.connections)
            row.field(service.packets)
            row.field(service.bytes)
            row.field(service.payloadBytes)
            row.field(service.clients)
            row.field(joining: service.sampleClients)
            row.fields(service.states, column: stateColumn, counts: &stateCounts)
            row.fields(service.directionBasis, column: basisColumn, counts: &basisCounts)
            row.field(service.firstSeen)
            row.field(service.lastSeen)
            row.field(service.protocol ?? "")
            row.field(protocols: service.protocols ?? [:])
            row.field(joining: service.tlsVersions ?? [])
            row.field(service.dependency ?? "")
            row.field(capturePointNames)
            for last in ["service", "", "", ""] { row.field(last) }
            row.end()
        }
        for coverage in result.csvCoverageRows {
            for field in serviceBlank + ["coverage", coverage.item, coverage.value, coverage.note] { row.field(field) }
            row.end()
        }
    }

    /// The row being written: fields separated by commas, each text made safe
    /// (`csvField`), each row ended by CRLF.
    private struct Row {
        let sink: ByteSink
        var started = false

        init(_ sink: ByteSink) { self.sink = sink }

        mutating func field(_ text: String) {
            separate()
            sink.write(text.csvField)
        }

        /// `texts` joined by spaces, as one field: written piece by piece when no piece needs
        /// making safe (the joined text then needs none either), else joined first.
        mutating func field(joining texts: [String]) {
            guard texts.allSatisfy(\.isPlainCSVField) else { return field(texts.joined(separator: " ")) }
            separate()
            for (index, text) in texts.enumerated() {
                if index > 0 { sink.write(byte: UInt8(ascii: " ")) }
                sink.write(text)
            }
        }

        /// Protocol counts as `name=count` pairs in the names' order, space-separated; a
        /// service has one or two, written without the pairs made as strings first. (A name
        /// that is empty would start the field with `=`, a formula: made safe, as any other.)
        mutating func field(protocols: [String: UInt64]) {
            guard protocols.keys.allSatisfy({ !$0.isEmpty && $0.isPlainCSVField }) else {
                return field(protocols.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))
            }
            separate()
            func write(_ pair: (key: String, value: UInt64)) {
                sink.write(pair.key)
                sink.write(byte: UInt8(ascii: "="))
                sink.write(decimal: pair.value)
            }
            if protocols.count == 1, let only = protocols.first { return write(only) }
            for (index, pair) in protocols.sorted(by: { $0.key < $1.key }).enumerated() {
                if index > 0 { sink.write(byte: UInt8(ascii: " ")) }
                write(pair)
            }
        }

        /// A time as its `description`: digits and separators, nothing to make safe.
        mutating func field(_ time: Timestamp) {
            separate()
            sink.write(time)
        }

        /// A count: digits only, nothing to make safe.
        mutating func field(_ count: UInt64) {
            separate()
            sink.write(decimal: count)
        }

        mutating func field(_ count: Int) {
            separate()
            sink.write(decimal: Int64(count))
        }

        /// A field for each column of `column` (a name's place among the columns), in order:
        /// its count in `values`, 0 if none. `counts` is room for them, reused row to row.
        mutating func fields(_ values: [String: UInt64], column: [String: Int], counts: inout [UInt64]) {
            for index in counts.indices { counts[index] = 0 }
            for (name, count) in values { if let index = column[name] { counts[index] = count } }
            for count in counts { field(count) }
        }

        mutating func end() {
            sink.write("\r\n" as StaticString)
            started = false
        }

        private mutating func separate() {
            if started { sink.write(byte: UInt8(ascii: ",")) }
            started = true
        }
    }
}
