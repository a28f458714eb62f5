import Audit
import Foundation
import Policy
import XCTest

/// Real nmap scans without a SYN and an OS detection (scripts/recording/record-scan-stealth.sh):
/// a FIN, an ACK and a Window scan of 10.78.0.2, a slow Maimon scan from a port above the
/// ephemeral range, and `nmap -O`, whose probes of closed port 1 and of an open port are no
/// SYN either.
final class StealthScanCaptureTests: XCTestCase {
    let auditor = Auditor(policy: Policy(offset: 2, mode: .cluster, coresPerNode: 2))

    /// Each FIN probe is a mid-stream connection (no SYN) answered by a RST: it was taken
    /// for traffic, so every closed port was a service with a high `unexpected-port`
    /// finding (301 here, 31337 too: it said nothing to the FIN) and no scan was found.
    func testAFINScanIsOnePortScanNotAServicePerClosedPort() throws {
        let result = auditor.audit(paths: [capture("scan-fin-veth.pcap")])
        let scan = try XCTUnwrap(result.scans?.first)
        XCTAssertEqual(result.scans?.count, 1)
        XCTAssertEqual(scan.scanner, "10.78.0.1")
        XCTAssertEqual(scan.type, .stealth)
        XCTAssertEqual(scan.portRanges, "1-300, 9765, 31337")
        XCTAssertEqual(scan.refused, 300, "tshark: 300 RSTs to the scanner, from 300 ports")
        XCTAssertEqual(scan.unanswered, 1, "31337, open, says nothing to a FIN")
        XCTAssertEqual(scan.openPorts, ["10.78.0.2:9765"], "its FIN went unanswered, but real clients used it")
        XCTAssertEqual(result.services.map { "\($0.address):\($0.port)" }, ["10.78.0.2:9765"])
        XCTAssertEqual(result.summary.findings["high"] ?? 0, 0)
        XCTAssertTrue(result.findings.contains { $0.kind == .portScan && $0.message.contains("ran a stealth (FIN, NULL") })
    }

    /// nmap says of the same scan: 300 closed, 9765 and 31337 open|filtered. Its probe of
    /// 9765, unanswered, was a connection "open at the start" of the window in the
    /// `insufficient-traffic` finding (1 here; 12, six ports probed twice, on a bug hunt's
    /// `nmap -sF` of seven ports in use); and the finding said the scan found 9765 open.
    func testAFINScanSaysOpenFilteredAndItsProbesAreNotOpenAtTheStart() throws {
        let result = auditor.audit(paths: [capture("scan-fin-veth.pcap")])
        XCTAssertEqual(result.coverage.openAtStart, 0, "the FIN probe of 9765 is no connection open at the start")
        let thin = try XCTUnwrap(result.findings.first { $0.kind == .insufficientTraffic })
        XCTAssertTrue(thin.message.contains("long-lived connections: 0 open at the start"), thin.message)
        let scan = try XCTUnwrap(result.scans?.first)
        XCTAssertEqual(scan.unfilteredPorts, [])
        let message = try XCTUnwrap(result.findings.first { $0.kind == .portScan }?.message)
        XCTAssertTrue(message.contains("300 probes answered with a RST (closed, or unfiltered to an ACK or Window probe), "
            + "1 unanswered (open|filtered, or filtered to an ACK or Window probe)"), message)
        XCTAssertTrue(message.contains("open ports it found: none (its probes show no port open); ports other connections show "
            + "open that left its probes unanswered (open|filtered to them): 10.78.0.2:9765"), message)
    }

