import Flows
import Wire

/// The endpoints dasaudit itself serves while it audits (`live --metrics-listen`): a
/// Prometheus scrape of them is traffic of the audit, not of the cluster, so their
/// services are classified `allowed` with the reason as their hint, and never make a
/// finding. Without this, every capture on `lo`, on `any` or on the interface the metrics
/// listen on judged dasaudit's own endpoint a HIGH `unexpected-port`, and the run failed
/// because of itself.
///
/// A listener on one address is that address and port. A listener on every address
/// (`0.0.0.0`, `::`) is the port on each address of the host the audit runs on (its
/// interfaces' addresses when it starts, `addresses`), not the port on every host: another
/// node's service at the same port is still judged.
public struct OwnEndpoints: Sendable {
    /// Each endpoint served, and why it is the audit's own.
    private var reasons: [Endpoint: String] = [:]

    public init() {}

    /// Whether there is none (the audit of files, a live audit without a listener).
    public var isEmpty: Bool { reasons.isEmpty }

    /// Notes a listener on `host` (a numeric address) and `port`; `localAddresses` gives the
    /// host's own addresses, what a listener on every address answers at (asked only for
    /// one); `reason` says what it is.
    public mutating func add(host: String, port: UInt16, localAddresses: () -> [IPAddress], reason: String) {
        guard let address = IPAddress(host) else { return }
        let everywhere = address == IPAddress(ipv4: 0) || address == IPAddress(high: 0, low: 0)
        for own in everywhere ? localAddresses() : [address] {
            reasons[Endpoint(address: own, port: port)] = reason
        }
    }

    /// Why `endpoint` is the audit's own, or nil when it is not.
    public func reason(for endpoint: Endpoint) -> String? {
        reasons.isEmpty ? nil : reasons[endpoint]
    }
}
