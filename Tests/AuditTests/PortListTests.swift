@testable import Audit
import XCTest

final class PortListTests: XCTestCase {
    func testRunsCollapse() {
        XCTAssertEqual(PortList.collapsed([20002, 20000, 20001, 9443, 65535, 65534, 1]), "1, 9443, 20000-20002, 65534-65535")
        XCTAssertEqual(PortList.collapsed([]), "")
        XCTAssertEqual(PortList.collapsed([7, 7]), "7")
        XCTAssertEqual(PortList.collapsed([1, 3, 5, 6, 7, 9], maxRuns: 2), "1, 3 and 4 more ports")
        XCTAssertEqual(PortList.ports(inCollapsed: "1, 9443, 20000-20002"), [1, 9443, 20000, 20001, 20002])
    }
}
