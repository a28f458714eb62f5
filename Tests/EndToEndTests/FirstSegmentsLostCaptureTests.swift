import Audit
import Policy
import XCTest

/// captures/first-segments-veth.pcap and first-segments-lost-veth.pcap
/// (scripts/recording/record-first-segments-lost.sh): two HTTP POSTs to 9763 across a veth
/// pair, and the same capture without the first payload segment of either side of either
/// connection, as a capture that dropped them holds it (docs/protocols.md, "Payload samples").
final class FirstSegmentsLostCaptureTests: XCTestCase {
    func protocols(_ name: String) -> [String: [String: UInt64]] {
        Auditor(policy: Policy()).audit(paths: [capture(name)]).servicesByEndpoint.mapValues { $0.protocols ?? [:] }
    }

    /// Whole, both connections are `http` (the request line and the status line).
    func testTheWholeCaptureSpeaksHTTP() {
        XCTAssertEqual(protocols("first-segments-veth.pcap"), ["10.77.35.2:9763": ["http": 2]])
    }

    /// Without their first segments, each side's first captured bytes are the middle of the
    /// JSON body and of the HTML page (tshark: sequence numbers 1449 and 1449, not 1): the
    /// start of what the sides said was not captured, `unknown`, where they were `other`,
    /// something the service spoke that no recognizer knows.
    func testFirstBytesPastTheStartOfTheirStreamAreUnknownNotOther() {
        XCTAssertEqual(protocols("first-segments-lost-veth.pcap"), ["10.77.35.2:9763": ["unknown": 2]])
    }
}
