import Audit
import CaptureEngine
import Foundation
import Policy
import XCTest

/// The recorded nmap scans (scripts/recording/record-scans.sh): a SYN scan of 127.0.0.1
/// ports 9000-11999 and a connect scan of 127.0.0.2 ports 20000-21999 on loopback; a SYN
/// scan of two hosts in a network namespace (ports 9000-9999) and a SYN sweep of port 9999
/// across its 20 addresses; two scanners of one host; a SYN scan seen twice on every
/// packet.
final class PortScanCaptureTests: XCTestCase {
    let auditor = Auditor(policy: Policy())

    func testLoopbackScansAreOneFindingEachWithTypeTargetsPortsAndOpenPorts() throws {
        let result = auditor.audit(paths: [capture("scan-syn-connect-lo.pcap")])
        let scans = try XCTUnwrap(result.scans)
        XCTAssertEqual(scans.count, 2)
        let connect = try XCTUnwrap(scans.first { $0.type == .connect })
        XCTAssertEqual(connect.scanner, "127.0.0.1")
        XCTAssertEqual(connect.kind, .vertical)
        XCTAssertEqual(connect.targets, ["127.0.0.2"])
        XCTAssertEqual(connect.ports, 2000)
        XCTAssertEqual(connect.portRanges, "20000-21999")
        XCTAssertEqual(connect.openPorts, ["127.0.0.2:20100"])
        let syn = try XCTUnwrap(scans.first { $0.type == .synHalfOpen })
        XCTAssertEqual(syn.targets, ["127.0.0.1"])
        XCTAssertEqual(syn.ports, 3000)
        XCTAssertEqual(syn.portRanges, "9000-11999")
        XCTAssertEqual(syn.openPorts, ["127.0.0.1:9443", "127.0.0.1:9763", "127.0.0.1:11111"])
        let findings = result.findings.filter { $0.kind == .portScan }
        XCTAssertEqual(findings.count, 2)
        XCTAssertTrue(findings.allSatisfy { $0.severity == .medium && $0.address == "127.0.0.1" })
        XCTAssertTrue(findings.contains { $0.message.contains("SYN (half-open) port scan of 3000 ports (9000-11999)") })
        XCTAssertTrue(findings.contains { $0.message.contains("full-connect port scan of 2000 ports (20000-21999)") })
    }

    /// A real SYN scan recorded on every interface at once (`tcpdump -i any` on a bridge
    /// between two namespaces): every packet is there twice. The second RST of each
    /// refusal comes after the refused connection has left the table (`RecentlyRefused`),
    /// and must start no connection: taken for a mid-stream one, it made all 999 closed
    /// ports services with a high finding each. And the scan is still a SYN scan.
    func testAScanSeenTwiceOnEveryPacketLeavesTheClosedPortsClosed() throws {
        let result = auditor.audit(paths: [capture("scan-duplicated-any.pcap")])
        XCTAssertEqual(result.services.map { "\($0.address):\($0.port)" }, ["10.204.0.2:9443"])
        XCTAssertEqual(result.coverage.connections, 1000)
        let scan = try XCTUnwrap(result.scans?.first)
        XCTAssertEqual(result.scans?.count, 1)
        XCTAssertEqual(scan.scanner, "10.204.0.1")
        XCTAssertEqual(scan.type, .synHalfOpen, "read from the control bits, not the packets (six a probe here)")
        XCTAssertEqual(scan.portRanges, "9000-9999")
        XCTAssertEqual(scan.refused, 999)
        XCTAssertEqual(scan.openPorts, ["10.204.0.2:9443"])
        // A scan alone is no cluster traffic: its one high finding says so (`ClusterPresence`).
        XCTAssertEqual(result.findings.filter { $0.severity == .high }.map(\.kind), [.noTraffic])
    }

    func testScanProbesAreFoldedNotAttemptsAndRaiseNoExpectedServiceNotAnswering() {
        let result = auditor.audit(paths: [capture("scan-syn-connect-lo.pcap")])
        // 9000-11999 holds catalog ports (9443, 9763, 9999, 10500, 11000, 11111 ...) that
        // refused the SYN scan: without folding each was an attempt and a finding.
        XCTAssertEqual(result.attempts.count, 0)
        XCTAssertFalse(result.findings.contains { $0.kind == .expectedServiceNotAnswering })
        XCTAssertEqual(result.summary.attempts, 0)
    }

