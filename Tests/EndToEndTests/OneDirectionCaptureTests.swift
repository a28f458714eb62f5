import Audit
import CaptureEngine
import Flows
import Foundation
import Policy
import Reports
import XCTest

/// Captures of one direction (a SPAN port mirroring one way, asymmetric routing,
/// `tcpdump -Q in` / `-Q out`), recorded at a server (10.28.1.1) beside the capture of both
/// directions of the same traffic (captures/README.md, "oneway-*"). What one side shows is
/// read as a capture of both would read it; what it cannot show is said, beside the verdict.
final class OneDirectionCaptureTests: XCTestCase {
    let auditor = Auditor(policy: Policy(offset: 0))

    func services(_ result: AuditResult) -> [String] { result.services.map { "\($0.address):\($0.port)" } }
    func attempts(_ result: AuditResult) -> [String] { result.attempts.map { "\($0.address):\($0.port)" } }

    /// The clients' side only: each connection was "attempted" (SYN, nothing came back)
    /// although the client ACKed, sent a GET and a FIN, which only an answered SYN lets it.
    /// The rogue HTTP service on 31337 that served 3 GETs made no finding and the run was
    /// COMPLIANT; 9763, which answered 3, got `expected-service-not-answering`.
    func testTheClientsSideAloneShowsTheServicesThatServed() throws {
        let filtered = auditor.audit(bundled: "oneway-http-full-veth.pcap", filter: "src host 10.28.1.2 and port 31337")
        XCTAssertEqual(services(filtered), ["10.28.1.1:31337"])
        XCTAssertTrue(filtered.findings.contains { $0.kind == .unexpectedPort && $0.port == 31337 && $0.severity == .high })
        XCTAssertFalse(filtered.summary.compliant)

        let inbound = auditor.audit(paths: [capture("oneway-http-in-veth.pcap")])
        let both = auditor.audit(paths: [capture("oneway-http-full-veth.pcap")])
        XCTAssertEqual(services(inbound), services(both))
        XCTAssertEqual(services(inbound), ["10.28.1.1:9763", "10.28.1.1:31337"])
        XCTAssertEqual(inbound.attempts.count, 0)
        XCTAssertFalse(inbound.findings.contains { $0.kind == .expectedServiceNotAnswering })
        XCTAssertFalse(inbound.findings.contains { $0.kind == .unusedOpening && $0.port == 9763 })
        for service in inbound.services {
            XCTAssertEqual(service.states, ["closed": 3], "tshark: 3 streams each, the client's FIN in each")
            XCTAssertEqual(service.protocol, "http", "from the client's GET")
        }
        XCTAssertEqual(inbound.coverage.connectionsSeenOneWay, 6)
        XCTAssertEqual(both.coverage.connectionsSeenOneWay, 0)
    }

    /// A simultaneous open seen from one side: the side that sent a SYN and a SYN-ACK had
    /// its SYN answered (it was "attempted", and the port "not answering").
    func testASimultaneousOpenSeenFromOneSideServed() throws {
        let (connections, _) = auditor.connections(paths: [capture("oneway-simultaneous-open-in-veth.pcap")])
        XCTAssertEqual(connections.map(\.state), [.closed])
        let result = auditor.audit(paths: [capture("oneway-simultaneous-open-in-veth.pcap")])
        XCTAssertEqual(result.attempts.count, 0)
        XCTAssertEqual(result.services.count, 1)
    }

    /// The servers' side only: a closed port's RST,ACK (its SYN not captured) was a
    /// mid-stream service, a HIGH `unexpected-port` "served 1 connection"; a refused
    /// expected port (11111) was a service, so its unused opening vanished.
    func testTheServersRefusalAloneIsARefusedConnect() throws {
        let closed = auditor.audit(paths: [capture("oneway-closed-port-out-veth.pcap")])
        XCTAssertEqual(services(closed), ["10.28.1.1:9763"])
        XCTAssertEqual(attempts(closed), ["10.28.1.1:31339"])
        XCTAssertEqual(closed.attempts.first?.refused, 1)
        XCTAssertEqual(closed.summary.findings["high"] ?? 0, 0)

        let misc = auditor.audit(paths: [capture("oneway-misc-out-veth.pcap")])
        XCTAssertEqual(services(misc), ["10.28.1.1:4040", "10.28.1.1:31338"])
        XCTAssertEqual(attempts(misc), ["10.28.1.1:11111"])
        XCTAssertTrue(misc.findings.contains { $0.kind == .expectedServiceNotAnswering && $0.port == 11111 })
        XCTAssertEqual(misc.coverage.connectionsSeenOneWay, 7, "tshark: 7 streams, every packet from 10.28.1.1")
    }

