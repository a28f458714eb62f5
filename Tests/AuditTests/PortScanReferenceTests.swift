@testable import Audit
import Flows
import Policy
@testable import TrafficGenerator
import Wire
import XCTest

/// `PortScans.find` gathers flat probes near the failed connects and sorts them; these tests
/// hold it to the definition of a scan written plainly with sets (`referenceScans`, the
/// algorithm it replaced) on random fleets of attempts and services: IPv4 and IPv6, endpoints
/// that are both a service and an attempt, empty client sets, thresholds 0 and 100 and
/// shares that land exactly on the threshold.
final class PortScanReferenceTests: XCTestCase {
    func testRandomFleetsGiveTheReferenceScansAndFoldedAttempts() {
        var random = SplitMix(seed: 17)
        var scansSeen = 0
        for fleetNumber in 0..<3000 {
            let fleet = Fleet.random(&random)
            let thresholds = ScanThresholds(
                minPorts: Int.random(in: 0...6, using: &random), minHosts: Int.random(in: 0...6, using: &random),
                minFailedPercent: [0, 1, 25, 50, 60, 75, 80, 99, 100].randomElement(using: &random)!)
            guard let scans = assertReferenceScans(fleet, thresholds, "fleet \(fleetNumber)") else { return }
            scansSeen += scans
        }
        // The fleets are dense enough that scans of both kinds are common, not a corner case.
        XCTAssertGreaterThan(scansSeen, 1000)
    }

    /// Exactly `minPorts` ports with exactly the failed share is a scan; one port fewer, or one
    /// failure fewer, is not.
    func testAShareExactlyOnTheThresholdIsAScanAndOneLessIsNot() throws {
        let scanner = IPAddress("fd00::5")!, host = IPAddress("fd00::1")!
        let thresholds = ScanThresholds(minPorts: 4, minHosts: 10, minFailedPercent: 75)
        var fleet = Fleet()
        for port: UInt16 in 1...3 { fleet.attempt(Endpoint(address: host, port: port), by: [scanner]) }
        fleet.serve(Endpoint(address: host, port: 4), to: [scanner])
        let found = PortScans(thresholds: thresholds).find(services: fleet.services, attempts: fleet.attempts)
        let scan = try XCTUnwrap(found.scans.first)
        XCTAssertEqual(found.scans.count, 1)
        XCTAssertEqual(scan.scanner, "fd00::5")
        XCTAssertEqual(scan.kind, .vertical)
        XCTAssertEqual(scan.portRanges, "1-4")
        XCTAssertEqual(scan.openPorts, ["[fd00::1]:4"])
        XCTAssertEqual(found.folded.count, 3)

        var fewerPorts = fleet
        fewerPorts.services = [:]
        XCTAssertTrue(PortScans(thresholds: thresholds).find(services: fewerPorts.services, attempts: fewerPorts.attempts).scans.isEmpty)
        var fewerFailures = fleet
        fewerFailures.attempts[Endpoint(address: host, port: 3)] = nil
        fewerFailures.serve(Endpoint(address: host, port: 3), to: [scanner])
        XCTAssertTrue(PortScans(thresholds: thresholds).find(services: fewerFailures.services, attempts: fewerFailures.attempts).scans.isEmpty)
    }

    /// With a failed share above 0, an answered connect is gathered only where its client
    /// failed on the same host or the same port: a client that failed once and talks to
    /// thousands of other endpoints costs one probe, not thousands (the memory issue 17 measured).
    func testOnlyAnsweredConnectsNextToAFailureAreGathered() {
        let client = IPAddress(ipv4: 0xC0A8_0001)
        var fleet = Fleet()
        fleet.attempt(Endpoint(address: IPAddress(ipv4: 0x0A00_0001), port: 7), by: [client])
        for index in 0..<5000 {
            fleet.serve(Endpoint(address: IPAddress(ipv4: 0x0B00_0000 + UInt32(index)), port: 20000 + UInt16(index)), to: [client])
        }
        // Next to the failure: the same host on another port, and the same port on another host.
        fleet.serve(Endpoint(address: IPAddress(ipv4: 0x0A00_0001), port: 8), to: [client])
        fleet.serve(Endpoint(address: IPAddress(ipv4: 0x0A00_0002), port: 7), to: [client])
        let near = ScanProbes(services: fleet.services, attempts: fleet.attempts, onlyNearFailures: true)
        XCTAssertEqual(near.probes.count, 3)
        XCTAssertEqual(near.probes.filter(\.failed).count, 1)
        XCTAssertEqual(Set(near.probes.filter { !$0.failed }.map { near.endpoint(of: $0) }),
                       [Endpoint(address: IPAddress(ipv4: 0x0A00_0001), port: 8), Endpoint(address: IPAddress(ipv4: 0x0A00_0002), port: 7)])
        let every = ScanProbes(services: fleet.services, attempts: fleet.attempts, onlyNearFailures: false)
        XCTAssertEqual(every.probes.count, 5003)
    }

