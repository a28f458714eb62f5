import Audit
import Flows
import Foundation
import Policy
import Reports
import Wire
import XCTest

/// Real scans whose packets look, one by one, like something else, and a real server's
/// keep-alives, which look like one of them, recorded by
/// scripts/recording/record-scan-lookalikes.sh: a DAS node at offset 2 (10.82.0.2: HTTP on
/// 9765, HTTPS on 9445, a line server with TCP keep-alive on the thrift port 7613) beside a
/// real client of 9765 (10.82.0.3), scanned from 10.82.0.1 with nmap and hping3.
final class ScanLookalikeCaptureTests: XCTestCase {
    let auditor = Auditor(policy: Policy(offset: 2))

    /// `nmap -sA -g 7613 -p 1-40,9445,9765`: each ACK from the thrift port, answered by a
    /// RST, is packet for packet a server's keep-alive to a client that lost its socket, so
    /// the policy rule made the scanner an expected `thrift.tcp.port` service with 40
    /// connections from the node, and the audit was COMPLIANT with no scan. tshark: 42 ACKs
    /// from 10.82.0.1:7613, 42 RSTs back.
    func testAnACKScanFromTheThriftPortIsAScanNotAService() throws {
        let result = auditor.audit(paths: [capture("scan-ack-g7613-veth.pcap")])
        XCTAssertFalse(result.services.contains { $0.address == "10.82.0.1" }, "the scanner serves nothing")
        XCTAssertEqual(result.services.map { "\($0.address):\($0.port)" }, ["10.82.0.2:9765"])
        let scan = try XCTUnwrap(result.scans?.first)
        XCTAssertEqual(result.scans?.count, 1)
        XCTAssertEqual(scan.scanner, "10.82.0.1")
        XCTAssertEqual(scan.type, .stealth)
        XCTAssertEqual(scan.targets, ["10.82.0.2"])
        XCTAssertEqual(scan.portRanges, "1-40, 9445, 9765")
        XCTAssertEqual(scan.refused, 41, "the 42nd RST, 9765's, is its service's: it served the real client")
        XCTAssertEqual(scan.unfilteredPorts, ["10.82.0.2:9765"], "nmap: unfiltered")
        let finding = try XCTUnwrap(result.findings.first { $0.kind == .portScan })
        XCTAssertEqual(finding.severity, .medium)
        XCTAssertEqual(finding.address, "10.82.0.1")
        XCTAssertFalse(result.summary.compliant)
        XCTAssertEqual(result.attempts.count, 0, "no refused attempt of the node's open ports")
        XCTAssertEqual(result.coverage.openAtStart, 0, "the probes were no connection open at the start")
    }

    /// `nmap -sM -g 9445 -p 1-40`: Maimon's FIN-ACK probes from carbon.https.port; with the
    /// node declared, the scanner was an `undeclared-dependency` the node used 40 times.
    func testAMaimonScanFromTheConsolePortIsNoDependencyOfTheNode() throws {
        let node = Node(name: "das1", addresses: [AddressPattern("10.82.0.2")!])
        let result = Auditor(policy: Policy(offset: 2, nodes: [node])).audit(paths: [capture("scan-maimon-g9445-veth.pcap")])
        XCTAssertFalse(result.findings.contains { $0.kind == .undeclaredDependency })
        XCTAssertFalse(result.services.contains { $0.address == "10.82.0.1" })
        let scan = try XCTUnwrap(result.scans?.first)
        XCTAssertEqual(scan.scanner, "10.82.0.1")
        XCTAssertEqual(scan.portRanges, "1-40")
        XCTAssertEqual(scan.refused, 40, "tshark: 40 RSTs to 10.82.0.1:9445")
    }

    /// A real server's keep-alives (Python, TCP_KEEPIDLE 2 s) to three clients whose
    /// sockets went away unseen: each a bare ACK from 7613 answered by a RST, as an ACK scan
    /// from 7613 is. Three such connections of one host are a server's, and stay one.
    func testAServersKeepAlivesToClientsThatWentAwayStayAService() throws {
        let result = auditor.audit(paths: [capture("keepalive-dead-clients-veth.pcap")])
        XCTAssertEqual(result.scans ?? [], [])
        let service = try XCTUnwrap(result.services.first)
        XCTAssertEqual(result.services.count, 1)
        XCTAssertEqual("\(service.address):\(service.port)", "10.82.0.2:7613")
        XCTAssertEqual(service.catalogKey, "thrift.tcp.port")
        XCTAssertEqual(service.connections, 3, "tshark: 3 keep-alives, 3 RSTs")
        XCTAssertEqual(result.attempts.count, 0)
        XCTAssertTrue(result.summary.compliant)
    }

