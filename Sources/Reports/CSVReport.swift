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

    /// The service columns a coverage row leaves empty (all but the last four).
    static let serviceBlank = Array(repeating: "", count: header.count - 4)

    /// The CSV of `result` as one string (`write`, collected in memory).
    public static func render(_ result: AuditResult) -> String {
        ByteSink.collect { write(result, to: $0) }
    }

    /// Writes the CSV of `result` to `sink` one row at a time.
    public static func write(_ result: AuditResult, to sink: ByteSink) {
        writeRow(header, to: sink)
        for service in result.services {
            writeRow([service.address, "\(service.port)", service.node ?? "", service.classification.rawValue, service.catalogKey ?? "",
                      service.alsoCatalogKeys.joined(separator: " "), service.hint ?? "", "\(service.connections)",
                      "\(service.packets)", "\(service.bytes)", "\(service.payloadBytes)", "\(service.clients)",
                      service.sampleClients.joined(separator: " ")]
                + states.map { "\(service.states[$0] ?? 0)" } + bases.map { "\(service.directionBasis[$0] ?? 0)" }
                + ["\(service.firstSeen)", "\(service.lastSeen)"]
                + [service.protocol ?? "", (service.protocols ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
                    .joined(separator: " "), (service.tlsVersions ?? []).joined(separator: " "),
                   service.dependency ?? "", result.capturePointNames]
                + ["service", "", "", ""], to: sink)
        }
        for row in result.csvCoverageRows {
            writeRow(serviceBlank + ["coverage", row.item, row.value, row.note], to: sink)
        }
    }

    /// One row: its fields made safe (`csvField`), separated by commas, ended by CRLF.
    private static func writeRow(_ fields: [String], to sink: ByteSink) {
        for (index, field) in fields.enumerated() {
            if index > 0 { sink.write(byte: UInt8(ascii: ",")) }
            sink.write(field.csvField)
        }
        sink.write("\r\n")
    }
}
