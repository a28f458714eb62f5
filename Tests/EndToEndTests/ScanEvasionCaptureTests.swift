import Audit
import Foundation
import Policy
import XCTest

/// Real nmap scans of a DAS node at offset 2 (10.81.0.2, fd81::2: HTTP on 9765, HTTPS on
/// 9445) beside a real client of 9765, recorded by
/// scripts/recording/record-scan-evasion.sh: FIN and Xmas scans sent from a catalog port
/// (`-g 9445`, `-g 7613`, the evasion that passes firewalls trusting a service's port), an
/// IP protocol scan (`nmap -sO`), and a SYN scan with bad checksums (`--badsum`).
final class ScanEvasionCaptureTests: XCTestCase {
    let auditor = Auditor(policy: Policy(offset: 2))

    /// `nmap -sF -g 9445 -p 1-40,9445,9765`: the policy rule took the scanner's port 9445
    /// (carbon.https.port) for the server of every probe, so the scanner was an expected
    /// DAS service with 40 connections from the node, no scan was found, and the audit was
    /// COMPLIANT. A FIN without an ACK is no packet of a connection: its sender is the
    /// prober. tshark: 42 FIN probes' endpoints, 40 RSTs back; 9445 and 9765 said nothing.
    func testAFINScanFromACatalogPortIsAScanNotAService() throws {
        let result = auditor.audit(paths: [capture("scan-fin-g9445-veth.pcap")])
        XCTAssertEqual(result.services.map { "\($0.address):\($0.port)" }, ["10.81.0.2:9765"],
                       "the real client's service only; the scanner serves nothing")
        let scan = try XCTUnwrap(result.scans?.first)
        XCTAssertEqual(result.scans?.count, 1)
        XCTAssertEqual(scan.scanner, "10.81.0.1")
        XCTAssertEqual(scan.type, .stealth)
        XCTAssertEqual(scan.portRanges, "1-40, 9445, 9765")
        XCTAssertEqual(scan.refused, 40, "tshark: 40 RSTs to 10.81.0.1:9445")
        XCTAssertEqual(result.unresolved.count, 0, "the probes of the open ports, unanswered, have a prober too")
        XCTAssertTrue(result.findings.contains { $0.kind == .portScan })
        XCTAssertEqual(result.summary.findings["medium"] ?? 0, 1)
    }

    /// With the nodes declared, the scanner outside them was an `undeclared-dependency`
    /// the node "used" 40 times: a remediation (declare it) that would have hidden the scan.
    func testAFINScanFromACatalogPortIsNoDependencyOfTheNode() {
        let node = Node(name: "das1", addresses: [AddressPattern("10.81.0.2")!])
        let result = Auditor(policy: Policy(offset: 2, nodes: [node])).audit(paths: [capture("scan-fin-g9445-veth.pcap")])
        XCTAssertFalse(result.findings.contains { $0.kind == .undeclaredDependency })
        XCTAssertFalse(result.services.contains { $0.address == "10.81.0.1" })
        XCTAssertEqual(result.scans?.map(\.scanner), ["10.81.0.1"])
    }

    /// `nmap -6 -sX -g 7613 -p 33000-33040,9765`: the probed ports are in the ephemeral
    /// range, so both port rules named the scanner (thrift.tcp.port) the server.
    func testAnXmasScanFromTheThriftPortToEphemeralPortsIsAScan() throws {
        let result = auditor.audit(paths: [capture("scan-xmas-g7613-v6-veth.pcap")])
        XCTAssertEqual(result.services.map { "\($0.address):\($0.port)" }, ["fd81::2:9765"])
        let scan = try XCTUnwrap(result.scans?.first)
        XCTAssertEqual(scan.scanner, "fd81::1")
        XCTAssertEqual(scan.type, .stealth)
        XCTAssertEqual(scan.portRanges, "9765, 33000-33040")
        XCTAssertEqual(scan.refused, 41, "tshark: 41 RSTs to [fd81::1]:7613")
    }

