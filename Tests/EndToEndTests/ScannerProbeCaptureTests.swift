import Audit
import Policy
import XCTest

/// Port scanners that send payload to the ports they find open, recorded for real in
/// network namespaces (captures/README.md): nmap's version probes (`-sS -sV`) and a
/// connect loop that sends "HELO\r\n" speak HTTP, LDAP, JRMI and bytes of no protocol to
/// correct TLS, thrift and RMI ports. Their probes are no client of the service: they make
/// no protocol finding and do not decide what a port speaks. A real client's plaintext to
/// the TLS port in the same capture still does.
final class ScannerProbeCaptureTests: XCTestCase {
    let auditor = Auditor(policy: Policy(offset: 2, mode: .cluster, coresPerNode: 2))

    private static let protocolKinds: Set<Finding.Kind> = [.plaintextOnTLSPort, .protocolMismatch]

    private func protocolFindings(_ result: AuditResult) -> [Finding] {
        result.findings.filter { Self.protocolKinds.contains($0.kind) }
    }

    private func spoken(_ result: AuditResult, port: UInt16) -> String? {
        result.services.first { $0.port == port }?.protocol
    }

    /// The bug hunt's `nmap -sS -sV` (its first 30 s): until December 5, 2026 high
    /// plaintext-on-tls-port on 7713 and 9445, protocol-mismatch on 7613 ("3 connections of
    /// http") and 10001 ("1 connection of http"), and 7613 speaking `http`, all from
    /// 10.77.0.10's probes; the real client (10.77.0.3) spoke only TLS, bytes of no protocol
    /// to 7613 and JRMI.
    func testNmapVersionProbesMakeNoProtocolFinding() throws {
        let result = auditor.audit(paths: [capture("scan-version-probes-veth.pcap")])
        XCTAssertEqual(result.scans?.map(\.scanner), ["10.77.0.10"])
        XCTAssertEqual(protocolFindings(result).map(\.message), [])
        XCTAssertEqual(spoken(result, port: 7613), "other", "the client's bytes, not nmap's GET")
        XCTAssertEqual(spoken(result, port: 7713), "tls")
        XCTAssertEqual(spoken(result, port: 9445), "tls")
        XCTAssertEqual(spoken(result, port: 10001), "jrmi")
        // The counts keep every connection, the scanner's too.
        let thrift = try XCTUnwrap(result.services.first { $0.port == 7613 })
        XCTAssertEqual(thrift.protocols?["http"], 3)
        // A port only the scanner reached: its probes are all there is to tell.
        XCTAssertEqual(spoken(result, port: 31337), "http")
    }

    /// The bug hunt's Python connect loop: one "HELO\r\n" to each TLS port from 10.77.0.11
    /// made a high plaintext-on-tls-port on both.
    func testOneLineSentByAConnectLoopMakesNoProtocolFinding() {
        let result = auditor.audit(paths: [capture("scan-helo-probes-veth.pcap")])
        XCTAssertEqual(result.scans?.map(\.scanner), ["10.77.0.11"])
        XCTAssertEqual(protocolFindings(result).map(\.message), [])
        XCTAssertEqual(spoken(result, port: 7713), "tls")
        XCTAssertEqual(spoken(result, port: 9445), "tls")
    }

    /// Scanners and a misconfigured client at once: 10.78.0.3 fetches http://…:9445/ eight
    /// times (tshark: 8 streams from it beginning "GET /"), and 10.78.0.10 probes the same
    /// port (1 GET, 1 HELO). The client's eight keep their finding, which names the
    /// scanner's connections it left out; nothing else is a protocol finding.
    func testARealPlaintextClientKeepsItsFindingBesideTheScanner() throws {
        let result = auditor.audit(paths: [capture("scanner-probes-veth.pcap")])
        XCTAssertEqual(result.scans?.map(\.scanner), ["10.78.0.10"])
        let findings = protocolFindings(result)
        XCTAssertEqual(findings.map(\.kind), [.plaintextOnTLSPort])
        let finding = try XCTUnwrap(findings.first)
        XCTAssertEqual(finding.severity, .high)
        XCTAssertEqual(finding.port, 9445)
        XCTAssertEqual(finding.message, "10.78.0.2:9445 is carbon.https.port, whose protocol is TLS, but clients sent "
            + "8 connections of http in the clear, which the service did not answer; besides these, 1 connection of "
            + "http, 1 of other from 10.78.0.10, which port-scanned (its port-scan finding), are left out")
        XCTAssertEqual(spoken(result, port: 7613), "other")
        XCTAssertEqual(spoken(result, port: 7713), "tls")
        // Besides the scanner's, 8 TLS connections and the client's 8 unanswered plaintext
        // ones: a tie broken by name made it `http` until December 5, 2026.
        XCTAssertEqual(spoken(result, port: 9445), "tls", "the server never spoke HTTP")
    }
}
