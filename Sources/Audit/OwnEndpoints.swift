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
/// interfaces' addresses when it starts, and those it gains while it runs, noted with
/// `addHostAddresses` before each audit), not the port on every host: another node's
/// service at the same port is still judged. An address the host loses stays its own:
/// the scrapes it carried were the audit's.
public struct OwnEndpoints: Sendable {
    /// Each endpoint served, and why it is the audit's own.
    private var reasons: [Endpoint: String] = [:]
    /// The ports listened on at every address, and why each is the audit's own.
    private var everywhere: [UInt16: String] = [:]

    public init() {}

    /// Whether there is none (the audit of files, a live audit without a listener).
    public var isEmpty: Bool { reasons.isEmpty && everywhere.isEmpty }

    /// Whether a listener is on every address, so that an address the host gains is one
    /// more of the audit's own endpoints (`addHostAddresses`).
    public var followsHostAddresses: Bool { !everywhere.isEmpty }

    /// Notes a listener on `host` (a numeric address) and `port`; `localAddresses` gives the
    /// host's own addresses, what a listener on every address answers at (asked only for
    /// one); `reason` says what it is.
    public mutating func add(host: String, port: UInt16, localAddresses: () -> [IPAddress], reason: String) {
        guard let address = IPAddress(host) else { return }
        guard address == IPAddress(ipv4: 0) || address == IPAddress(high: 0, low: 0) else {
            reasons[Endpoint(address: address, port: port)] = reason
            return
        }
        everywhere[port] = reason
        addHostAddresses(localAddresses())
    }

    /// Notes the host's `addresses` (all of them now, or only those it gained): each
    /// listener on every address answers at them too. Until December 2026 only the
    /// addresses at the start counted, and a scrape at an address added while `live` ran
    /// (`ip addr add`) was a HIGH `unexpected-port` that failed the run.
    public mutating func addHostAddresses(_ addresses: [IPAddress]) {
        for (port, reason) in everywhere {
            for address in addresses { reasons[Endpoint(address: address, port: port)] = reason }
        }
    }

    /// Why `endpoint` is the audit's own, or nil when it is not.
    public func reason(for endpoint: Endpoint) -> String? {
        reasons.isEmpty ? nil : reasons[endpoint]
    }

    /// The services of `result` that are the audit's own endpoints: what an audit of the
    /// packets alone (the files `live --write` kept) judges as any other port.
    public func services(of result: AuditResult) -> [ServiceSummary] {
        guard !isEmpty else { return [] }
        return result.services.filter { service in
            IPAddress(service.address).map { reason(for: Endpoint(address: $0, port: service.port)) != nil } ?? false
        }
    }
}