    /// The same server's keep-alives to eight clients of one host that went away at once:
    /// as many ports as an ACK scan from 7613 needs to be one. Each keep-alive carries its
    /// own connection's numbers (tshark: 8 acknowledgment numbers for 8 keep-alives), where
    /// nmap's probes all carry one (3692727273 in `scan-ack-g7613-veth.pcap`, 4058716623 in
    /// `scan-maimon-g9445-veth.pcap`): a service, not a scan. Before, a MEDIUM `port-scan`
    /// by the server of its own clients, and a HIGH `no-traffic` ("the capture's only
    /// connections were 8 port-scan probes").
    func testAServersKeepAlivesToEightClientsThatWentAwayStayAService() throws {
        assertKeepAlivesStayAService("keepalive-8-dead-clients-veth.pcap", service: "10.82.0.2:7613 8")
    }

    /// `captureName` audits as the thrift port's `service` ("address:port connections"),
    /// compliant, with no scan and no `no-traffic`: a server's keep-alives.
    private func assertKeepAlivesStayAService(_ captureName: String, service: String, line: UInt = #line) {
        let result = auditor.audit(paths: [capture(captureName)])
        XCTAssertEqual(result.scans ?? [], [], line: line)
        XCTAssertFalse(result.findings.contains { $0.kind == .portScan || $0.kind == .noTraffic }, line: line)
        XCTAssertEqual(result.services.map { "\($0.address):\($0.port) \($0.connections)" }, [service], line: line)
        XCTAssertEqual(result.services.first?.catalogKey, "thrift.tcp.port", line: line)
        XCTAssertTrue(result.summary.compliant, line: line)
    }

    /// captures/scan-ack-random-g7613-veth.pcap (scripts/recording/record-scan-ack-random.sh):
    /// `hping3 -A -s 7613 -k -p ++1 -c 30` from 10.83.0.1 to ports 1-30 of 10.83.0.2, after a
    /// real fetch from its 9765. hping3 draws a sequence and acknowledgment number for each
    /// probe (tshark: 30 acknowledgment numbers for 30 ACKs), which made its probes, by their
    /// numbers, a server's keep-alives: an expected `thrift.tcp.port` 10.83.0.1:7613 with 30
    /// connections from the node, and COMPLIANT with no scan. The ports it probed are none of
    /// them in the clients' range, where a keep-alive's are (the keep-alive capture above:
    /// 8 ports of 10.82.0.3, all in 32768-60999).
    func testAnACKScanWithANumberPerProbeIsAScanNotAService() throws {
        try assertHping3ACKScan("scan-ack-random-g7613-veth.pcap", subnet: "10.83.0", ports: "1-30")
    }

    /// `captureName` audits as one recording of record-scan-ack-random.sh or
    /// record-ack-probes-by-port-range.sh: a fetch from SUBNET.2:9765, then hping3's 30 ACKs
    /// from SUBNET.1:7613 to `ports` of SUBNET.2: a medium stealth `port-scan` of them, each
    /// refused, and the fetch the only service.
    private func assertHping3ACKScan(_ captureName: String, subnet: String, ports: String, line: UInt = #line) throws {
        let result = auditor.audit(paths: [capture(captureName)])
        XCTAssertEqual(result.services.map { "\($0.address):\($0.port) \($0.connections)" }, ["\(subnet).2:9765 1"], line: line)
        let scan = try XCTUnwrap(result.scans?.first, line: line)
        XCTAssertEqual(result.scans?.count, 1, line: line)
        XCTAssertEqual(scan.scanner, "\(subnet).1", line: line)
        XCTAssertEqual(scan.type, .stealth, line: line)
        XCTAssertEqual(scan.targets, ["\(subnet).2"], line: line)
        XCTAssertEqual(scan.portRanges, ports, line: line)
        XCTAssertEqual(scan.refused, 30, line: line)
        let finding = try XCTUnwrap(result.findings.first { $0.kind == .portScan }, line: line)
        XCTAssertEqual(finding.severity, .medium, line: line)
        XCTAssertEqual(finding.address, "\(subnet).1", line: line)
        XCTAssertFalse(result.summary.compliant, line: line)
        XCTAssertEqual(result.coverage.openAtStart, 0, "the probes were no connection open at the start", line: line)
    }