    func testRunsSplitASortedArrayIntoItsGroups() {
        XCTAssertEqual([1, 1, 2, 3, 3, 3].runs(where: ==), [0..<2, 2..<3, 3..<6])
        XCTAssertEqual([Int]().runs(where: ==), [])
        XCTAssertEqual([4, 4, 5][1...].runs(where: ==), [1..<2, 2..<3])
    }

    /// Whether `PortScans.find` gives the reference's scans and folded attempts on `fleet`:
    /// the number of scans if so, nil (after failing the test) if not.
    private func assertReferenceScans(_ fleet: Fleet, _ thresholds: ScanThresholds, _ name: String,
                                      file: StaticString = #filePath, line: UInt = #line) -> Int? {
        let found = PortScans(thresholds: thresholds).find(services: fleet.services, attempts: fleet.attempts)
        let expected = referenceScans(thresholds, services: fleet.services, attempts: fleet.attempts)
        XCTAssertEqual(found.scans, expected.scans, "\(name), \(thresholds)", file: file, line: line)
        XCTAssertEqual(found.folded, expected.folded, "\(name), \(thresholds)", file: file, line: line)
        return found.scans == expected.scans && found.folded == expected.folded ? found.scans.count : nil
    }

    /// Services with many clients and few failed clients on their host or port, where the
    /// answered connects near a failure are found by looking each failed client up among
    /// the service's clients (a binary search) rather than the other way round: the same
    /// scans and folded attempts as the reference.
    func testServicesWithManyClientsGiveTheReferenceScans() {
        var random = SplitMix(seed: 23)
        let hosts = ["10.0.0.1", "10.0.0.2", "fd00::1"].map { IPAddress($0)! }
        let pool = (0..<60).map { IPAddress(ipv4: 0xC0A8_0000 + UInt32($0)) } + [IPAddress("fd00::9")!]
        var scansSeen = 0
        for fleetNumber in 0..<600 {
            var fleet = Fleet()
            let ports = (0..<Int.random(in: 1...6, using: &random)).map { UInt16(9000 + $0) }
            func someClients(_ counts: ClosedRange<Int>) -> Set<IPAddress> {
                Set((0..<Int.random(in: counts, using: &random)).map { _ in pool.randomElement(using: &random)! })
            }
            for _ in 0..<Int.random(in: 0...8, using: &random) {
                fleet.attempt(Endpoint(address: hosts.randomElement(using: &random)!, port: ports.randomElement(using: &random)!),
                              by: someClients(1...2), at: Int64.random(in: 0...1_000_000, using: &random))
            }
            for _ in 0..<Int.random(in: 0...20, using: &random) {
                fleet.serve(Endpoint(address: hosts.randomElement(using: &random)!, port: ports.randomElement(using: &random)!),
                            to: someClients(5...40), packets: UInt64.random(in: 1...8, using: &random),
                            halfOpen: Bool.random(using: &random), at: Int64.random(in: 0...1_000_000, using: &random))
            }
            let thresholds = ScanThresholds(
                minPorts: Int.random(in: 0...4, using: &random), minHosts: Int.random(in: 0...3, using: &random),
                minFailedPercent: [1, 10, 25, 50].randomElement(using: &random)!)
            guard let scans = assertReferenceScans(fleet, thresholds, "fleet \(fleetNumber)") else { return }
            scansSeen += scans
        }
        XCTAssertGreaterThan(scansSeen, 100)
    }
}

