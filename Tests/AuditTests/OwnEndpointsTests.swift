import Audit
import Flows
import Wire
import XCTest

/// Which endpoints are dasaudit's own (`OwnEndpoints`): a listener's address and port, or,
/// for a listener on every address, the port on each of the host's own addresses only.
final class OwnEndpointsTests: XCTestCase {
    private func endpoint(_ address: String, _ port: UInt16) -> Endpoint { Endpoint(address: IPAddress(address)!, port: port) }

    func testOneAddressIsThatAddressAndPortOnly() {
        var own = OwnEndpoints()
        XCTAssertTrue(own.isEmpty)
        own.add(host: "127.0.0.1", port: 9464, localAddresses: { XCTFail("not asked for one address"); return [] }, reason: "metrics")
        XCTAssertEqual(own.reason(for: endpoint("127.0.0.1", 9464)), "metrics")
        XCTAssertNil(own.reason(for: endpoint("127.0.0.1", 9465)))
        XCTAssertNil(own.reason(for: endpoint("10.0.0.1", 9464)))
    }

    func testEveryAddressIsThePortOnTheHostsOwnAddresses() {
        for wildcard in ["0.0.0.0", "::"] {
            var own = OwnEndpoints()
            own.add(host: wildcard, port: 9464, localAddresses: { ["127.0.0.1", "10.29.7.1", "fd00::1"].map { IPAddress($0)! } },
                    reason: "metrics")
            for local in ["127.0.0.1", "10.29.7.1", "fd00::1"] {
                XCTAssertEqual(own.reason(for: endpoint(local, 9464)), "metrics", "\(wildcard) at \(local)")
            }
            XCTAssertNil(own.reason(for: endpoint("10.29.7.2", 9464)), "another host's service at the same port is judged")
        }
    }
}
