import Audit
import Policy
import Wire
import XCTest

/// `merge` without policy options audits under the policy its results share
/// (`AuditResult.sharedPolicy`), rebuilt from their `policy` sections; it used offset 0.
final class SharedPolicyTests: XCTestCase {
    func result(_ policy: Policy, failOn: FailThreshold = .medium) -> AuditResult {
        Auditor(policy: policy, failOn: failOn).audit([], inputs: [])
    }

    /// A policy with every part a section records: nodes and roles, an allowed port, a
    /// waiver, moved base ports, groups, retries and an ephemeral range.
    var fullPolicy: Policy {
        get throws {
            var settings = PolicySettings()
            settings.profile = "das-3.1"
            settings.offset = 4
            settings.mode = .cluster
            settings.cores = 2
            settings.groups = [.spark, .sparkCluster, .receivers]
            settings.ephemeralRange = PortRange(parsing: "40000-50000")
            settings.portRetries = 20
            settings.basePorts = ["spark.ui.port": 4050, "spark.driver.port": 13100]
            settings.allowedPorts = [22: "operator ssh"]
            settings.nodes = [Node(name: "das1", addresses: [AddressPattern("10.0.0.1")!], roles: [.master, .driver]),
                              Node(name: "workers", addresses: [AddressPattern("10.0.1.0/24")!], roles: [.worker])]
            settings.waivers = [Waiver(kind: "unexpected-port", port: 9090, host: "das1", reason: "CHG-1",
                                       expires: Day(year: 2020, month: 1, day: 1))]
            return try settings.makePolicy()
        }
    }

    func testThePolicyOfTheResultsIsRebuiltWhole() throws {
        let policy = try fullPolicy
        let shared = try AuditResult.sharedPolicy(of: [result(policy), result(policy, failOn: .high)], names: ["a.json", "b.json"])
        XCTAssertEqual(shared.offset, 4)
        XCTAssertEqual(shared.mode, .cluster)
        XCTAssertEqual(shared.coresPerNode, 2)
        XCTAssertEqual(shared.catalog.first { $0.key == "spark.ui.port" }?.basePort, 4050)
        XCTAssertEqual(shared.catalog.first { $0.key == "sparkDriverActorSystem" }?.basePort, 13101)
        XCTAssertEqual(shared.nodes, policy.nodes)
        XCTAssertEqual(shared.waivers, policy.waivers)
        XCTAssertEqual(shared.allowedPorts, [22: "operator ssh"])
        XCTAssertEqual(shared.portRetries, 20)
        XCTAssertEqual(shared.groups, [.spark, .sparkCluster, .receivers])
        // The same section back, byte for byte.
        let encoder = ResultCoding.encoder(canonical: true)
        XCTAssertEqual(try encoder.encode(result(shared).policy), try encoder.encode(result(policy).policy))
    }

    func testResultsOfDifferentPoliciesAreRefusedByName() throws {
        var other = try fullPolicy
        other.offset = 2
        XCTAssertThrowsError(try AuditResult.sharedPolicy(of: [result(try fullPolicy), result(other)], names: ["a.json", "b.json"])) {
            XCTAssertEqual("\($0)", "merge: b.json was audited under another policy than a.json (offset 2, mode cluster, cores 2, "
                + "profile das-3.1 against offset 4, mode cluster, cores 2, profile das-3.1); give the policy to merge under "
                + "(--policy, --offset, --mode, --cores, ...)")
        }
    }

    func testASectionWithoutBasePortsOrWithValuesNoPolicyWritesIsRefused() throws {
        var old = result(try fullPolicy)
        old.policy.basePorts = nil
        XCTAssertThrowsError(try AuditResult.sharedPolicy(of: [old], names: ["old.json"])) {
            XCTAssertTrue("\($0)".contains("old.json: its policy section cannot be audited under again (it does not record "
                + "the moved base ports (base_ports))"), "\($0)")
        }
        var edited = result(Policy(offset: 2))
        edited.policy.executorAllowed = "1-2"
        XCTAssertThrowsError(try AuditResult.sharedPolicy(of: [edited], names: ["edited.json"])) {
            XCTAssertTrue("\($0)".contains("the policy it names writes a different section back"), "\($0)")
        }
    }
}