/// Port scans by their definition, with a set of ports per (client, host) and of hosts per
/// (client, port), gathering every answered connect: slow, but plainly what the policy's
/// `ScanThresholds` say. The summaries too are built plainly, from the dictionaries, with
/// sets and sorts (`referenceSummary`, `referenceScanType`: the code that numbered endpoints,
/// bit sets of ports and counting sorts replaced).
private func referenceScans(_ thresholds: ScanThresholds, services: [Endpoint: ServiceTraffic],
                            attempts: [Endpoint: ServiceAttempts]) -> (scans: [PortScanSummary], folded: Set<Endpoint>) {
    struct Pair: Hashable { var client: IPAddress; var host: IPAddress }
    struct ClientPort: Hashable { var client: IPAddress; var port: UInt16 }
    var failedPorts: [Pair: Set<UInt16>] = [:], openPorts: [Pair: Set<UInt16>] = [:]
    for (endpoint, tries) in attempts {
        for client in tries.clients { failedPorts[Pair(client: client, host: endpoint.address), default: []].insert(endpoint.port) }
    }
    for (endpoint, traffic) in services {
        for client in traffic.clients { openPorts[Pair(client: client, host: endpoint.address), default: []].insert(endpoint.port) }
    }
    let pairs = Set(failedPorts.keys).union(openPorts.keys)
    let vertical = pairs.filter { pair in
        let failed = failedPorts[pair, default: []], tried = failed.union(openPorts[pair, default: []])
        return tried.count >= thresholds.minPorts && thresholds.mostlyFailed(failed.count, of: tried.count)
    }
    var failedHosts: [ClientPort: Set<IPAddress>] = [:], openHosts: [ClientPort: Set<IPAddress>] = [:]
    for pair in pairs where !vertical.contains(pair) {
        for port in failedPorts[pair, default: []] { failedHosts[ClientPort(client: pair.client, port: port), default: []].insert(pair.host) }
        for port in openPorts[pair, default: []] { openHosts[ClientPort(client: pair.client, port: port), default: []].insert(pair.host) }
    }
    let horizontal = Set(failedHosts.keys).union(openHosts.keys).filter { sweep in
        let failed = failedHosts[sweep, default: []].count, hosts = failed + openHosts[sweep, default: []].count
        return hosts >= thresholds.minHosts && thresholds.mostlyFailed(failed, of: hosts)
    }
    var scans: [PortScans.ScanKey: [Endpoint]] = [:]
    var probedBy: [Endpoint: Set<IPAddress>] = [:]
    func add(_ scanner: IPAddress, _ kind: PortScanSummary.Kind, failed: [Endpoint], open: [Endpoint]) {
        let type = referenceScanType(open: open, scanner: scanner, services: services)
        let endpoints = Array(Set(failed + open))
        scans[PortScans.ScanKey(scanner: scanner, kind: kind, type: type), default: []] += endpoints
        for endpoint in endpoints { probedBy[endpoint, default: []].insert(scanner) }
    }
    for pair in vertical {
        add(pair.client, .vertical, failed: failedPorts[pair, default: []].map { Endpoint(address: pair.host, port: $0) },
            open: openPorts[pair, default: []].map { Endpoint(address: pair.host, port: $0) })
    }
    for sweep in horizontal {
        add(sweep.client, .horizontal, failed: failedHosts[sweep, default: []].map { Endpoint(address: $0, port: sweep.port) },
            open: openHosts[sweep, default: []].map { Endpoint(address: $0, port: sweep.port) })
    }
    let folded = Set(attempts.compactMap { endpoint, tries in
        probedBy[endpoint].map { $0.isSuperset(of: tries.clients) } == true ? endpoint : nil
    })
    let summaries = scans.sorted { ($0.key.scanner, $0.key.kind, $0.key.type) < ($1.key.scanner, $1.key.kind, $1.key.type) }
        .map { referenceSummary($0.key, endpoints: $0.value, services: services, attempts: attempts) }
    return (summaries, folded)
}

