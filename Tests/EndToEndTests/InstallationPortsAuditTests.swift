import Audit
import Foundation
import Reports
import XCTest

/// The ports an installation moves, end to end: `ports --das-home` lists them, and the
/// recorded Carbon node at offset 5 (captures/das-carbon-offset5-lo.pcap: console 9448 and
/// 9768, JMX 10004 and 11116) audited against Tests/Fixtures/das-home-moved, a DAS 3.2.0
/// configuration at offset 5 whose HTTP connector (9780) and JMX registry (9899) moved.
final class InstallationPortsAuditTests: XCTestCase {
    let movedHome = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/das-home-moved").path

    func testPortsListsTheMovedPorts() throws {
        let run = try runDasaudit(["ports", "--das-home", movedHome])
        XCTAssertEqual(run.status, 0, run.stderr)
        let listed = run.stdout.split(separator: "\n").compactMap { line -> String? in
            let fields = line.split(separator: " ")
            return fields.count >= 2 ? "\(fields[0]) \(fields[1])" : nil
        }
        for expected in ["9904 Ports.JMX.RMIRegistryPort", "10395 Ports.EmbeddedLDAP.LDAPServerPort", "7655 thrift.tcp.port",
                         "9785 carbon.http.port", "9448 carbon.https.port", "11116 Ports.JMX.RMIServerPort"] {
            XCTAssertTrue(listed.contains(expected), "\(expected) in\n\(run.stdout)")
        }
        for stock in ["10004", "10394", "7616", "9768"] {
            XCTAssertFalse(listed.contains { $0.hasPrefix(stock + " ") }, "the stock \(stock) is not listed")
        }
    }

    private func classified(_ arguments: [String]) throws -> (CommandResult, [String]) {
        let run = try runDasaudit(["audit", capture("das-carbon-offset5-lo.pcap"), "--format", "json"] + arguments)
        let result = try JSONReport.parse(Data(run.stdout.utf8))
        return (run, result.services.map { "\($0.port) \($0.classification.rawValue) \($0.catalogKey ?? "-")" })
    }

    func testTheCaptureFitsTheStockPortsAtOffset5() throws {
        let (run, services) = try classified(["--offset", "5"])
        XCTAssertEqual(services, ["9448 expected carbon.https.port", "9768 expected carbon.http.port",
                                  "10004 expected Ports.JMX.RMIRegistryPort", "11116 expected Ports.JMX.RMIServerPort"])
        XCTAssertEqual(run.status, 0, run.stdout)
    }

    /// The installation moved the HTTP connector and the JMX registry: the node still
    /// serving on the stock ports is serving on ports its configuration does not explain.
    func testTheMovedInstallationMakesTheStockPortsUnexpected() throws {
        let (run, services) = try classified(["--das-home", movedHome])
        XCTAssertEqual(services, ["9448 expected carbon.https.port", "9768 unexpected -",
                                  "10004 unexpected -", "11116 expected Ports.JMX.RMIServerPort"])
        XCTAssertEqual(run.status, 1)
    }

    /// The recorded node run as `wso2server.sh -DportOffset=5` over a carbon.xml that says
    /// 0 (or `${portOffset}`), with a jmx.xml that pins the JMX ports as numbers (10004 and
    /// 11116, where the capture's JMX agent listens): Carbon binds those numbers as they
    /// are, so `--offset 5` must not move them. They were 10009 and 11121, and the node's
    /// real JMX two high unexpected-port findings.
    func testJMXNumbersInJMXXMLStayPutUnderTheOffsetOption() throws {
        for carbonOffset in ["0", "${portOffset}"] {
            let copy = try jmxNumbersHome(carbonOffset: carbonOffset)
            let (run, services) = try classified(["--das-home", copy, "--offset", "5"])
            XCTAssertEqual(services, ["9448 expected carbon.https.port", "9768 expected carbon.http.port",
                                      "10004 expected Ports.JMX.RMIRegistryPort", "11116 expected Ports.JMX.RMIServerPort"],
                           "carbon.xml offset \(carbonOffset)")
            XCTAssertEqual(run.status, 0, run.stdout)
        }
    }

