@testable import Audit
import Flows
import Policy
import Wire
import XCTest

/// The pieces an `unexpected-port` finding is now appended from, against the interpolated
/// texts they replaced: the remediation, and what the service served; and waivers.
final class UnexpectedPortTextTests: XCTestCase {
    func testTheRemediationIsTheInterpolatedText() {
        for port: UInt16 in [0, 80, 7082, 65535] {
            XCTAssertEqual(FindingRules.unexpectedPortRemediation(port), """
                Find the process listening there (ss -ltnp 'sport = :\(port)'); stop it, \
                pin it to a catalog port, or allow the port in the policy with a reason.
                """)
        }
    }

    func testWhatAServiceServedIsTheInterpolatedText() {
        for (connections, clients): (UInt64, Int) in [(1, 1), (2, 1), (1, 0), (27, 25), (.max, 3)] {
            var traffic = ServiceTraffic()
            traffic.connections = connections
            traffic.clients = ClientAddresses((0..<clients).map { IPAddress(ipv4: UInt32($0)) })
            var text = ""
            FindingRules.appendSeen(traffic, to: &text)
            XCTAssertEqual(text, """
                \(traffic.connections) connection\(traffic.connections == 1 ? "" : "s") from \
                \(traffic.clients.count) client\(traffic.clients.count == 1 ? "" : "s")
                """)
        }
    }

    func testNoWaiversLeaveTheFindingsAsTheyAre() {
        let findings = [Finding(kind: .unexpectedPort, severity: .high, port: 1, address: "10.0.0.1", message: "m", remediation: "r")]
        let book = WaiverBook(waivers: [], nodes: [], today: Day(year: 2026, month: 1, day: 1))
        XCTAssertEqual(book.apply(to: findings).map(\.message), ["m"])
        XCTAssertNil(book.apply(to: findings)[0].waiver)
    }
}