/// The `scans` entry of one scan from the endpoints it probed (each once), looked up in the
/// dictionaries one by one.
private func referenceSummary(_ key: PortScans.ScanKey, endpoints: [Endpoint], services: [Endpoint: ServiceTraffic],
                              attempts: [Endpoint: ServiceAttempts]) -> PortScanSummary {
    var refused: UInt64 = 0, unanswered: UInt64 = 0
    var first = Int64.max, last = Int64.min
    var shared: [ServiceAttempts] = []
    var open: [Endpoint] = []
    for endpoint in endpoints {
        if let tries = attempts[endpoint], tries.clients == [key.scanner] {
            refused.addSaturated(tries.refused)
            unanswered.addSaturated(tries.unanswered)
            first = min(first, tries.firstSeen)
            last = max(last, tries.lastSeen)
        } else if let tries = attempts[endpoint] {
            shared.append(tries)
        }
        // A port that answered some probes and not others is open too; one that answered
        // other clients only is not one the scanner found open.
        if let traffic = services[endpoint] {
            if key.type == .stealth || traffic.clients.contains(key.scanner) { open.append(endpoint) }
            // An open port makes the window only where it saw the scanner's probes alone.
            if referenceOnlyProbes(traffic, of: key.scanner) {
                first = min(first, traffic.firstSeen)
                last = max(last, traffic.lastSeen)
            }
        }
    }
    let windowShared = first == .max && !shared.isEmpty
    if windowShared {
        first = shared.map(\.firstSeen).min()!
        last = shared.map(\.lastSeen).max()!
    }
    let hosts = Set(endpoints.map(\.address)).sorted()
    let ports = Set(endpoints.map(\.port)).sorted()
    return PortScanSummary(
        scanner: "\(key.scanner)", kind: key.kind, type: key.type, targets: hosts.map(\.description),
        ports: ports.count, portRanges: referenceCollapsed(ports), portRuns: referenceRanges(ports),
        probes: endpoints.count, refused: refused, unanswered: unanswered, sharedProbes: shared.count,
        windowShared: windowShared, openPorts: open.sorted().map(\.description),
        firstSeen: Timestamp(nanoseconds: first == .max ? 0 : first), lastSeen: Timestamp(nanoseconds: last == .min ? 0 : last))
}

/// SYN (half-open) or connect, from the open ports only `scanner` used.
private func referenceScanType(open: [Endpoint], scanner: IPAddress, services: [Endpoint: ServiceTraffic]) -> PortScanSummary.ScanType {
    let alone = open.compactMap { services[$0] }.filter { referenceOnlyProbes($0, of: scanner) }
    guard !alone.isEmpty else { return .undetermined }
    return alone.allSatisfy { $0.halfOpenConnections == $0.connections } ? .synHalfOpen : .connect
}

/// Attempts and services of a made-up fleet.
private struct Fleet {
    var services: [Endpoint: ServiceTraffic] = [:]
    var attempts: [Endpoint: ServiceAttempts] = [:]

    /// `halfOpen`: the client answered the SYN-ACK with a RST (a SYN scan's probe).
    mutating func serve(_ endpoint: Endpoint, to clients: Set<IPAddress>, packets: UInt64 = 3, payloadBytes: UInt64 = 0,
                        halfOpen: Bool = true, at time: Int64 = 1_000) {
        var traffic = ServiceTraffic()
        traffic.clients = ClientAddresses(clients)
        traffic.connections = 1
        traffic.packets = packets
        traffic.halfOpenConnections = halfOpen ? 1 : 0
        traffic.payloadBytes = payloadBytes
        traffic.firstSeen = time
        traffic.lastSeen = time + 10
        services[endpoint] = traffic
    }

    mutating func attempt(_ endpoint: Endpoint, by clients: Set<IPAddress>, refused: UInt64 = 1, at time: Int64 = 1_000) {
        var tries = ServiceAttempts()
        tries.clients = ClientAddresses(clients)
        tries.refused = refused
        tries.unanswered = 1
        tries.firstSeen = time
        tries.lastSeen = time + 5
        attempts[endpoint] = tries
    }