    /// captures/scan-ack-random-in-range-veth.pcap
    /// (scripts/recording/record-ack-probes-by-port-range.sh): `hping3 -A -s 7613 -k -p
    /// ++40000 -c 30` from 10.84.0.1 to ports 40000-40029 of 10.84.0.2 (real listeners on
    /// 40005 and 40017), after a real fetch from its 9765. A number per probe, and every
    /// port inside the clients' range: until December 7, 2026 an expected `thrift.tcp.port`
    /// 10.84.0.1:7613 with 30 connections from the node, COMPLIANT with no scan. tshark: 30
    /// ACKs from 10.84.0.1:7613, no TCP option, DF clear, 30 RSTs back.
    func testAnACKScanWithANumberPerProbeOfPortsInTheClientsRangeIsAScan() throws {
        try assertHping3ACKScan("scan-ack-random-in-range-veth.pcap", subnet: "10.84.0", ports: "40000-40029")
    }

    /// captures/keepalive-8-fixed-ports-veth.pcap
    /// (scripts/recording/record-ack-probes-by-port-range.sh): the line server on 10.84.0.2:7613
    /// keep-alives eight clients of 10.84.0.1 that were bound to ports 5001-5008, outside the
    /// clients' range, and went away. Until December 7, 2026 a MEDIUM `port-scan` by the
    /// server of its own clients and a HIGH `no-traffic`. tshark: 8 keep-alives with the
    /// connections' timestamps and DF, each answered by a RST.
    func testAServersKeepAlivesToEightClientsOnFixedPortsStayAService() throws {
        assertKeepAlivesStayAService("keepalive-8-fixed-ports-veth.pcap", service: "10.84.0.2:7613 8")
    }

    /// captures/scan-ack-timestamp-g7613-veth.pcap (scripts/recording/record-probes-by-make.sh):
    /// `hping3 -A --tcp-timestamp -s 7613 -k -p ++40000 -c 30` from 10.85.0.1 to ports
    /// 40000-40029 of 10.85.0.2, after a real fetch from its 9765. Each probe carries a
    /// timestamp option, as a keep-alive does, but echoes nothing (tshark: TSecr 0 on all 30):
    /// until December 7, 2026 an expected `thrift.tcp.port` 10.85.0.1:7613 with 30
    /// connections from the node, COMPLIANT with no scan.
    func testAnACKScanWhoseTimestampsEchoNothingIsAScan() throws {
        try assertHping3ACKScan("scan-ack-timestamp-g7613-veth.pcap", subnet: "10.85.0", ports: "40000-40029")
    }

    /// captures/keepalive-8-dead-clients-ipv6-no-timestamps-veth.pcap
    /// (scripts/recording/record-probes-by-make.sh): the line server on [fd85::2]:7613, with
    /// net.ipv4.tcp_timestamps=0 (Linux applies it to IPv6 too), keep-alives eight clients of
    /// fd85::1 that went away. No TCP option, and IPv6 has no DF: until December 7, 2026 a
    /// MEDIUM `port-scan` by the server of its own clients and a HIGH `no-traffic`. Each
    /// carries its connection's flow label (tshark: 8 distinct, none 0), which nmap's IPv6
    /// probes do not (below).
    func testAServersIPv6KeepAlivesWithoutTimestampsStayAService() throws {
        assertKeepAlivesStayAService("keepalive-8-dead-clients-ipv6-no-timestamps-veth.pcap", service: "fd85::2:7613 8")
    }

