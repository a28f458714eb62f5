import Audit
import Flows

/// Every TCP connection as one record, in the spirit of a line of Zeek's conn.log: who
/// was the client and who the server (and on what evidence), how far the connection got,
/// what flowed each way, when, on which VLAN and out of which tunnel. Written as NDJSON (one
/// JSON object per line) or CSV (a header line, then one row per connection), with the same
/// fields in the same order; docs/flows.md says what each one means.
public enum ConnectionExport {
    public enum Format: String, CaseIterable, Sendable {
        /// One JSON object per line; a missing VLAN is `null`.
        case ndjson
        /// A header line, then one row per connection; a missing VLAN is an empty field.
        case csv
    }

    /// The field names, in the order both formats write them.
    public static let fields = [
        "client", "client_port", "server", "server_port", "direction_basis", "state",
        "packets", "bytes", "packets_to_server", "packets_to_client",
        "payload_bytes_to_server", "payload_bytes_to_client", "first_seen", "last_seen", "vlan",
        "protocol", "tls_version", "tunnel",
    ]

    /// The records of `connections`, in their order (`FlowTable.finish` gives the order of
    /// first packets), each line ending in a newline, as one string (`write`, collected).
    public static func render(_ connections: [Connection], as format: Format) -> String {
        ByteSink.collect { write(connections, as: format, to: $0) }
    }

    /// Writes the records of `connections` to `sink` one line at a time, after the header
    /// line a format has.
    public static func write(_ connections: [Connection], as format: Format, to sink: ByteSink) {
        writeHeader(as: format, to: sink)
        writeRecords(connections, as: format, to: sink)
    }

    /// The line before the records: CSV's field names; nothing in NDJSON.
    public static func writeHeader(as format: Format, to sink: ByteSink) {
        if format == .csv { sink.write(fields.joined(separator: ",") + "\n") }
    }

    /// The records of `connections`, one line each: a listing written a part at a time
    /// (`dasaudit flows`, as connections end) is `writeHeader`, then this for each part.
    public static func writeRecords(_ connections: [Connection], as format: Format, to sink: ByteSink) {
        for connection in connections {
            if format == .ndjson { sink.write(byte: UInt8(ascii: "{")) }
            for (index, value) in values(of: connection).enumerated() {
                if index > 0 { sink.write(byte: UInt8(ascii: ",")) }
                switch format {
                case .csv: sink.write(value.csv)
                case .ndjson:
                    sink.write(byte: UInt8(ascii: "\""))
                    sink.write(fields[index])
                    sink.write("\":")
                    sink.write(value.json)
                }
            }
            sink.write(format == .ndjson ? "}\n" : "\n")
        }
    }

    /// One field's value: text, a number, or nothing.
    enum Value {
        case text(String)
        case number(UInt64)
        case none

        /// Addresses, names and RFC 3339 times hold no character JSON must escape.
        var json: String {
            switch self {
            case .text(let text): "\"\(text)\""
            case .number(let number): "\(number)"
            case .none: "null"
            }
        }

        /// None of the texts holds a comma, a quote or a line break: no CSV quoting needed.
        var csv: String {
            switch self {
            case .text(let text): text
            case .number(let number): "\(number)"
            case .none: ""
            }
        }
    }

    /// The values of `connection`, in the order of `fields`.
    static func values(of connection: Connection) -> [Value] {
        [
            .text("\(connection.client.address)"), .number(UInt64(connection.client.port)),
            .text("\(connection.server.address)"), .number(UInt64(connection.server.port)),
            .text(connection.directionBasis.rawValue), .text(connection.state.rawValue),
            .number(connection.packets), .number(connection.bytes),
            .number(connection.packetsToServer), .number(connection.packetsToClient),
            .number(connection.payloadBytesToServer), .number(connection.payloadBytesToClient),
            .text("\(Timestamp(nanoseconds: connection.firstSeen))"), .text("\(Timestamp(nanoseconds: connection.lastSeen))"),
            connection.vlan.map { .number(UInt64($0)) } ?? .none,
            .text(connection.evidence.name.name), connection.evidence.tlsVersion.map { .text($0.name) } ?? .none,
            connection.tunnel == .none ? .none : .text(connection.tunnel.name),
        ]
    }
}