    /// A few hosts, clients and ports (IPv4 and IPv6, some clients also hosts), so that
    /// the same (client, host) and (client, port) keys recur and thresholds are met often.
    static func random(_ random: inout SplitMix) -> Fleet {
        let hosts = ["10.0.0.1", "10.0.0.2", "10.0.0.3", "fd00::1", "fd00::2", "::1", "192.168.0.1"].map { IPAddress($0)! }
        let clients = ["192.168.0.1", "192.168.0.2", "fd00::9", "10.0.0.3", "2001:db8::1"].map { IPAddress($0)! }
        let ports = (0..<Int.random(in: 1...10, using: &random)).map { UInt16(9000 + $0) } + [65535]
        func someClients() -> Set<IPAddress> {
            Set((0..<Int.random(in: 0...3, using: &random)).map { _ in clients.randomElement(using: &random)! })
        }
        var fleet = Fleet()
        for _ in 0..<Int.random(in: 0...40, using: &random) {
            let endpoint = Endpoint(address: hosts.randomElement(using: &random)!, port: ports.randomElement(using: &random)!)
            fleet.attempt(endpoint, by: someClients(), refused: UInt64.random(in: 0...2, using: &random),
                          at: Int64.random(in: 0...1_000_000, using: &random))
        }
        for _ in 0..<Int.random(in: 0...30, using: &random) {
            let endpoint = Endpoint(address: hosts.randomElement(using: &random)!, port: ports.randomElement(using: &random)!)
            fleet.serve(endpoint, to: someClients(), packets: UInt64.random(in: 1...8, using: &random),
                        payloadBytes: Bool.random(using: &random) ? 0 : 100, halfOpen: Bool.random(using: &random),
                        at: Int64.random(in: 0...1_000_000, using: &random))
        }
        return fleet
    }
}

/// The clients' numbers: first seen, first numbered; the same number on every later lookup,
/// across the table's growth; none for an address never added.
final class AddressNumbersTests: XCTestCase {
    func testAddressesAreNumberedInTheOrderFirstSeenAndFoundAgain() {
        var random = SplitMix(seed: 2474)
        let addresses = (0..<5000).map { index in
            index.isMultiple(of: 3) ? IPAddress(high: random.next(), low: random.next())
                : IPAddress(ipv4: index.isMultiple(of: 2) ? UInt32(index) : UInt32(truncatingIfNeeded: random.next()))
        }
        var numbers = AddressNumbers()
        var expected: [IPAddress: UInt32] = [:]
        for address in addresses + addresses.shuffled(using: &random) {
            let number = numbers.number(adding: address)
            if expected[address] == nil { expected[address] = UInt32(expected.count) }
            XCTAssertEqual(number, expected[address])
        }
        XCTAssertEqual(numbers.count, expected.count)
        for (address, number) in expected {
            XCTAssertEqual(numbers.number(of: address), number)
            XCTAssertEqual(numbers.addresses[Int(number)], address)
        }
        XCTAssertNil(numbers.number(of: IPAddress(high: 1, low: 2)))
        XCTAssertNil(AddressNumbers().number(of: IPAddress(ipv4: 0)))
    }

    /// Clients in sequence (a /8's hosts one after another or 256 apart, a /64's hosts, a
    /// run of /64 prefixes) are found within a couple of slots on average and within 64 at
    /// worst, whatever the seed: a plain multiplicative hash left some draws with an
    /// average of 2.5 to 6 slots on these same sets, and a lookup's cost followed the draw.
    func testStructuredAddressesPlaceWithShortProbesForAnySeed() {
        let count: UInt64 = 1 << 16
        let sequences: [(name: String, addresses: [IPAddress])] = [
            ("10.0.0.0/8 in sequence", (0..<count).map { IPAddress(ipv4: 0x0A00_0000 + UInt32($0)) }),
            ("10.0.0.0/8 every 256th", (0..<count).map { IPAddress(ipv4: 0x0A00_0000 + UInt32($0) * 256) }),
            ("2001:db8::/64 in sequence", (0..<count).map { IPAddress(high: 0x2001_0DB8_0000_0000, low: $0) }),
            ("::1 of 2001:db8::/64 and the next prefixes", (0..<count).map { IPAddress(high: 0x2001_0DB8_0000_0000 + $0, low: 1) }),
        ]
        for seed in 1...8 as ClosedRange<UInt64> {
            var generator = SplitMix(seed: seed)
            let hash = SeededHash(using: &generator)
            for (name, addresses) in sequences {
                var numbers = AddressNumbers(hash: hash)
                for address in addresses { _ = numbers.number(adding: address) }
                let lengths = numbers.probeLengths()
                XCTAssertLessThan(lengths.mean, 2, "\(name), seed \(seed)")
                XCTAssertLessThanOrEqual(lengths.longest, 64, "\(name), seed \(seed)")
            }
        }
    }
}

/// Whether a service answered only `scanner`'s probes: it alone connected, sending nothing
/// or leaving every connection half open.
private func referenceOnlyProbes(_ traffic: ServiceTraffic, of scanner: IPAddress) -> Bool {
    traffic.clients == [scanner] && (traffic.payloadBytes == 0 || traffic.halfOpenConnections == traffic.connections)
}