    /// The same node with the offset in the policy file instead: it fills in carbon.xml's
    /// `${portOffset}`, which only `--offset` could.
    func testAPolicyFileOffsetFillsInACarbonPlaceholder() throws {
        let copy = try jmxNumbersHome(carbonOffset: "${portOffset}")
        let policy = copy + "/policy.yaml"
        try "offset: 5\n".write(toFile: policy, atomically: true, encoding: .utf8)
        let (run, services) = try classified(["--das-home", copy, "--policy", policy])
        XCTAssertEqual(services, ["9448 expected carbon.https.port", "9768 expected carbon.http.port",
                                  "10004 expected Ports.JMX.RMIRegistryPort", "11116 expected Ports.JMX.RMIServerPort"])
        XCTAssertEqual(run.status, 0, run.stderr + run.stdout)
    }

    /// A copy of das-home-moved as the recorded node's: carbon.xml's offset `carbonOffset`,
    /// the stock HTTP connector, and a jmx.xml that pins the capture's JMX ports as numbers.
    private func jmxNumbersHome(carbonOffset: String) throws -> String {
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("das-home-jmx-numbers-\(UUID())")
        try FileManager.default.copyItem(at: URL(fileURLWithPath: movedHome), to: copy)
        addTeardownBlock { try? FileManager.default.removeItem(at: copy) }
        func edit(_ file: String, _ old: String, _ new: String) throws {
            let url = copy.appendingPathComponent("repository/conf/\(file)")
            let text = try String(contentsOf: url, encoding: .utf8)
            XCTAssertTrue(text.contains(old), "\(file) holds \(old)")
            try text.replacingOccurrences(of: old, with: new).write(to: url, atomically: true, encoding: .utf8)
        }
        try edit("carbon.xml", "<Offset>5</Offset>", "<Offset>\(carbonOffset)</Offset>")
        try edit("tomcat/catalina-server.xml", "port=\"9780\"", "port=\"9763\"")
        try edit("etc/jmx.xml", "<RMIRegistryPort>${Ports.JMX.RMIRegistryPort}</RMIRegistryPort>",
                 "<RMIRegistryPort>10004</RMIRegistryPort>")
        try edit("etc/jmx.xml", "<RMIServerPort>${Ports.JMX.RMIServerPort}</RMIServerPort>",
                 "<RMIServerPort>11116</RMIServerPort>")
        return copy.path
    }

    /// A node serving on two connectors an operator added to catalina-server.xml after the
    /// console's (captures/tomcat-connectors-offset5-lo.pcap, Tests/Fixtures/das-home-connectors):
    /// mutual-TLS HTTPS on 9543+5 and HTTP on 8280+5. Carbon starts them; they were two high
    /// unexpected-port findings of the operator's own configuration.
    func testConnectorsAddedToCatalinaServerXMLAreAllowed() throws {
        let home = URL(fileURLWithPath: movedHome).deletingLastPathComponent().appendingPathComponent("das-home-connectors").path
        let run = try runDasaudit(["audit", capture("tomcat-connectors-offset5-lo.pcap"), "--format", "json", "--das-home", home])
        let result = try JSONReport.parse(Data(run.stdout.utf8))
        XCTAssertEqual(result.services.map { "\($0.port) \($0.classification.rawValue) \($0.catalogKey ?? "-")" },
                       ["8285 allowed -", "9448 expected carbon.https.port", "9548 allowed -", "9768 expected carbon.http.port"])
        XCTAssertEqual(result.findings.filter { $0.severity == .high || $0.severity == .medium }.map(\.message), [])
        XCTAssertEqual(run.status, 0, run.stdout)
    }

    /// JMX switched off in etc/jmx.xml: its ports are not expected at all.
    func testJMXOffInTheInstallationMakesJMXTrafficAFinding() throws {
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("das-home-jmx-off-\(UUID())")
        try FileManager.default.copyItem(at: URL(fileURLWithPath: movedHome), to: copy)
        addTeardownBlock { try? FileManager.default.removeItem(at: copy) }
        let jmx = copy.appendingPathComponent("repository/conf/etc/jmx.xml")
        let text = try String(contentsOf: jmx, encoding: .utf8)
        try text.replacingOccurrences(of: "<StartRMIServer>true", with: "<StartRMIServer>false")
            .write(to: jmx, atomically: true, encoding: .utf8)
        let (_, services) = try classified(["--das-home", copy.path])
        XCTAssertEqual(services.filter { $0.hasPrefix("10004 ") || $0.hasPrefix("11116 ") },
                       ["10004 unexpected -", "11116 not-in-mode Ports.JMX.RMIServerPort"])
    }
}