    /// captures/scan-ack-ipv6-g7613-veth.pcap (scripts/recording/record-probes-by-make.sh):
    /// `nmap -6 -sA -g 7613 -p 40000-40029` from fd85::1, after a real fetch from
    /// [fd85::2]:9765: a scan, as its IPv4 twin (tshark: flow label 0, one acknowledgment
    /// number, no TCP option on all 30 probes).
    func testAnIPv6ACKScanFromTheThriftPortIsAScan() throws {
        let result = auditor.audit(paths: [capture("scan-ack-ipv6-g7613-veth.pcap")])
        XCTAssertEqual(result.services.map { "\($0.address):\($0.port) \($0.connections)" }, ["fd85::2:9765 1"])
        let scan = try XCTUnwrap(result.scans?.first)
        XCTAssertEqual(result.scans?.count, 1)
        XCTAssertEqual(scan.scanner, "fd85::1")
        XCTAssertEqual(scan.type, .stealth)
        XCTAssertEqual(scan.portRanges, "40000-40029")
        XCTAssertEqual(scan.refused, 30)
        XCTAssertFalse(result.summary.compliant)
    }

    /// captures/scan-ack-df-random-g7613-veth.pcap (scripts/recording/record-probes-by-make.sh):
    /// `hping3 -A -y -s 7613 -k -p ++40000 -c 30`, a number per probe with DF set and no
    /// option, is packet for packet what a Linux server's keep-alive without timestamps is
    /// over IPv4 (DF, no option, TTL 64, an IP id of its own; tshark: 30 distinct ids and
    /// acknowledgment numbers, window 512), and the audit cannot tell it from one: it stays
    /// the thrift port's service, as docs/design.md says. Should this change, say how there.
    func testAnACKScanWithDFAndANumberPerProbeStillReadsAsKeepAlives() {
        let result = auditor.audit(paths: [capture("scan-ack-df-random-g7613-veth.pcap")])
        XCTAssertEqual(result.scans ?? [], [])
        XCTAssertEqual(result.services.map { "\($0.address):\($0.port) \($0.connections)" }, ["10.85.0.1:7613 30", "10.85.0.2:9765 1"])
        XCTAssertTrue(result.summary.compliant)
    }

    /// `nmap -sn --send-ip`: host discovery sends an ACK to port 80, answered by a RST
    /// (nothing listens), which was a HIGH `unexpected-port` "serving 1 connection". A bare
    /// ACK refused by a RST is a refused attempt, as the SYN to 443 beside it is.
    func testHostDiscoverysACKToPort80IsARefusedAttempt() throws {
        let result = auditor.audit(paths: [capture("scan-ping-send-ip-veth.pcap")])
        XCTAssertEqual(result.services.map(\.port), [9765], "the real client's only")
        XCTAssertEqual(result.attempts.map(\.port), [80, 443])
        XCTAssertEqual(result.attempts.map(\.refused), [1, 1])
        XCTAssertEqual(result.summary.findings["high"] ?? 0, 0)
        XCTAssertFalse(result.findings.contains { $0.kind == .unexpectedPort })
        XCTAssertEqual(result.coverage.openAtStart, 0)
    }

    /// A connection picked up mid-stream with payload both ways stays a service: only a
    /// port that saw nothing but bare ACKs refused by RSTs is refused. The keep-alive
    /// capture of a DAS node (`keepalive-open-both-ends-veth-first60.pcap`) starts after
    /// its handshakes.
    func testMidStreamTrafficIsStillAService() {
        let result = auditor.audit(paths: [capture("keepalive-open-both-ends-veth-first60.pcap")])
        XCTAssertFalse(result.services.isEmpty)
        XCTAssertTrue(result.services.allSatisfy { $0.payloadBytes > 0 })
        XCTAssertEqual(result.attempts.count, 0)
    }

