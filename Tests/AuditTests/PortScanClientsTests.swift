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

    /// With a failed share of 0 the policy counts scans without failures: every client's
    /// answered connections are gathered then.
    func testAZeroFailedShareStillSeesScansWithoutFailures() {
        let services = services(1000..<1200, client: scanner)
        XCTAssertTrue(PortScans(thresholds: ScanThresholds()).find(services: services, attempts: [:]).scans.isEmpty)
        let found = PortScans(thresholds: ScanThresholds(minFailedPercent: 0)).find(services: services, attempts: [:])
        XCTAssertEqual(found.scans.count, 1)
    }
}
