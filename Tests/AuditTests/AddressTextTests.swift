@testable import Audit
import Flows
import Policy
import Wire
import XCTest

/// `AddressText` writes addresses exactly as `IPAddress.description` does (the definition it
/// replaced in the end stage), and `HostOfServices` gives what `Policy.node(for:)` and
/// `AddressText` give, host after host.
final class AddressTextTests: XCTestCase {
    func testIPv4TextIsTheDescription() {
        var generator = SystemRandomNumberGenerator()
        let edges: [UInt32] = [0, 1, 9, 10, 99, 100, 255, 256, 0x0A00_0001, 0x0909_0909, 0x6464_6464, 0xFFFF_FFFF, 0x7F00_0001]
        for value in edges + (0..<20_000).map({ _ in UInt32.random(in: 0...UInt32.max, using: &generator) }) {
            let address = IPAddress(ipv4: value)
            XCTAssertEqual(AddressText.of(address), address.description)
        }
    }

    func testOtherAddressesAreTheDescription() {
        for text in ["::1", "::", "fe80::1:2", "2001:db8::ff00:42:8329", "::ffff:1.2.3.4", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"] {
            let address = IPAddress(text)!
            XCTAssertEqual(AddressText.of(address), address.description, text)
        }
    }

    func testHostOfServicesIsTheNodeAndTextOfEachAddress() {
        let policy = Policy(profile: .das31, offset: 0, mode: .cluster, coresPerNode: 2, nodes: [
            Node(name: "das1", addresses: [AddressPattern("10.0.0.1")!]),
            Node(name: "das2", addresses: [AddressPattern("10.0.0.2")!, AddressPattern("fd00::2")!]),
        ])
        var host = HostOfServices(policy: policy)
        for text in ["10.0.0.1", "10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.3", "fd00::2", "10.0.0.1"] {
            let address = IPAddress(text)!
            let (node, addressText) = host.nodeAndText(of: address)
            XCTAssertEqual(node?.name, policy.node(for: address)?.name, text)
            XCTAssertEqual(addressText, address.description, text)
        }
    }
}
