import Audit

/// An audit (so far) in the Prometheus text exposition format (version 0.0.4), for
/// `live --metrics-listen` and `--metrics-file`: names prefixed `dasaudit_`, base units,
/// `_total` on counters. Cardinality is fixed: labels take only the values of closed sets
/// (classification, severity, drop source, the version), never an address or a port, so
/// a port scan cannot grow the series a Prometheus server keeps.
public enum PrometheusExposition {
    /// The `Content-Type` of the text format.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    public static func render(_ result: AuditResult, version: String = DasauditVersion.current) -> String {
        let drops = result.coverage.drops ?? Drops(kernel: 0, interface: 0)
        var out = ""
        func family(_ name: String, _ type: String, _ help: String, _ samples: [(labels: String, value: String)]) {
            out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
            for sample in samples { out += "\(name)\(sample.labels) \(sample.value)\n" }
        }
        family("dasaudit_packets_total", "counter", "Packets captured.", [("", "\(result.coverage.packets)")])
        family("dasaudit_dropped_packets_total", "counter",
               "Packets lost before dasaudit saw them, as libpcap counts them: kernel (buffer full) or interface.",
               [("{source=\"kernel\"}", "\(drops.kernel)"), ("{source=\"interface\"}", "\(drops.interface)")])
        family("dasaudit_connections_total", "counter", "TCP connections tracked.", [("", "\(result.coverage.connections)")])
        family("dasaudit_services", "gauge", "Server endpoints that carried traffic, by classification under the policy.",
               Classification.allCases.map { ("{classification=\"\($0.rawValue)\"}", "\(result.summary.classifications[$0.rawValue] ?? 0)") })
        family("dasaudit_findings", "gauge", "Findings of the audit so far, by severity, waived ones excluded.",
               Severity.allCases.reversed().map { ("{severity=\"\($0.rawValue)\"}", "\(result.summary.findings[$0.rawValue] ?? 0)") })
        family("dasaudit_capture_window_seconds", "gauge", "Seconds from the first packet captured to the last.",
               [("", number(result.coverage.durationSeconds))])
        family("dasaudit_build_info", "gauge", "Always 1; the version of dasaudit serving these metrics.",
               [("{version=\"\(labelValue(version))\"}", "1")])
        return out
    }

    /// A sample value: a finite number as Prometheus reads it.
    static func number(_ value: Double) -> String { value.isFinite ? "\(value)" : "0" }

    /// A label value escaped as the format requires: backslash, double quote and line feed.
    static func labelValue(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }
}
