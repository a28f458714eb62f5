/// The traffic an audit could not judge: its connections of unknown direction (no
/// handshake, and no rule that tells the server side), against all it audited.
///
/// Such connections are listed apart and no port of them is judged. When they are a few
/// keep-alives among many connections that is a note (`direction-unknown`, info); when
/// they are most of what was captured (a bulk transfer from an unknown listener on a port
/// in the ephemeral range, begun before the capture, beside one keep-alive to a catalog
/// port), a verdict drawn from the rest says little: the finding is then medium, as an
/// input read only in part is (`incomplete-input`), and the verdict line and the coverage
/// line say how much was not judged (docs/reports.md, "Traffic not judged").
public struct UnjudgedTraffic: Sendable, Equatable {
    /// Connections of unknown direction, listed or not.
    public var connections: Int
    /// Frame bytes of the listed ones (those past the listing cap have no byte count).
    public var bytes: UInt64
    /// Every connection audited (`coverage.connections`).
    public var totalConnections: Int
    /// Frame bytes of the services (listed or not) and of the connections of unknown
    /// direction; refused and unanswered connects carry next to nothing and are left out.
    public var totalBytes: UInt64

    /// - Parameter judgedBytes: the services' frame bytes, listed or not.
    public init(connections: Int, bytes: UInt64, totalConnections: Int, judgedBytes: UInt64) {
        self.connections = connections
        self.bytes = bytes
        self.totalConnections = max(totalConnections, connections)
        totalBytes = judgedBytes.addingSaturated(bytes)
    }

    /// Whether the connections of unknown direction are at least half of the connections
    /// or of the bytes: the audit then judged the lesser part of what it saw.
    public var isLarge: Bool {
        connections > 0 && (connections >= totalConnections - connections || bytes >= totalBytes - bytes)
    }

    /// The bytes' share in tenths of a percent, rounded down (99.99% is not 100%).
    var bytesPerMille: UInt64 {
        totalBytes == 0 ? 0 : UInt64((Double(bytes) / Double(totalBytes) * 1000).rounded(.down))
    }

    /// "1 of 2 connections (367429376 of 367430300 bytes, 99.9%) of unknown direction, not judged".
    public var text: String {
        let share = bytesPerMille
        return "\(connections) of \(totalConnections) connection\(totalConnections == 1 ? "" : "s") "
            + "(\(bytes) of \(totalBytes) bytes, \(share / 10).\(share % 10)%) of unknown direction, not judged"
    }
}

extension AuditResult {
    /// What this result could not judge (`UnjudgedTraffic`), from its lists and coverage.
    public var unjudgedTraffic: UnjudgedTraffic {
        UnjudgedTraffic(
            connections: unresolved.count + coverage.unresolvedNotListed,
            bytes: unresolved.reduce(0) { $0.addingSaturated($1.bytes) },
            totalConnections: coverage.connections,
            judgedBytes: services.reduce(coverage.serviceBytesNotListed) { $0.addingSaturated($1.bytes) })
    }
}

extension AuditResult {
    /// `unjudgedTraffic`'s text when it is large (`isLarge`), else nil: what each report's
    /// coverage says. Numbers only, nothing from the inputs, so no format escapes it.
    public var unjudgedText: String? {
        let unjudged = unjudgedTraffic
        return unjudged.isLarge ? unjudged.text : nil
    }
}