    /// nmap -sS of closed ports captured on the server's way out: each probe is one RST,ACK
    /// (tshark: 100 streams, 100 RSTs). Each was a HIGH `unexpected-port` (1001 on the whole
    /// scan), no scan was found and all were "open at the start"; now one port scan of
    /// refused probes and no service, as in the capture of both directions.
    func testAScanSeenFromTheServersSideIsAScanOfRefusals() throws {
        let result = auditor.audit(paths: [capture("oneway-scan-out-veth-first100.pcap")])
        XCTAssertEqual(result.services.count, 0)
        XCTAssertEqual(result.summary.findings["high"] ?? 0, 1, "the no-traffic finding only")
        XCTAssertEqual(result.findings.first { $0.severity == .high }?.kind, .noTraffic)
        let scan = try XCTUnwrap(result.scans?.first)
        XCTAssertEqual(scan.scanner, "10.28.1.2")
        XCTAssertEqual(scan.refused, 100)
        XCTAssertEqual(result.coverage.openAtStart, 0)
        XCTAssertEqual(result.coverage.connectionsSeenOneWay, 100)
    }

    /// "Still open at the end": the servers' FINs are in the file (it said 6 still open),
    /// and connections begun before the window and never closed in it are open at its end
    /// (it said 0: only the `established` state was counted).
    func testOpenAtTheEndCountsWhatTheCaptureLeftOpen() throws {
        let outbound = auditor.audit(paths: [capture("oneway-http-out-veth.pcap")])
        XCTAssertEqual(outbound.coverage.openAtEnd, 0, "tshark: a FIN from the server in each of the 6 streams")
        XCTAssertEqual(outbound.services.map(\.states), [["closed": 3], ["closed": 3]])

        let kept = auditor.audit(paths: [capture("keepalive-open-both-ends-veth-first60.pcap")])
        XCTAssertEqual(kept.coverage.openAtStart, 2)
        XCTAssertEqual(kept.coverage.openAtEnd, 2, "tshark: 2 streams, no SYN, FIN or RST")
        let thin = try XCTUnwrap(kept.findings.first { $0.kind == .insufficientTraffic })
        XCTAssertTrue(thin.message.contains("2 open at the start, 2 still open at the end"), thin.message)
    }

    /// Every report says the capture may hold one direction, and a compliant verdict says
    /// it beside the pass; a capture of both directions says nothing of it.
    func testReportsSayTheCaptureHoldsOneDirection() throws {
        let oneWay = auditor.audit(paths: [capture("oneway-closed-port-out-veth.pcap")])
        XCTAssertTrue(oneWay.summary.compliant)
        let note = "2 connections seen in one direction only: the capture may hold one direction"
        let text = TextReport(color: false).render(oneWay), markdown = MarkdownReport.render(oneWay)
        let html = HTMLReport.render(oneWay)
        for report in [text, markdown, html] { XCTAssertTrue(report.contains(note), report) }
        XCTAssertTrue(text.contains("COMPLIANT: no finding at or above --fail-on medium (but 2 connections were seen in one "
            + "direction only)"), text)
        let json = try ResultCoding.encoder().encode(oneWay)
        XCTAssertTrue(String(decoding: json, as: UTF8.self).contains("\"connections_seen_one_way\" : 2"))

        let both = auditor.audit(paths: [capture("oneway-http-full-veth.pcap")])
        for report in [TextReport(color: false).render(both), MarkdownReport.render(both), HTMLReport.render(both)] {
            XCTAssertFalse(report.contains("one direction"))
        }
    }
}
