@testable import Audit
import Flows
import Policy
import Wire
import XCTest

/// `PortScans` gathers the answered connections only of clients that failed a connect
/// (a scan is mostly failed connects): the same scans as gathering every client's.
final class PortScanClientsTests: XCTestCase {
    let host = IPAddress(ipv4: 0x0A00_0001)
    let scanner = IPAddress(ipv4: 0xC0A8_0001)

    /// Services with one answered connection from `client` on each of `ports`.
    func services(_ ports: Range<UInt16>, client: IPAddress) -> [Endpoint: ServiceTraffic] {
        var services: [Endpoint: ServiceTraffic] = [:]
        for port in ports {
            var traffic = ServiceTraffic()
            traffic.clients = [client]
            services[Endpoint(address: host, port: port)] = traffic
        }
        return services
    }

    func testAScannerWithFailuresIsStillFoundAndOtherClientsAreNot() {
        var services = services(1000..<1010, client: scanner)
        services.merge(self.services(2000..<2500, client: IPAddress(ipv4: 0xC0A8_0002))) { $1 }
        var attempts: [Endpoint: ServiceAttempts] = [:]
        for port in UInt16(3000)..<3200 {
            var tries = ServiceAttempts()
            tries.refused = 1
            tries.clients = [scanner]
            attempts[Endpoint(address: host, port: port)] = tries
        }
        let found = PortScans(thresholds: ScanThresholds()).find(services: services, attempts: attempts)
        XCTAssertEqual(found.scans.count, 1)
        XCTAssertEqual(found.scans.first?.scanner, "\(scanner)")
        XCTAssertEqual(found.folded.count, 200)
    }

    /// Refused connects to `ports` of the host, at `time`, by `clients`: one each.
    func refused(_ ports: Range<UInt16>, by clients: ClientAddresses, at time: Int64) -> [Endpoint: ServiceAttempts] {
        var attempts: [Endpoint: ServiceAttempts] = [:]
        for port in ports {
            var tries = ServiceAttempts()
            tries.refused = UInt64(clients.count)
            tries.firstSeen = time
            tries.lastSeen = time + 1
            tries.clients = clients
            attempts[Endpoint(address: host, port: port)] = tries
        }
        return attempts
    }

    /// Two scanners of the same ports: the statistics count each endpoint's connects, not
    /// each client's, so neither scan claims the other's refusals or times. Each counts its
    /// own ports and the shared ones apart.
    func testScannersOfTheSamePortsCountOnlyThePortsTheyTriedAlone() {
        let other = IPAddress(ipv4: 0xC0A8_0002)
        var attempts = refused(1000..<1100, by: [scanner, other], at: 5_000)
        attempts.merge(refused(2000..<2050, by: [scanner], at: 1_000)) { $1 }
        attempts.merge(refused(3000..<3020, by: [other], at: 9_000)) { $1 }
        let scans = PortScans(thresholds: ScanThresholds()).find(services: [:], attempts: attempts).scans
        XCTAssertEqual(scans.map(\.scanner), ["\(scanner)", "\(other)"])
        XCTAssertEqual(scans.map(\.probes), [150, 120])
        XCTAssertEqual(scans.map(\.refused), [50, 20], "only the ports each tried alone")
        XCTAssertEqual(scans.map(\.sharedProbes), [100, 100])
        XCTAssertEqual(scans.map(\.firstSeen.nanoseconds), [1_000, 9_000], "each its own window")
        XCTAssertEqual(scans.map(\.lastSeen.nanoseconds), [1_001, 9_001])
        XCTAssertEqual(scans.map(\.windowShared), [false, false])
        XCTAssertTrue(PortScans.finding(scans[0], unlistedAttempts: 0).message
            .contains("150 endpoints probed, 50 connects refused, 0 unanswered (100 of the failed ones other clients tried too"))
    }

    /// A scan whose probes all came at the last time there is (a clock past 2262, held at
    /// Int64.max) is dated then: that time stood for "no probe timed", and the scan was
    /// dated 1970.
    func testAScanAtTheLastTimeThereIsKeepsItsTime() {
        var attempts = refused(1000..<1100, by: [scanner], at: 0)
        for endpoint in attempts.keys { (attempts[endpoint]!.firstSeen, attempts[endpoint]!.lastSeen) = (.max, .max) }
        let scans = PortScans(thresholds: ScanThresholds()).find(services: [:], attempts: attempts).scans
        XCTAssertEqual(scans.map(\.firstSeen.nanoseconds), [.max])
        XCTAssertEqual(scans.map(\.lastSeen.nanoseconds), [.max])
        XCTAssertEqual(scans.map(\.windowShared), [false])
    }

