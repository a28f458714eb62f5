import Policy
import Protocols

/// The listening side of a generated capture: which (host, port) endpoints are services,
/// what each speaks, and which ports are closed (where refused and unanswered connects go).
struct ServicePlan {
    struct Service {
        var host: Int
        var port: UInt16
        /// What its connections' payloads start with (`.other`: zeros).
        var speaks: ProtocolName
        /// Whether the catalog expects it under the shape's offset.
        var expected: Bool
    }

    let services: [Service]
    /// Per server host: IPv6 or not.
    let hostIsIPv6: [Bool]
    /// The closed ports of every server host (`TrafficShape.closedPortsPerHost`).
    let closedPorts: [UInt16]
    /// Services by `key(host:port:)`.
    let serviceAt: [UInt32: Int]

    static func key(host: Int, port: UInt16) -> UInt32 { UInt32(host) << 16 | UInt32(port) }

    /// The policy the shape's expected services follow: the default profile, in cluster
    /// mode, two cores per node, at the shape's offset (what `scripts/bench.sh` audits with).
    static func policy(offset: Int) -> Policy { Policy(offset: offset, mode: .cluster, coresPerNode: 2) }

    /// The expected ports under `policy` with what each speaks, in port order: every port
    /// of an expected catalog entry, and the executor ports allowed.
    static func expectedPorts(_ policy: Policy) -> [(port: UInt16, speaks: ProtocolName)] {
        var ports: [UInt16: ProtocolName] = [:]
        for entry in policy.expectedEntries {
            let speaks = policy.expectedProtocol(key: entry.key) ?? .other
            let range = entry.isExecutorBand
                ? policy.executorAllowed.map { $0.lowerBound...$0.upperBound } ?? policy.ports(of: entry)
                : policy.ports(of: entry)
            for port in range where ports[port] == nil { ports[port] = speaks }
        }
        return ports.sorted { $0.key < $1.key }.map { (port: $0.key, speaks: $0.value) }
    }

    /// Ports no catalog entry of the profile has under `policy` (any mode or group), outside
    /// the executor band, from 20000 up and then from 1024 up.
    static func unexplainedPorts(_ policy: Policy) -> [UInt16] {
        var taken = Set<UInt16>()
        for entry in policy.catalog { taken.formUnion(policy.ports(of: entry)) }
        if let band = policy.executorBand { taken.formUnion(band.lowerBound...band.upperBound) }
        return (Array(20000...65535) + Array(1024..<20000)).map(UInt16.init).filter { !taken.contains($0) }
    }

    /// Lays out `shape`'s services, or says which parameter cannot be met.
    init(_ shape: TrafficShape) throws(ShapeError) {
        let policy = Self.policy(offset: shape.offset)
        let expectedPorts = Self.expectedPorts(policy)
        var pool = Self.unexplainedPorts(policy)
        closedPorts = Array(pool.suffix(TrafficShape.closedPortsPerHost))
        pool.removeLast(TrafficShape.closedPortsPerHost)
        let hosts = shape.serverHosts
        let unexpected = Int((Double(shape.services) * shape.unexpectedShare).rounded())
        let expected = shape.services - unexpected
        if expected > hosts * expectedPorts.count {
            throw ShapeError("\(expected) expected services need at least \((expected + expectedPorts.count - 1) / expectedPorts.count) "
                + "server hosts (\(expectedPorts.count) catalog ports each); raise the server hosts or the unexpected share")
        }
        if unexpected > hosts * pool.count {
            throw ShapeError("\(unexpected) unexpected services need at least \((unexpected + pool.count - 1) / pool.count) "
                + "server hosts (\(pool.count) unexplained ports each); raise the server hosts")
        }
        let unexpectedSpeaks: [ProtocolName] = [.http, .tls, .thrift, .other]
        var services: [Service] = []
        services.reserveCapacity(shape.services)
        // Service i takes port i mod P of its list, on host (i / P + i mod P) mod hosts: the
        // ports spread over the hosts, and no (host, port) twice while i < hosts * P.
        func host(_ index: Int, of ports: Int) -> Int { (index / ports + index % ports) % hosts }
        for index in 0..<expected {
            let (port, speaks) = expectedPorts[index % expectedPorts.count]
            services.append(Service(host: host(index, of: expectedPorts.count), port: port,
                                    speaks: shape.payloads ? speaks : .other, expected: true))
        }
        for index in 0..<unexpected {
            let speaks = unexpectedSpeaks[index % unexpectedSpeaks.count]
            services.append(Service(host: host(index, of: pool.count), port: pool[index % pool.count],
                                    speaks: shape.payloads ? speaks : .other, expected: false))
        }
        self.services = services
        let ipv6Hosts = Int((Double(hosts) * shape.ipv6Share).rounded())
        hostIsIPv6 = (0..<hosts).map { $0 < ipv6Hosts }
        var serviceAt: [UInt32: Int] = [:]
        for (index, service) in services.enumerated() { serviceAt[Self.key(host: service.host, port: service.port)] = index }
        self.serviceAt = serviceAt
    }
}

/// A shape that cannot be generated, or an input that cannot be repeated, with the reason.
public struct ShapeError: Error, Sendable, CustomStringConvertible, Equatable {
    public let description: String
    init(_ description: String) { self.description = description }
}