    /// `hping3 -R --rand-source -s 7600 -p 7613 -c 2000`: 2,000 RSTs without ACK from random
    /// addresses. Each was a connection of 7613 (or, where the random source port was a
    /// catalog port, a refused attempt on the random address: an `expected-service-not-
    /// answering` finding). A lone RST is no connection: counted apart, nothing made of it.
    func testASpoofedRSTFloodIsCountedNotAudited() throws {
        let result = auditor.audit(paths: [capture("scan-rst-flood-veth.pcap")])
        XCTAssertEqual(result.coverage.loneResets, 2000, "tshark: 2000 RSTs without ACK to 10.82.0.2:7613")
        XCTAssertEqual(result.services.map { "\($0.address):\($0.port)" }, ["10.82.0.2:9765"])
        XCTAssertEqual(result.attempts.count, 0)
        XCTAssertEqual(result.unresolved.count, 0)
        XCTAssertLessThan(result.coverage.connections, 20, "the real client's fetches only")
        XCTAssertFalse(result.findings.contains { $0.kind == .expectedServiceNotAnswering })
        XCTAssertTrue(TextReport(color: false).render(result).contains("2000 lone RSTs without ACK"))
    }

    /// A flood of lone RSTs holds no more than the table's cap at once, and leaves no
    /// client address, endpoint or connection behind: memory bounded whatever its size.
    func testALoneRSTFloodIsCappedAndLeavesNothingBehind() {
        let limits = FlowLimits(maxConnections: 1000)
        var table = FlowTable(rules: Auditor(policy: Policy(offset: 2)).directionRules, limits: limits)
        var mostOpen = 0
        for index in 0..<50_000 {
            let segment = TCPSegment(source: IPAddress(ipv4: 0xC000_0000 | UInt32(index)), destination: IPAddress(ipv4: 0x0A00_0001),
                                     sourcePort: UInt16(7000 + index % 3000), destinationPort: 7613, flags: [.rst],
                                     sequenceNumber: UInt32(index))
            table.add(segment, timestamp: Int64(index) * 1000, wireLength: 54)
            mostOpen = max(mostOpen, table.openCount)
        }
        XCTAssertLessThanOrEqual(mostOpen, limits.maxConnections)
        let statistics = table.statistics()
        XCTAssertEqual(statistics.loneResetPackets, 50_000)
        XCTAssertEqual(statistics.connections, 0)
        XCTAssertEqual(statistics.serviceCount + statistics.attemptCount, 0)
        XCTAssertEqual(statistics.clientAddressesRecorded, 0)
    }

    /// A refusal's RST, alone in a capture of the server's direction, still says refused:
    /// it carries an ACK (sequence 0), a flood's does not.
    func testALoneRefusalIsStillARefusedConnect() {
        let result = auditor.audit(paths: [capture("oneway-closed-port-out-veth.pcap")])
        XCTAssertGreaterThan(result.attempts.reduce(0) { $0 + $1.refused }, 0)
        XCTAssertEqual(result.coverage.loneResets ?? 0, 0)
    }

    /// `nmap -sS --badsum -p 1-30,9765`: b drops every probe; nmap sends each again from a
    /// second source port (tshark: 31 SYNs from 35105, 31 from 35107). Under `min_ports`, the
    /// one-source-port rule saw no endpoint with one port, so there was no scan: 62
    /// unanswered connects listed as 31 attempts. Two ports shared by every probe are a scan's.
    func testASmallScanNothingAnsweredIsAScanThroughItsRetries() throws {
        let result = auditor.audit(paths: [capture("scan-badsum-small-veth.pcap")])
        let scan = try XCTUnwrap(result.scans?.first)
        XCTAssertEqual(result.scans?.count, 1)
        XCTAssertEqual(scan.scanner, "10.82.0.1")
        XCTAssertEqual(scan.portRanges, "1-30, 9765")
        XCTAssertEqual(scan.unanswered, 62)
        XCTAssertEqual(scan.openPorts, [], "nmap: 31 filtered")
        XCTAssertEqual(result.attempts.count, 0)
    }

    /// `nmap -sS --data-length 40` (record-scan-evasion.sh): the SYN-ACK of 9445 acknowledged
    /// the SYN only, and nmap reset it; its 40 random bytes named 9445's protocol `other`.
    /// Bytes no open connection took say nothing of what the port speaks.
    func testASynsUnacceptedDataNamesNoProtocol() throws {
        let result = auditor.audit(paths: [capture("scan-data-length-veth.pcap")])
        let service = try XCTUnwrap(result.services.first { $0.port == 9445 })
        XCTAssertEqual(service.protocol, "none")
        XCTAssertEqual(result.services.first { $0.port == 9765 }?.protocol, "http")
    }
}
