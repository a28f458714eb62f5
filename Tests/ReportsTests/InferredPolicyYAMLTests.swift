import Audit
import Policy
@testable import Reports
import XCTest

/// The drafted policy as text: names that follow the policy's name rule whatever the
/// address, and input names that cannot break out of their comment.
final class InferredPolicyYAMLTests: XCTestCase {
    func testNodeNamesFollowTheNameRule() {
        for address in ["127.0.0.1", "::1", "fe80::1%eth0", "2001:db8:0:0:0:0:0:1", "::ffff:10.0.0.1"] {
            let name = InferredPolicyYAML.nodeName(address)
            XCTAssertNil(NameRules.problem(with: name), "\(address) -> \(name)")
        }
        XCTAssertEqual(InferredPolicyYAML.nodeName("fe80::1%eth0"), "host-fe80--1-eth0")
    }

    /// A capture named with a line break stays inside its comment: the draft still loads and
    /// holds only what the inference found.
    func testAnInputNameCannotAddPolicyLines() throws {
        let inference = PolicyInference(services: [
            .init(address: "10.0.0.1", port: 7079, clients: ["10.0.0.2"]),
            .init(address: "10.0.0.1", port: 8083, clients: []),
            .init(address: "10.0.0.2", port: 11002, clients: []),
        ])
        let text = InferredPolicyYAML.render(inference, inputs: ["a.pcap\noffset: 9\n"])
        XCTAssertTrue(text.contains("#   a.pcap\\noffset: 9\\n\n"), text)
        let policy = try PolicyFile.parse(text, path: "draft.yaml").makePolicy()
        XCTAssertEqual(policy.offset, 2)
        XCTAssertEqual(policy.mode, .cluster)
        XCTAssertEqual(policy.nodes.map(\.name), ["host-10.0.0.1", "host-10.0.0.2"])
    }

    /// Every character a terminal acts on or YAML refuses is shown escaped in the comment:
    /// ESC, BEL, DEL, the C1 CSI (U+009B, which some terminals read as ESC [), the
    /// bidirectional override, the line separator; U+FFFE becomes U+FFFD. Before, only
    /// line breaks and C0 were replaced, so the C1, DEL and bidi controls went out raw.
    func testAnInputNameCannotReachATerminalOrBreakTheYAML() throws {
        let name = "a\u{1B}]0;t\u{7}\u{7F}\u{9B}31m\u{202E}\u{2028}\u{FFFE}.pcap"
        XCTAssertEqual(InferredPolicyYAML.comment(name), "a\\e]0;t\\u{7}\\u{7F}\\u{9B}31m\\u{202E}\\u{2028}\u{FFFD}.pcap")
        let inference = PolicyInference(services: [.init(address: "10.0.0.1", port: 7079, clients: ["10.0.0.2"])])
        let text = InferredPolicyYAML.render(inference, inputs: [name])
        XCTAssertFalse(text.unicodeScalars.contains { $0 != "\n" && $0.visibleEscape != nil }, text)
        XCTAssertNoThrow(try PolicyFile.parse(text, path: "draft.yaml").makePolicy())
    }
}
