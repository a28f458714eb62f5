import Audit
import Foundation
import Policy
import XCTest

/// Real scans of 20 ports of a DAS node at offset 2 (scripts/recording/record-scan-small.sh):
/// nmap's SYN, FIN, NULL, Xmas, ACK and Maimon scans, a slow SYN scan, a SYN scan with 8
/// ports dropped by a firewall (retried from another source port), masscan, and a connect
/// scan, each beside a real client of 9765 and 9445. 22 (sshd), 9445 (openssl s_server)
/// and 9765 (http.server) are open, the 17 others closed. Under the default `min_ports`
/// (100) none was a scan: the raw-socket ones are now, by their one source port.
final class SmallScanCaptureTests: XCTestCase {
    let auditor = Auditor(policy: Policy(offset: 2, mode: .cluster, coresPerNode: 2))
    let ports = "21-23, 25, 80, 110, 143, 443, 445, 3306, 5432, 7613, 7713, 8080, 9445, 9765, 9999, 11002, 12002, 31337"

    /// Each probe without a SYN of a closed port was a mid-stream service: 20 services, 14
    /// high `unexpected-port` findings, and the closed catalog ports 7613, 7713, 11002 and
    /// 12002 counted as used. nmap: 17 closed, 22, 9445 and 9765 open|filtered (FIN, NULL,
    /// Xmas); all 20 unfiltered (ACK) or closed (Maimon: Linux answers it with a RST).
    func testASmallScanWithoutASynIsOneScan() throws {
        for (name, refused, unanswered) in [("fin", 17, 2), ("null", 17, 2), ("xmas", 17, 2), ("ack", 18, 0), ("maimon", 18, 0)] {
            let result = auditor.audit(paths: [capture("scan-small-\(name).pcap")])
            let scan = try XCTUnwrap(result.scans?.first, name)
            XCTAssertEqual(result.scans?.count, 1, name)
            XCTAssertEqual(scan.scanner, "10.79.0.1", name)
            XCTAssertEqual(scan.type, .stealth, name)
            XCTAssertEqual(scan.portRanges, ports, name)
            XCTAssertEqual(scan.refused, UInt64(refused), "\(name): tshark's RSTs to the scanner from ports no one else used")
            XCTAssertEqual(scan.unanswered, UInt64(unanswered), "\(name): 22, open, said nothing to its two probes")
            XCTAssertEqual(result.services.map(\.port), [9445, 9765], "\(name): the real client's only")
            XCTAssertEqual(result.summary.findings["high"] ?? 0, 0, name)
            XCTAssertEqual(result.attempts.count, 0, name)
        }
    }

    /// A raw-socket SYN scan, fast, slow (a probe a second), half filtered, or masscan's:
    /// 17 refused connects were listed, 4 of them `expected-service-not-answering` findings
    /// (7613, 7713, 11002, 12002). Now one scan that found 22, 9445 and 9765 open, as nmap
    /// and masscan say; 22 stays a service with its high `unexpected-port` finding.
    func testASmallRawSocketSynScanIsOneScanWithTheOpenPortsItFound() throws {
        for (name, refused, unanswered) in [("syn", 17, 0), ("slow", 17, 0), ("masscan", 17, 0), ("filtered", 9, 16)] {
            let result = auditor.audit(paths: [capture("scan-small-\(name).pcap")])
            let scan = try XCTUnwrap(result.scans?.first, name)
            XCTAssertEqual(result.scans?.count, 1, name)
            XCTAssertEqual(scan.type, .synHalfOpen, name)
            XCTAssertEqual(scan.portRanges, ports, name)
            XCTAssertEqual(scan.refused, UInt64(refused), name)
            XCTAssertEqual(scan.unanswered, UInt64(unanswered), "\(name): 8 dropped ports, each tried twice from two source ports")
            XCTAssertEqual(scan.openPorts, ["10.79.0.2:22", "10.79.0.2:9445", "10.79.0.2:9765"], name)
            XCTAssertEqual(result.attempts.count, 0, name)
            XCTAssertFalse(result.findings.contains { $0.kind == .expectedServiceNotAnswering }, name)
            XCTAssertEqual(result.findings.filter { $0.severity == .high }.map(\.port), [22], name)
        }
    }

    /// nmap's SYN sweep of 7613 (the thrift port at offset 2, closed) across 9 addresses of
    /// the node, under `min_hosts` (10): 9 attempts and 9 `expected-service-not-answering`
    /// findings. Every probe came from one source port (tshark): one sweep.
    func testASmallSweepFromOneSourcePortIsOneSweep() throws {
        let result = auditor.audit(paths: [capture("scan-small-sweep.pcap")])
        let scan = try XCTUnwrap(result.scans?.first)
        XCTAssertEqual(result.scans?.count, 1)
        XCTAssertEqual(scan.kind, .horizontal)
        XCTAssertEqual(scan.portRanges, "7613")
        XCTAssertEqual(scan.targets.count, 9)
        XCTAssertEqual(scan.refused, 9)
        XCTAssertEqual(result.attempts.count, 0)
        XCTAssertFalse(result.findings.contains { $0.kind == .expectedServiceNotAnswering })
    }

    /// A connect scan's every probe is a real connect from an ephemeral port of its own, as
    /// a client's refused connects are: under `min_ports` it stays 17 attempts.
    func testASmallConnectScanStaysAttempts() {
        let result = auditor.audit(paths: [capture("scan-small-connect.pcap")])
        XCTAssertEqual(result.scans ?? [], [])
        XCTAssertEqual(result.attempts.count, 17)
    }

    /// The rule needs 8 ports from one source port, and no more than `min_ports`.
    func testTheOneSourcePortRuleFollowsMinPortsAndTheFailedShare() {
        var policy = Policy(offset: 2, mode: .cluster, coresPerNode: 2)
        policy.scanThresholds = ScanThresholds(minFailedPercent: 90)
        XCTAssertEqual(Auditor(policy: policy).audit(paths: [capture("scan-small-syn.pcap")]).scans ?? [], [],
                       "17 of 20 failed is under 90%")
        policy.scanThresholds = ScanThresholds(minPorts: 5)
        XCTAssertEqual(Auditor(policy: policy).audit(paths: [capture("scan-small-syn.pcap")]).scans?.count, 1)
    }
}