    func testTheOpenPortsAScanFoundRemainServices() {
        let result = auditor.audit(paths: [capture("scan-syn-connect-lo.pcap")])
        XCTAssertEqual(Set(result.services.map { "\($0.address):\($0.port)" }),
                       ["127.0.0.1:9443", "127.0.0.1:9763", "127.0.0.1:11111", "127.0.0.2:20100"])
    }

    /// Two real scanners of one host (10.203.0.1: ports 9000-9599, then 10.203.0.250: ports
    /// 9300-9999; 9443 and 9763 listen): each scan counts its own refusals, those of the
    /// 299 refused ports both tried (9300-9599 less 9443) too, from each client's tally of
    /// its failed connects, and its own window, not the other's. tshark counts the same
    /// RSTs from the host to each scanner (599 and 698).
    func testTwoScannersOfTheSamePortsEachCountTheirOwnRefusals() throws {
        let result = auditor.audit(paths: [capture("scan-two-scanners-veth.pcap")])
        let scans = try XCTUnwrap(result.scans).sorted { $0.firstSeen < $1.firstSeen }
        XCTAssertEqual(scans.map(\.scanner), ["10.203.0.1", "10.203.0.250"])
        XCTAssertEqual(scans.map(\.portRanges), ["9000-9599", "9300-9999"])
        XCTAssertEqual(scans.map(\.probes), [600, 700])
        XCTAssertEqual(scans.map(\.refused), [599, 698], "9000-9599 less 9443; 9300-9999 less 9443 and 9763")
        XCTAssertEqual(scans.map(\.unanswered), [0, 0])
        XCTAssertEqual(scans.map(\.sharedProbes), [0, 0], "each scanner's connects to the shared ports are known")
        XCTAssertEqual(scans.map(\.windowShared), [false, false])
        XCTAssertLessThan(scans[0].lastSeen, scans[1].firstSeen, "one scan after the other, each its own window")
        let messages = result.findings.filter { $0.kind == .portScan }.map(\.message)
        XCTAssertEqual(messages.count, 2)
        XCTAssertFalse(messages.contains { $0.contains("other clients tried too") })
        XCTAssertTrue(messages.contains { $0.contains("600 endpoints probed, 599 connects refused, 0 unanswered, on the ports it alone tried, from ") })
        XCTAssertTrue(messages.contains { $0.contains("700 endpoints probed, 698 connects refused, 0 unanswered, on the ports it alone tried, from ") })
    }

    /// A FIN scan beside a SYN scan of the same ports (a piece of the bug hunt's multi.pcap:
    /// 10.77.0.10's SYN scan of 10.77.0.2 ports 1-300 and 9765, 10.77.0.12's FIN scan of
    /// ports 1-150). tshark counts 300 RSTs to 10.77.0.10 and 150 to 10.77.0.12. Until
    /// December 5, 2026 the SYN scan counted 150 refused with 150 shared probes and the FIN
    /// scan none, with the window of every client.
    func testAFinScanBesideASynScanOfTheSamePortsEachCountTheirOwnRefusals() throws {
        let result = auditor.audit(paths: [capture("scan-syn-fin-same-ports.pcap")])
        let scans = try XCTUnwrap(result.scans).sorted { $0.scanner < $1.scanner }
        XCTAssertEqual(scans.map(\.scanner), ["10.77.0.10", "10.77.0.12"])
        XCTAssertEqual(scans.map(\.type), [.synHalfOpen, .stealth])
        XCTAssertEqual(scans.map(\.probes), [301, 150])
        XCTAssertEqual(scans.map(\.refused), [300, 150], "tshark's RSTs to each scanner")
        XCTAssertEqual(scans.map(\.unanswered), [0, 0])
        XCTAssertEqual(scans.map(\.sharedProbes), [0, 0])
        XCTAssertEqual(scans.map(\.windowShared), [false, false], "the FIN probes' times are the FIN scanner's own")
        XCTAssertLessThan(scans[1].lastSeen, scans[0].firstSeen, "the FIN scan ran first")
    }

