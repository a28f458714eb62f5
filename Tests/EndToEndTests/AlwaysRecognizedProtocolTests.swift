import Audit
import Foundation
import Policy
import XCTest

/// Bytes no recognizer knows (`other`) on a port whose protocol always opens alike (Java
/// RMI's `JRMI` header, SSH's identification string: `ProtocolName.alwaysRecognized`) are
/// another protocol, a `protocol-mismatch`; on any other port they prove nothing, since a
/// recognizer may not know every version of the protocol (docs/protocols.md). On
/// captures/misfit-rogue-lo.pcap, whose 127.0.0.5:7611 carried one connection of a line of
/// text, and on tcpflow's flow_test.pcap (scripts/third-party-captures.sh), whose three
/// connections of text to 9999 (`Ports.JMX.RMIRegistryPort` at offset 0) audited COMPLIANT.
final class AlwaysRecognizedProtocolTests: XCTestCase {
    func mismatches(allowing protocolName: String) throws -> [String] {
        let text = "offset: 0\nallow:\n  - {port: 7611, protocol: \(protocolName), reason: r}\n"
        let policy = try PolicyFile.parse(text, path: "p.yaml").makePolicy()
        return Auditor(policy: policy).audit(paths: [capture("misfit-rogue-lo.pcap")]).findings
            .filter { $0.kind == .protocolMismatch && $0.port == 7611 }.map(\.message)
    }

    func testUnknownBytesOnAJavaRMIOrSSHPortAreAnotherProtocol() throws {
        for name in ["jrmi", "ssh"] {
            XCTAssertEqual(try mismatches(allowing: name), [
                "127.0.0.5:7611 is thrift.tcp.port (allowed as \(name) in the policy), which speaks \(name), but carried 1 connection of other (bytes no "
                    + "recognizer knows, where every \(name) session opens with bytes its recognizer knows)",
            ])
        }
    }

    func testUnknownBytesOnAnyOtherPortProveNothing() throws {
        for name in ["thrift", "hazelcast", "spark-rpc", "http"] {
            XCTAssertEqual(try mismatches(allowing: name), [], name)
        }
    }
}