    /// nmap's ACK and Window scans of the same ports (record-scan-stealth.sh): every port,
    /// open 9765 and 31337 too, answers the ACK with a RST; nmap calls all 302 unfiltered
    /// (`-sA`) or closed (`-sW`, by the RSTs' zero window), none open. The audit said the
    /// scan found 9765 open, and counted its probe as a connection open at the start.
    func testAnACKOrWindowScanFindsNoPortOpen() throws {
        for name in ["scan-ack-veth.pcap", "scan-window-veth.pcap"] {
            let result = auditor.audit(paths: [capture(name)])
            let scan = try XCTUnwrap(result.scans?.first, name)
            XCTAssertEqual(result.scans?.count, 1, name)
            XCTAssertEqual(scan.type, .stealth, name)
            XCTAssertEqual(scan.refused, 301, "\(name): tshark counts 302 RSTs to the scanner, 9765's among them")
            XCTAssertEqual(scan.openPorts, [], name)
            XCTAssertEqual(scan.unfilteredPorts, ["10.78.0.2:9765"], "\(name): its RST says unfiltered, not open")
            let message = try XCTUnwrap(result.findings.first { $0.kind == .portScan }?.message)
            XCTAssertTrue(message.contains("open ports it found: none (its probes show no port open); ports other connections "
                + "show open that left its probes unanswered (open|filtered to them): none; ports other connections show open "
                + "that answered its probes with a RST (unfiltered to them, as closed ports are): 10.78.0.2:9765"), message)
            XCTAssertEqual(result.services.map(\.port), [9765], "\(name): the real client's")
            XCTAssertEqual(result.coverage.openAtStart, 0, name)
        }
    }

    /// The same probes short of the scan thresholds are what a real connection caught at
    /// its last packets looks like (a FIN answered by a RST): they stay mid-stream services.
    /// (Short of the failed share: from one source port they are a scan under `min_ports`
    /// too, SmallScanCaptureTests.)
    func testProbesWithoutASynShortOfAScanStayServices() {
        var policy = Policy(offset: 2, mode: .cluster, coresPerNode: 2)
        policy.scanThresholds = ScanThresholds(minPorts: 1000, minFailedPercent: 100)
        let result = Auditor(policy: policy).audit(paths: [capture("scan-fin-veth.pcap")])
        XCTAssertEqual(result.scans ?? [], [])
        let probed = result.services.filter { $0.port != 9765 }
        XCTAssertEqual(probed.map(\.port), Array(1...300) + [31337])
        XCTAssertTrue(probed.allSatisfy { $0.states["midstream"] == 1 })
    }

    /// A Maimon scan from port 62000 (above the ephemeral range, as every port it probes is
    /// outside it): no rule told the server side, so its 300 probes were `unresolved`, the
    /// window of 67 s with 12 real connections was compliant and not called too thin.
    func testASlowMaimonScanFromAHighPortIsAScanAndLeavesTheWindowThin() throws {
        let result = auditor.audit(paths: [capture("scan-maimon-slow-veth.pcap")])
        let scan = try XCTUnwrap(result.scans?.first)
        XCTAssertEqual(scan.type, .stealth)
        XCTAssertEqual(scan.ports, 300)
        XCTAssertEqual(scan.refused, 300)
        XCTAssertEqual(result.unresolved.count, 0)
        XCTAssertFalse(result.findings.contains { $0.kind == .directionUnknown })
        let thin = try XCTUnwrap(result.findings.first { $0.kind == .insufficientTraffic })
        XCTAssertTrue(thin.message.contains("12 connections besides scan probes"), thin.message)
        XCTAssertFalse(result.summary.compliant)
    }

    /// nmap -O: a SYN scan, then probes without a SYN of closed port 1 (refused: no service,
    /// no high finding) and of 9765 (open, in use by a real client), one of which went
    /// unanswered. 9765 was left out of the open ports (an endpoint both an attempt and a
    /// service), and the scan was typed full-connect: port 1's probes were taken for an open
    /// port only the scanner used, and they are no half-open close.
    func testOSDetectionIsASynScanThatFoundBothOpenPorts() throws {
        let result = auditor.audit(paths: [capture("scan-os-detect-veth.pcap")])
        let scan = try XCTUnwrap(result.scans?.first)
        XCTAssertEqual(result.scans?.count, 1)
        XCTAssertEqual(scan.type, .synHalfOpen)
        XCTAssertEqual(scan.openPorts, ["10.78.0.2:9765", "10.78.0.2:31337"])
        XCTAssertFalse(result.services.contains { $0.port == 1 })
        XCTAssertEqual(result.findings.filter { $0.severity == .high }.map(\.port), [31337])
    }
}