    /// The same two scanners folded from their connections (`ServiceStatistics`), which
    /// tally each client's failed connects: each scan counts its own, refused and
    /// unanswered, on the shared ports too, and none is shared.
    func testScannersOfTheSamePortsCountTheirOwnConnectsFromTheirTallies() {
        let other = IPAddress(ipv4: 0xC0A8_0002)
        func failed(_ client: IPAddress, _ port: UInt16, refused: Bool, at time: Int64) -> Connection {
            Connection(client: Endpoint(address: client, port: 40000), server: Endpoint(address: host, port: port),
                       directionBasis: .handshake, state: refused ? .refused : .attempted,
                       packetsToServer: 1, packetsToClient: refused ? 1 : 0, bytesToServer: 60, bytesToClient: refused ? 54 : 0,
                       payloadBytesToServer: 0, payloadBytesToClient: 0, firstSeen: time, lastSeen: time + 1, evidence: .none)
        }
        var connections: [Connection] = []
        for port in UInt16(1000)..<1100 {
            connections.append(failed(scanner, port, refused: true, at: 5_000))
            connections.append(failed(other, port, refused: port < 1040, at: 6_000))
            if port < 1010 { connections.append(failed(other, port, refused: true, at: 6_500)) }  // tried twice
        }
        for port in UInt16(2000)..<2050 { connections.append(failed(scanner, port, refused: false, at: 1_000)) }
        var statistics = ServiceStatistics(connections)
        let (services, attempts, tallies) = statistics.takeServicesAndAttempts(inParallel: false, keepingAttemptTallies: true)
        let scans = PortScans(thresholds: ScanThresholds()).find(services: services, attempts: attempts, attemptTallies: tallies).scans
        XCTAssertEqual(scans.map(\.scanner), ["\(scanner)", "\(other)"])
        XCTAssertEqual(scans.map(\.probes), [150, 100])
        XCTAssertEqual(scans.map(\.refused), [100, 50], "the scanner's 100 shared; the other's 40, and 10 twice")
        XCTAssertEqual(scans.map(\.unanswered), [50, 60])
        XCTAssertEqual(scans.map(\.sharedProbes), [0, 0])
        XCTAssertEqual(scans.map(\.windowShared), [false, true], "the other tried no port alone: its window is everyone's")
        XCTAssertEqual(scans[0].firstSeen.nanoseconds, 1_000)
        let lowerBounds = "the capture reached the bound on client addresses, past which no client's connects are tallied, "
            + "so these counts are lower bounds"
        XCTAssertFalse(PortScans.finding(scans[0], unlistedAttempts: 0).message.contains(lowerBounds))
        XCTAssertTrue(PortScans.finding(scans[0], unlistedAttempts: 0, clientsCapped: true).message.hasSuffix(lowerBounds))
    }

    /// Scanners that tried nothing alone: no counts to give them, and a window that the
    /// result and the finding mark as every client's.
    func testScannersThatTriedNothingAloneSayTheirWindowIsShared() {
        let others = (2...3).map { IPAddress(ipv4: 0xC0A8_0000 + $0) }
        let attempts = refused(1000..<1100, by: ClientAddresses([scanner] + others), at: 5_000)
        let scans = PortScans(thresholds: ScanThresholds()).find(services: [:], attempts: attempts).scans
        XCTAssertEqual(scans.count, 3)
        for scan in scans {
            XCTAssertEqual([scan.probes, scan.sharedProbes], [100, 100])
            XCTAssertEqual([scan.refused, scan.unanswered], [0, 0])
            XCTAssertTrue(scan.windowShared)
            XCTAssertEqual([scan.firstSeen.nanoseconds, scan.lastSeen.nanoseconds], [5_000, 5_001])
            XCTAssertTrue(PortScans.finding(scan, unlistedAttempts: 0).message.contains(", while any client tried these endpoints, from "))
        }
    }

    /// With a failed share of 0 the policy counts scans without failures: every client's
    /// answered connections are gathered then.
    func testAZeroFailedShareStillSeesScansWithoutFailures() {
        let services = services(1000..<1200, client: scanner)
        XCTAssertTrue(PortScans(thresholds: ScanThresholds()).find(services: services, attempts: [:]).scans.isEmpty)
        let found = PortScans(thresholds: ScanThresholds(minFailedPercent: 0)).find(services: services, attempts: [:])
        XCTAssertEqual(found.scans.count, 1)
    }
}