    /// The probes' direction in `flows`: the scanner is the client, on the probe's evidence.
    func testTheProbesFromACatalogPortHaveTheScannerAsClient() throws {
        let probes = try flows([capture("scan-fin-g9445-veth.pcap")], ["--offset", "2"]).map(record)
            .filter { ($0["client"] as? String) == "10.81.0.1" || ($0["server"] as? String) == "10.81.0.1" }
        XCTAssertEqual(probes.count, 42)
        XCTAssertTrue(probes.allSatisfy { $0["client"] as? String == "10.81.0.1" && $0["client_port"] as? Int == 9445 })
        XCTAssertTrue(probes.allSatisfy { $0["direction_basis"] as? String == "probe" })
    }

    /// `nmap -sO` and `nmap -6 -sO`: their IP-in-IP, IPv6-in-IP and GRE probes are a bare
    /// IPv4 header of total length 20, or an IPv6 header of payload length 0, which reads
    /// as "the rest of the frame" (a jumbogram, a segmentation offload's capture): there is
    /// no rest (tshark: 34- and 54-byte frames, all captured). They were "cut by the
    /// snapshot length inside a tunnel": the capture, recorded whole, was incomplete and a
    /// medium `incomplete-input` finding failed the audit.
    func testAProtocolScansEmptyTunnelProbesAreNotCutBySnapshotLength() {
        for name in ["scan-protocol-veth.pcap", "scan-protocol-v6-veth.pcap"] {
            let result = auditor.audit(paths: [capture(name)])
            XCTAssertTrue(result.coverage.complete, name)
            XCTAssertNil(result.coverage.skipped["truncated-in-tunnel"], name)
            XCTAssertEqual(result.coverage.skipped["malformed"], 3, "\(name): the empty IP-in-IP, IPv6-in-IP and GRE probes")
            XCTAssertFalse(result.findings.contains { $0.kind == .incompleteInput }, name)
        }
    }

    /// `nmap -sS --badsum -p 1-120,9765`: the node dropped every probe (nmap: 121 filtered,
    /// tshark: 242 SYNs from 10.81.0.1, no answer to any). The finding said "open ports it
    /// found: 10.81.0.2:9765", the port the real client used, which never answered the
    /// scanner.
    func testAScanWhoseProbesNothingAnsweredFoundNoOpenPort() throws {
        let result = auditor.audit(paths: [capture("scan-badsum-veth.pcap")])
        let scan = try XCTUnwrap(result.scans?.first)
        XCTAssertEqual(result.scans?.count, 1)
        XCTAssertEqual(scan.portRanges, "1-120, 9765")
        XCTAssertEqual(scan.refused, 0)
        XCTAssertEqual(scan.unanswered, 242)
        XCTAssertEqual(scan.openPorts, [])
        let finding = try XCTUnwrap(result.findings.first { $0.kind == .portScan })
        XCTAssertTrue(finding.message.hasSuffix("open ports it found: none"), finding.message)
        XCTAssertEqual(result.services.map(\.port), [9765], "the real client's service stays")
    }

    /// `nmap -sS --data-length 40 -p 1-120,9445,9765`: tshark: 122 SYNs of 40 bytes each,
    /// 120 RSTs back, SYN-ACKs from 9445 and 9765 (acknowledging the SYN only), each reset
    /// by nmap. The probes of the open ports carried payload, so they were taken for the
    /// scanner host's own connections: "a SYN or connect port scan of 120 ports ... open
    /// ports it found: none", and 7 connections besides the scan where the client made 5.
    func testASynScanWhoseProbesCarryPayloadFoundTheOpenPorts() throws {
        let result = auditor.audit(paths: [capture("scan-data-length-veth.pcap")])
        let scan = try XCTUnwrap(result.scans?.first)
        XCTAssertEqual(result.scans?.count, 1)
        XCTAssertEqual(scan.type, .synHalfOpen)
        XCTAssertEqual(scan.portRanges, "1-120, 9445, 9765")
        XCTAssertEqual(scan.refused, 120)
        XCTAssertEqual(scan.openPorts, ["10.81.0.2:9445", "10.81.0.2:9765"], "nmap: 9445 and 9765 open")
        XCTAssertEqual(result.coverage.connections - scan.probes, 5, "the real client's 5 fetches")
    }
}