    /// A client fetches a page from 10.77.0.2:9763 three times, then SYN-scans the host
    /// (scripts/recording/record-scan-after-use.sh). The page fetches are no probes: the
    /// scan's window is its probes' 8 ms, not the 3 s since the first fetch, and 9763,
    /// which carried requests too, cannot tell a SYN scan from a connect scan.
    func testAClientThatUsedAServiceBeforeScanningItsHostScannedOnlyWhenItProbed() throws {
        let result = auditor.audit(paths: [capture("scan-after-use-veth.pcap")])
        let scan = try XCTUnwrap(result.scans?.first)
        XCTAssertEqual(result.scans?.count, 1)
        XCTAssertEqual(scan.scanner, "10.77.0.1")
        XCTAssertEqual(scan.probes, 1001)
        XCTAssertEqual(scan.refused, 1000)
        XCTAssertEqual(scan.openPorts, ["10.77.0.2:9763"])
        XCTAssertEqual("\(scan.firstSeen)", "2026-12-05T06:46:55.014920000Z", "the first probe, not the first fetch")
        XCTAssertEqual("\(scan.lastSeen)", "2026-12-05T06:46:55.023330000Z")
        XCTAssertEqual(scan.type, .undetermined)
        XCTAssertEqual(result.services.map { "\($0.address):\($0.port) \($0.connections)" }, ["10.77.0.2:9763 4"])
    }

    func testNamespaceHostsScanAndHorizontalSweep() throws {
        let result = auditor.audit(paths: [capture("scan-netns-veth.pcap")])
        let scans = try XCTUnwrap(result.scans)
        let vertical = try XCTUnwrap(scans.first { $0.kind == .vertical })
        XCTAssertEqual(vertical.scanner, "10.203.0.1")
        XCTAssertEqual(vertical.type, .synHalfOpen)
        XCTAssertEqual(vertical.targets, ["10.203.0.2", "10.203.0.3"])
        XCTAssertEqual(vertical.ports, 1000)
        XCTAssertEqual(vertical.openPorts, ["10.203.0.2:9443", "10.203.0.2:9763", "10.203.0.3:9443"])
        let sweep = try XCTUnwrap(scans.first { $0.kind == .horizontal })
        XCTAssertEqual(sweep.portRanges, "9999")
        // The two hosts scanned vertically are counted in that scan, not twice.
        XCTAssertEqual(sweep.targets.count, 18)
        XCTAssertEqual(sweep.targets.first, "10.203.0.4", "addresses sort as numbers")
        XCTAssertEqual(sweep.targets.last, "10.203.0.21")
        XCTAssertEqual(result.attempts.count, 0)
    }

    /// Above the policy's `min_ports` the connect scan of 127.0.0.2 (2,000 ports, each probe
    /// a real connect from its own ephemeral port) is no scan: its refused endpoints are
    /// attempts again. The SYN scan of 127.0.0.1 is still one: 2,997 of its refused
    /// connects came from one source port, which only a raw-socket scanner does
    /// (`PortScans.fromOneSourcePort`, SmallScanCaptureTests).
    func testThresholdsFromThePolicyDecide() throws {
        var policy = Policy()
        policy.scanThresholds = ScanThresholds(minPorts: 5000, minHosts: 50, minFailedPercent: 80)
        let result = Auditor(policy: policy).audit(paths: [capture("scan-syn-connect-lo.pcap")])
        XCTAssertEqual(result.scans?.map(\.scanner), ["127.0.0.1"])
        XCTAssertEqual(result.scans?.first?.type, .synHalfOpen)
        XCTAssertEqual(result.attempts.count, 1999, "unfolded, every refused endpoint of the connect scan is an attempt again")
        XCTAssertTrue(result.attempts.allSatisfy { $0.address == "127.0.0.2" })
    }

