@testable import Audit
import Flows
import Foundation
import Policy
import Wire
import XCTest

/// `ResultMerger` across an address translation: a connection one capture point saw at a
/// published port, a Service's address or before masquerade, and another point (the host
/// that translated it, which named the translation) saw as it reached the server or left
/// the host, is one connection, counted at the server it reached.
final class ResultMergerTranslationTests: XCTestCase {
    let second: Int64 = 1_000_000_000

    func endpoint(_ text: String) -> Endpoint { Endpoint(text[...])! }

    func connection(_ client: String, _ server: String, isn: UInt32?, first: Int64 = 0) -> Connection {
        Connection(client: endpoint(client), server: endpoint(server), directionBasis: isn == nil ? .ephemeral : .handshake,
                   state: isn == nil ? .midstream : .closed, packetsToServer: 6, packetsToClient: 6, bytesToServer: 600,
                   bytesToClient: 4000, payloadBytesToServer: 80, payloadBytesToClient: 3500, firstSeen: first,
                   lastSeen: first + second / 10, clientInitialSequence: isn)
    }

    /// One capture point's result: its connections, and the translations its input named.
    func result(_ point: String, _ connections: [Connection], translated: [String: UInt64] = [:]) -> AuditResult {
        let input = InputSummary(path: point + ".pcap", packets: 1, tcpSegments: 1, skipped: [:], translated: translated,
                                 complete: true)
        var result = Auditor(policy: Policy()).audit(connections, inputs: [input])
        result.capturePoints = [CapturePoint(name: point, basis: .option)]
        result.connections = connections.map(ConnectionEntry.init)
        let hex = point.utf8.map { String(format: "%02x", $0) }.joined()
        result.evidence = Evidence(commandLine: ["dasaudit"], policySha256: String(repeating: "a", count: 64),
                                   inputs: [.init(path: point + ".pcap", sha256: String((hex + String(repeating: "0", count: 64)).prefix(64)),
                                                  sizeBytes: 1, note: nil)])
        return result
    }

    func merged(_ results: [AuditResult]) throws -> [String] {
        try ResultMerger().merge(results, names: results.map { $0.capturePoints![0].name }).connections
            .map { "\($0.client) -> \($0.server)" }
    }

    let published = "10.28.0.1:19443 -> 10.28.20.2:9443"

    /// The hunt's case: b connects to a's published port, a audits it at the container;
    /// b's clock 40 s off, which the ISN does not mind.
    func testAPublishedPortSeenAtTheClientIsTheConnectionTheHostAuditedAtTheContainer() throws {
        let a = result("hosta", [connection("10.28.0.2:40842", "10.28.20.2:9443", isn: 1_172_149_176)], translated: [published: 1])
        let b = result("hostb", [connection("10.28.0.2:40842", "10.28.0.1:19443", isn: 1_172_149_176, first: 40 * second)])
        XCTAssertEqual(try merged([a, b]), ["10.28.0.2:40842 -> 10.28.20.2:9443"])
        XCTAssertEqual(try merged([b, a]), ["10.28.0.2:40842 -> 10.28.20.2:9443"])
        // Another ISN is another connection (the client port reused), and stays at the front
        // only where no translation of it is known... here one is: it reached the container.
        let other = result("hostb", [connection("10.28.0.2:40842", "10.28.0.1:19443", isn: 99, first: 40 * second)])
        XCTAssertEqual(try merged([a, other]), ["10.28.0.2:40842 -> 10.28.20.2:9443", "10.28.0.2:40842 -> 10.28.20.2:9443"])
        // Without the translation named, the two are different connections, as before.
        let unnamed = result("hosta", [connection("10.28.0.2:40842", "10.28.20.2:9443", isn: 1_172_149_176)])
        XCTAssertEqual(Set(try merged([unnamed, b])), ["10.28.0.2:40842 -> 10.28.20.2:9443", "10.28.0.2:40842 -> 10.28.0.1:19443"])
    }

    /// Seen mid-stream at the client (no ISN): the single translation known takes it to the
    /// container, where it meets the host's sighting by time; at the point that named the
    /// translation, a connection kept at the front was not translated there, and stays.
    func testAFrontWithoutItsHandshakeTakesTheOnlyTranslationKnownButNotWhereItWasNamed() throws {
        let a = result("hosta", [connection("10.28.0.2:40842", "10.28.20.2:9443", isn: nil)], translated: [published: 1])
        let b = result("hostb", [connection("10.28.0.2:40842", "10.28.0.1:19443", isn: nil)])
        XCTAssertEqual(try merged([a, b]), ["10.28.0.2:40842 -> 10.28.20.2:9443"])
        let local = result("hosta", [connection("10.28.0.1:50000", "10.28.0.1:19443", isn: 7)], translated: [published: 1])
        XCTAssertEqual(try merged([local, result("hostb", [])]), ["10.28.0.1:50000 -> 10.28.0.1:19443"])
    }

