@testable import Audit
import XCTest

/// `infer`'s confidence follows docs/infer.md: *high* with three or more supporting ports,
/// at least 60% of the candidate services and no rival offset with half as many services
/// or more; *medium* with two ports and more than any rival; *low* otherwise. The code
/// said high at a rival of exactly half and had no 60% test at all.
final class InferenceConfidenceTests: XCTestCase {
    func word(ports: Int = 3, _ services: Int, of candidates: Int, rival: Int = 0) -> String {
        PolicyInference.confidenceWord(ports: ports, services: services, candidates: candidates, rival: rival)
    }

    func testARivalWithExactlyHalfTheServicesIsNotHigh() {
        XCTAssertEqual(word(10, of: 10, rival: 5), "medium", "exactly half")
        XCTAssertEqual(word(10, of: 10, rival: 4), "high", "under half")
        XCTAssertEqual(word(9, of: 9, rival: 5), "medium", "over half")
        XCTAssertEqual(word(9, of: 9, rival: 4), "high")
    }

    func testExactlySixtyPercentOfTheCandidatesIsHigh() {
        XCTAssertEqual(word(6, of: 10), "high", "exactly 60%")
        XCTAssertEqual(word(60, of: 100), "high", "exactly 60%")
        XCTAssertEqual(word(59, of: 100), "medium", "59%")
        XCTAssertEqual(word(6, of: 11), "medium", "54.5%")
        XCTAssertEqual(word(3, of: 5), "high", "exactly 60% of few")
    }

    func testFewerThanThreePortsIsNeverHigh() {
        XCTAssertEqual(word(ports: 2, 10, of: 10), "medium")
        XCTAssertEqual(word(ports: 2, 5, of: 10, rival: 5), "low", "no more than the rival")
        XCTAssertEqual(word(ports: 1, 10, of: 10), "low")
    }

    /// The services of a three-node cluster at offset 3 recorded with tcpdump on three
    /// namespaces (the bug hunter's capture): offset 3 explains 10 of the 13, offset 503
    /// (the catalog's ports 500 apart) exactly 5. It said `confidence high`.
    func testTheHuntersClusterIsMediumAtAnExactlyHalfRival() {
        let served: [(String, [UInt16])] = [
            ("10.77.0.1", [7080, 7614, 7714, 8084, 9766, 12003, 13003]),
            ("10.77.0.2", [8888, 12003]),
            ("10.77.0.3", [11503, 12003, 12007, 31337]),
        ]
        let inference = PolicyInference(services: served.flatMap { address, ports in
            ports.map { PolicyInference.Service(address: address, port: $0, clients: []) }
        })
        XCTAssertEqual(inference.offset, 3)
        XCTAssertEqual(inference.supportingServices, 10)
        XCTAssertEqual(inference.runnerUp?.offset, 503)
        XCTAssertEqual(inference.runnerUp?.services, 5)
        XCTAssertEqual(inference.candidateServices, 13)
        XCTAssertEqual(inference.confidenceWord, "medium")
    }
}
