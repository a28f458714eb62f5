@testable import Audit
import TestSupport
import XCTest

/// `infer` counts each server endpoint (address and port) once however often the services
/// it is given list it, and each client-to-server dependency once: the offset scores count
/// endpoints by their place, no longer by their text, and the dependencies are sorted and
/// rid of repeats instead of gathered in a set.
final class InferenceCountingTests: XCTestCase {
    func service(_ address: String, _ port: UInt16, clients: [String] = []) -> PolicyInference.Service {
        PolicyInference.Service(address: address, port: port, clients: clients)
    }

    func testAnEndpointListedTwiceIsOneCandidateAndItsClientsOneDependencyEach() {
        let listedOnce = [
            service("10.0.0.1", 8083, clients: ["10.0.0.9", "10.0.0.2"]),
            service("10.0.0.1", 9765, clients: ["10.0.0.9"]),
            service("10.0.0.2", 12002), service("10.0.0.2", 12003), service("10.0.0.2", 31337, clients: ["10.0.0.1"]),
        ]
        let once = PolicyInference(services: listedOnce)
        let twice = PolicyInference(services: listedOnce + listedOnce.reversed())
        XCTAssertEqual(once.offset, 2)
        XCTAssertEqual(twice.offset, 2)
        // 8083, 9765 and the executor run 12002-12003 at offset 2; 31337 at some offset
        // (31337 less a catalog port), as every port above the lowest catalog port is.
        XCTAssertEqual(once.candidateServices, 5)
        XCTAssertEqual(twice.candidateServices, 5, "each endpoint once")
        XCTAssertEqual(once.supportingServices, 4)
        XCTAssertEqual(twice.supportingServices, 4, "each endpoint's vote once")
        XCTAssertEqual(twice.dependencies.map { "\($0.client)>\($0.server):\($0.port)" },
                       ["10.0.0.1>10.0.0.2:31337", "10.0.0.2>10.0.0.1:8083", "10.0.0.9>10.0.0.1:8083", "10.0.0.9>10.0.0.1:9765"])
        XCTAssertEqual(twice.dependencies, once.dependencies)
        XCTAssertEqual(twice.dependencies.first { $0.port == 8083 }?.key, "spark.master.webui.port")
    }

    /// The dependencies are kept as clients and places of servers, not as values of their
    /// own (a million of them held 76 MB): read back, they are each distinct client, server
    /// and port once, in the order of client text, server text and port, as a set of them
    /// sorted gives, whatever the order and repeats of the services and their clients.
    func testDependenciesAreEachDistinctUseOnceInClientServerPortOrder() {
        var generator = SplitMix64(seed: 0x1DE9)
        let addresses = ["10.0.0.1", "10.0.0.2", "10.0.0.10", "10.0.0.9", "192.168.1.1", "fe80::1", "::1"]
        let ports: [UInt16] = [8083, 7079, 31337, 12002, 80]
        for _ in 0..<50 {
            let services = (0..<Int.random(in: 0...30, using: &generator)).map { _ in
                service(addresses.randomElement(using: &generator)!, ports.randomElement(using: &generator)!,
                        clients: (0..<Int.random(in: 0...6, using: &generator)).map { _ in addresses.randomElement(using: &generator)! })
            }
            struct Use: Hashable, Comparable {
                var client: String, server: String, port: UInt16
                static func < (a: Use, b: Use) -> Bool { (a.client, a.server, a.port) < (b.client, b.server, b.port) }
            }
            let expected = Set(services.flatMap { service in
                service.clients.filter { $0 != service.address }.map { Use(client: $0, server: service.address, port: service.port) }
            }).sorted()
            let inference = PolicyInference(services: services)
            XCTAssertEqual(inference.dependencies.map { Use(client: $0.client, server: $0.server, port: $0.port) }, expected)
        }
    }

    /// The executor ports from the band's first one on count for the offset that first port
    /// belongs to, once per host: 12007-12009 of one host for offset 7, not for offset 507.
    func testAnExecutorRunCountsOncePerHostForItsFirstPortsOffset() {
        let inference = PolicyInference(services: [
            service("10.0.0.1", 8088), service("10.0.0.1", 9770),
            service("10.0.0.1", 12007), service("10.0.0.1", 12008), service("10.0.0.1", 12009),
            service("10.0.0.1", 12008),
        ])
        XCTAssertEqual(inference.offset, 7)
        XCTAssertEqual(inference.candidateServices, 5)
        XCTAssertEqual(inference.hosts.first?.executorRun, 3)
    }
}