    func testAShortCaptureSaysItCannotCallOpeningsUnused() throws {
        let result = auditor.audit(paths: [capture("scan-syn-connect-lo.pcap")])
        let finding = try XCTUnwrap(result.findings.first { $0.kind == .insufficientTraffic })
        XCTAssertEqual(finding.severity, .info)
        XCTAssertTrue(finding.message.contains("under 60 s"), finding.message)
        XCTAssertTrue(finding.message.contains("0 connections besides scan probes"), finding.message)
        XCTAssertEqual(result.coverage.openAtStart, 0)
        XCTAssertEqual(result.coverage.openAtEnd, 0)
    }

    func testTheScanPolicySectionIsReadAndCheckedStrictly() throws {
        let settings = try PolicyFile.parse("scan:\n  min_ports: 500\n  min_failed_percent: 90\n", path: "p.yaml")
        XCTAssertEqual(try settings.makePolicy().scanThresholds, ScanThresholds(minPorts: 500, minHosts: 10, minFailedPercent: 90))
        XCTAssertThrowsError(try PolicyFile.parse("scan:\n  min_port: 500\n", path: "p.yaml")) { error in
            XCTAssertTrue("\(error)".hasPrefix("p.yaml:2:"), "\(error)")
        }
        XCTAssertThrowsError(try PolicyFile.parse("scan:\n  min_failed_percent: 101\n", path: "p.yaml")) { error in
            XCTAssertTrue("\(error)".contains("p.yaml:2:") && "\(error)".contains("percentage"), "\(error)")
        }
    }

    func testTheTerminalSummaryOfAScanIsShort() throws {
        let run = try runDasaudit(["audit", capture("scan-syn-connect-lo.pcap")])
        XCTAssertLessThanOrEqual(run.stdout.split(separator: "\n").count, 60)
        XCTAssertTrue(run.stdout.contains("port-scan"))
    }

    /// A capture whose only traffic is a scan's probes says nothing of what the cluster
    /// uses: its probes were evidence enough that `no-traffic` never fired, and under
    /// `--fail-on high` the medium port-scan left it COMPLIANT, its ports "unused". It is
    /// not compliant at any threshold now, and makes no unused-opening finding.
    func testAScanAloneIsNotCompliantWhateverFailOnSays() throws {
        for failOn in [FailThreshold.high, .never] {
            var auditor = Auditor(policy: Policy(), failOn: failOn)
            // Only the refused probes: no service, every attempt folded into the scans.
            auditor.captureFilter = "tcp and not port 9443 and not port 9763"
            let result = auditor.audit(paths: [capture("scan-netns-veth.pcap")])
            XCTAssertEqual(result.services.count, 0)
            XCTAssertEqual(result.attempts.count, 0)
            XCTAssertEqual(result.scans?.count, 2)
            let finding = try XCTUnwrap(result.findings.first { $0.kind == .noTraffic })
            XCTAssertEqual(finding.severity, .high)
            XCTAssertTrue(finding.message.hasPrefix("no cluster traffic was audited: the capture's only connections were "
                + "2014 port-scan probes from 10.203.0.1; a scan shows what answered"), finding.message)
            XCTAssertFalse(result.findings.contains { $0.kind == .unusedOpening })
            XCTAssertFalse(result.summary.compliant, "\(failOn)")
        }
        // The open ports that answered are named, and do not make the probes traffic.
        let answered = Auditor(policy: Policy()).audit(paths: [capture("scan-netns-veth.pcap")])
        XCTAssertEqual(answered.services.count, 3)
        XCTAssertTrue(answered.findings.contains { $0.kind == .noTraffic && $0.message.contains("(3 ports answered them)") })
    }

    /// Real traffic beside a scan is audited as before: the scan is a finding, the capture
    /// is no audit of nothing (one real client before the scan, or beside a stealth scan).
    func testRealTrafficBesideAScanIsStillAudited() {
        for name in ["scan-after-use-veth.pcap", "scan-fin-veth.pcap", "scan-os-detect-veth.pcap", "scan-version-probes-veth.pcap"] {
            let result = Auditor(policy: Policy(offset: 2)).audit(paths: [capture(name)])
            XCTAssertFalse(result.findings.contains { $0.kind == .noTraffic }, name)
            XCTAssertTrue(result.findings.contains { $0.kind == .portScan }, name)
        }
    }
}
