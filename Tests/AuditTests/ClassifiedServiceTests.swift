@testable import Audit
@testable import Flows
import Protocols
import Wire
import XCTest

/// The texts and counts a classified service gives its record and finding, made without
/// going through intermediate values, equal what those values gave.
final class ClassifiedServiceTests: XCTestCase {
    func testEndpointTextIsTheEndpointsDescription() {
        for (text, port) in [("10.0.0.1", UInt16(7082)), ("::1", 80), ("fe80::1:2", 65535), ("0.0.0.0", 0)] {
            let endpoint = Endpoint(address: IPAddress(text)!, port: port)
            let service = ClassifiedService(endpoint: endpoint, node: nil,
                                            verdict: PortClassifier.Verdict(classification: .unexpected),
                                            traffic: ServiceTraffic())
            XCTAssertEqual(service.endpointText, endpoint.description)
            XCTAssertEqual(service.address, "\(endpoint.address)")
        }
    }

    func testNamedCountsAreTheCountsDictionaryByName() {
        var counts = CaseCounts<DirectionBasis>()
        XCTAssertEqual(ClassifiedService.named(counts, ClassifiedService.basisNames), [:])
        counts.increment(.policy)
        counts.increment(.policy)
        counts.increment(.unknown)
        XCTAssertEqual(ClassifiedService.named(counts, ClassifiedService.basisNames), ["policy": 2, "unknown": 1])
        XCTAssertEqual(ClassifiedService.named(counts, ClassifiedService.basisNames),
                       Dictionary(uniqueKeysWithValues: counts.dictionary.map { ($0.key.rawValue, $0.value) }))
        var protocols = CaseCounts<ProtocolName>()
        protocols.increment(.http)
        XCTAssertEqual(ClassifiedService.named(protocols, ClassifiedService.protocolNames), [ProtocolName.http.name: 1])
    }

    /// Shared named counts are the counts named afresh, whether a single case (shared) or
    /// several (made each time), and the same single count gives the same dictionary again.
    func testSharedNamedCountsAreTheNamedCounts() {
        var shared = SharedNamedCounts(ClassifiedService.stateNames)
        var random = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            var counts = CaseCounts<ConnectionState>()
            for state in ConnectionState.allCases where Int.random(in: 0..<4, using: &random) == 0 {
                counts[state] = [1, 2, 27, UInt64.max, 1 << 56].randomElement(using: &random)!
            }
            XCTAssertEqual(shared.named(counts), ClassifiedService.named(counts, ClassifiedService.stateNames))
        }
    }
}