    /// A Service's address in front of two pods: the ISN says which one each connection
    /// reached; without it, which one is unknown, and the connection stays at the front.
    func testAServiceOfTwoPodsIsMatchedByTheISNOnly() throws {
        let a = result("hosta", [connection("10.28.0.2:40001", "10.28.20.2:9763", isn: 1),
                                 connection("10.28.0.2:40002", "10.28.20.3:9763", isn: 2)],
                       translated: ["10.96.0.10:80 -> 10.28.20.2:9763": 1, "10.96.0.10:80 -> 10.28.20.3:9763": 1])
        let b = result("hostb", [connection("10.28.0.2:40001", "10.96.0.10:80", isn: 1),
                                 connection("10.28.0.2:40002", "10.96.0.10:80", isn: 2),
                                 connection("10.28.0.2:40003", "10.96.0.10:80", isn: nil)])
        XCTAssertEqual(try merged([a, b]), ["10.28.0.2:40001 -> 10.28.20.2:9763", "10.28.0.2:40002 -> 10.28.20.3:9763",
                                            "10.28.0.2:40003 -> 10.96.0.10:80"])
    }

    /// A NodePort masquerades as it forwards: the pod sees the host as its client, with a
    /// port of the host's choosing; the ISN and the server's translation tie the two.
    func testANodePortWithBothEndpointsTranslatedIsMatchedByItsISN() throws {
        let a = result("hosta", [connection("10.28.20.1:61000", "10.28.20.2:9763", isn: 5)],
                       translated: ["10.28.0.1:30763 -> 10.28.20.2:9763": 1])
        let b = result("hostb", [connection("10.28.0.2:40842", "10.28.0.1:30763", isn: 5)])
        XCTAssertEqual(try merged([a, b]), ["10.28.20.1:61000 -> 10.28.20.2:9763"])
    }

    /// Masquerade: the container's own capture sees its address, the host audits the one
    /// its connection left with, as the server's host sees it.
    func testAMasqueradedConnectionSeenInTheContainerIsTheOneThatLeftTheHost() throws {
        let container = result("c1", [connection("10.28.20.2:35946", "10.28.0.2:9763", isn: 66)])
        let a = result("hosta", [connection("10.28.0.1:35946", "10.28.0.2:9763", isn: 66)],
                       translated: ["client 10.28.20.2 -> 10.28.0.1": 1])
        let b = result("hostb", [connection("10.28.0.1:35946", "10.28.0.2:9763", isn: 66, first: 3 * second)])
        XCTAssertEqual(try merged([container, a, b]), ["10.28.0.1:35946 -> 10.28.0.2:9763"])
        XCTAssertEqual(try merged([container, a]), ["10.28.0.1:35946 -> 10.28.0.2:9763"])
        // The server's host saw it after masquerade too: the ISN ties it to the container's.
        let naming = result("hostx", [], translated: ["client 10.28.20.2 -> 10.28.0.1": 1])
        XCTAssertEqual(try merged([container, naming, b]), ["10.28.0.1:35946 -> 10.28.0.2:9763"])
        // With no other view, the port it left with is unknown: it stays as the container saw it.
        XCTAssertEqual(try merged([container, naming]), ["10.28.20.2:35946 -> 10.28.0.2:9763"])
    }

    /// The listed sightings stay as each point captured them, so that a merged result
    /// merges again the same.
    func testTheSightingsAreListedAsCaptured() throws {
        let a = result("hosta", [connection("10.28.0.2:40842", "10.28.20.2:9443", isn: 3)], translated: [published: 1])
        let b = result("hostb", [connection("10.28.0.2:40842", "10.28.0.1:19443", isn: 3)])
        let entries = try ResultMerger().merge([a, b], names: ["a", "b"]).entries
        XCTAssertEqual(entries.map { "\($0.capturePoint!) \($0.server):\($0.serverPort)" },
                       ["hosta 10.28.20.2:9443", "hostb 10.28.0.1:19443"])
    }
}
