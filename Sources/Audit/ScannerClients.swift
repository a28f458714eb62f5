import Flows
import Wire

/// The port scanners among each service's clients: what keeps a scanner's probes out of
/// what a port speaks and of its protocol findings (`ServiceTraffic+Scanners`).
enum ScannerClients {
    /// Marks, in each service that recorded clients of its protocols, those that ran one of
    /// `scans`. Uses only the scans' result: whatever port-scan detection calls a scanner.
    static func mark(_ scans: [PortScanSummary], in services: inout [ClassifiedService]) {
        let scanners = Set(scans.compactMap { IPAddress($0.scanner) })
        guard !scanners.isEmpty else { return }
        for index in services.indices where !services[index].traffic.protocolClients.isEmpty {
            services[index].traffic.markScanners(scanners)
        }
    }
}
