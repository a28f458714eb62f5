import Foundation
import Policy
import Reports
import Wire
import XCTest

/// `dasaudit ports` as text and JSON, rendered without the binary.
final class ExpectedPortsReportTests: XCTestCase {
    let cluster = Policy(offset: 2, mode: .cluster, coresPerNode: 2, allowedPorts: [9090: "Prometheus"])

    func testTheTextListsEachOpeningWithItsKeyGroupAndNotesAndTheExecutorBand() {
        let lines = ExpectedPortsText.render(policy: cluster, openings: ExpectedOpenings(policy: cluster))
            .components(separatedBy: "\n")
        XCTAssertEqual(lines.first, "Expected openings: profile das, offset 2, mode cluster, 2 cores per node")
        // Ports right-aligned, keys padded to the longest key, groups to the longest group.
        XCTAssertTrue(lines.contains("         7079  spark.master.port                   spark-cluster  Spark master RPC [speaks spark-rpc or tls]"),
                      lines.joined(separator: "\n"))
        XCTAssertTrue(lines.contains { $0.hasPrefix("  12002-12004  spark.blockManager.port") && $0.hasSuffix("driver + one per core [speaks spark-rpc or tls]") },
                      "the executor band, right-aligned in the port column")
        XCTAssertTrue(lines.contains { $0.hasPrefix("         9090  allowed ") && $0.hasSuffix("Prometheus [not shifted]") })
        XCTAssertEqual(lines.suffix(2), ["Executor band watched for out-of-range executors: 12002-12018 "
            + "(spark.blockManager.port + spark.port.maxRetries 16)", ""])
    }

    func testTheTextHasOneSectionPerDeclaredNodeWithItsRoles() throws {
        let nodes = [Node(name: "das1", addresses: [try XCTUnwrap(AddressPattern("10.0.0.1"))], roles: [.master, .driver]),
                     Node(name: "das2", addresses: [try XCTUnwrap(AddressPattern("10.0.0.2"))])]
        let policy = Policy(offset: 2, mode: .cluster, coresPerNode: 2, nodes: nodes)
        let text = ExpectedPortsText.render(policy: policy, openings: ExpectedOpenings(policy: policy))
        XCTAssertTrue(text.contains("\nnode das1 (10.0.0.1): master, driver\n"), text)
        XCTAssertTrue(text.contains("\nnode das2 (10.0.0.2): all roles\n"), text)
    }

    func testTheJSONDocumentHasEveryScopeAndOpeningInSnakeCase() throws {
        let document = try ExpectedPortsDocument(policy: cluster, openings: ExpectedOpenings(policy: cluster)).render()
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(document.utf8)) as? [String: Any])
        XCTAssertEqual(object["profile"] as? String, "das")
        XCTAssertEqual(object["offset"] as? Int, 2)
        XCTAssertEqual(object["executor_band"] as? String, "12002-12018")
        let scopes = try XCTUnwrap(object["scopes"] as? [[String: Any]])
        XCTAssertEqual(scopes.count, 1)
        XCTAssertNil(scopes[0]["node"], "no node declared: one scope for every host")
        let openings = try XCTUnwrap(scopes[0]["openings"] as? [[String: Any]])
        let master = try XCTUnwrap(openings.first { $0["key"] as? String == "spark.master.port" })
        XCTAssertEqual(master["ports"] as? String, "7079")
        XCTAssertEqual(master["protocol"] as? String, "spark-rpc")
        XCTAssertEqual(master["normally_bound"] as? Bool, true)
        XCTAssertEqual(master["exposure"] as? String, "cluster")
        let allowed = try XCTUnwrap(openings.first { $0["ports"] as? String == "9090" })
        XCTAssertEqual(allowed["exposure"] as? String, "clients")
        XCTAssertTrue(document.hasSuffix("}\n"))
    }
}
