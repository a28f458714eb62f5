import Audit
import Flows
import Policy
import Wire
import XCTest

/// Roles, offsets, attempts and waivers: the per-node rules of the audit.
final class NodeRoleTests: XCTestCase {
    let master = Node(name: "das1", addresses: [AddressPattern("10.0.0.1")!], roles: [.master, .driver, .receiver])
    let worker = Node(name: "das2", addresses: [AddressPattern("10.0.0.2")!], roles: [.worker])
    let presenter = Node(name: "das3", addresses: [AddressPattern("10.0.0.3")!], roles: [.presenter, .ha])

    var policy: Policy {
        Policy(profile: .das31, offset: 4, mode: .cluster, coresPerNode: 2, nodes: [master, worker, presenter])
    }

    private func audit(_ build: (inout ScriptedFlows) -> Void, policy: Policy? = nil,
                       today: Day = Day(year: 2026, month: 11, day: 27)) -> AuditResult {
        var traffic = ScriptedFlows(into: FlowTable())
        build(&traffic)
        let auditor = Auditor(policy: policy ?? self.policy, today: today)
        return auditor.audit(traffic.sink.finish(rules: auditor.directionRules), inputs: [])
    }

    func testThe11000AmbiguityIsResolvedByRole() {
        let classifier = PortClassifier(policy: policy)
        XCTAssertEqual(classifier.classify(11004, on: worker).catalogKey, "spark.worker.port")
        XCTAssertEqual(classifier.classify(11004, on: worker).alsoCatalogKeys, [])
        XCTAssertEqual(classifier.classify(11004, on: presenter).catalogKey, "ha.presenter.port")
        let both = PortClassifier(policy: Policy(offset: 4, mode: .cluster)).classify(11004)
        XCTAssertEqual([both.catalogKey!] + both.alsoCatalogKeys, ["spark.worker.port", "ha.presenter.port"])
    }

    /// DAS starts the HA management (snapshot) server in `HAManager.init`, which only HA
    /// workers reach: a presenter-only node binds 11000+offset, not 10005+offset, and
    /// serving 10005 there is a role mismatch.
    func testAPresenterOnlyNodeBindsNoManagementPort() {
        let presenterOnly = Node(name: "das4", addresses: [AddressPattern("10.0.0.4")!], roles: [.presenter])
        let policy = Policy(profile: .das31, offset: 4, mode: .cluster, coresPerNode: 2,
                            nodes: [master, worker, presenterOnly], features: [.ha: true])
        let classifier = PortClassifier(policy: policy)
        XCTAssertEqual(classifier.classify(11004, on: presenterOnly).catalogKey, "ha.presenter.port")
        XCTAssertEqual(classifier.classify(10009, on: presenterOnly).mismatch, .role)
        XCTAssertNil(classifier.classify(10009, on: presenter).mismatch, "an HA worker binds the management port")
    }

    func testTheExecutorRangeIsDriverPlusNOnTheMasterAndNOnAWorker() {
        XCTAssertEqual(policy.executorAllowed(on: master), PortRange(12004, 12006))
        XCTAssertEqual(policy.executorAllowed(on: worker), PortRange(12004, 12005))
        XCTAssertNil(policy.executorAllowed(on: presenter), "no executors on a node without driver or worker roles")
        let classifier = PortClassifier(policy: policy)
        XCTAssertEqual(classifier.classify(12006, on: master).classification, .executor)
        XCTAssertEqual(classifier.classify(12006, on: worker).classification, .executorOutOfRange)
        XCTAssertEqual(classifier.classify(12004, on: presenter).mismatch, .role)
    }

    func testACatalogPortOnANodeWithoutItsRoleIsARoleMismatch() {
        let result = audit { $0.connect(("10.0.0.9", 40000), ("10.0.0.2", 7081)) }  // the master port on a worker
        let service = result.services.first
        XCTAssertEqual(service?.classification, .notInMode)
        XCTAssertEqual(service?.node, "das2")
        let finding = result.findings.first { $0.kind == .roleMismatch }
        XCTAssertEqual(finding?.severity, .medium)
        XCTAssertEqual(finding?.node, "das2")
        XCTAssertTrue(finding?.message.contains("spark.master.port (roles: master)") == true, finding?.message ?? "")
        XCTAssertFalse(result.findings.contains { $0.kind == .notInMode })
    }

    func testAClusterPortInLocalModeIsNotInMode() {
        var local = policy
        local.mode = .local
        let result = audit({ $0.connect(("10.0.0.9", 40000), ("10.0.0.1", 7081)) }, policy: local)
        XCTAssertEqual(result.findings.first { $0.port == 7081 }?.kind, .notInMode)
    }

    func testUnusedOpeningsArePerNode() {
        let result = audit { $0.connect(("10.0.0.9", 40000), ("10.0.0.1", 7081)) }
        let master = result.unusedOpenings.filter { $0.node == "das1" }.map(\.catalogKey)
        XCTAssertFalse(master.contains("spark.master.port"))
        XCTAssertTrue(master.contains("thrift.tcp.port"))
        XCTAssertFalse(master.contains("spark.worker.port"), "not a master role")
        let presenter = result.unusedOpenings.filter { $0.node == "das3" }.map(\.catalogKey)
        XCTAssertTrue(presenter.contains("ha.presenter.port"))
        XCTAssertTrue(presenter.contains("carbon.https.port"), "WSO2 common ports are on every node")
        XCTAssertEqual(result.findings.first { $0.kind == .unusedOpening && $0.node == "das3" && $0.port == 11004 }?.address,
                       "10.0.0.3")
    }

    func testAHostWhosePortsFitAnotherOffsetIsAnOffsetMismatch() {
        let result = audit {
            $0.connect(("10.0.0.1", 40000), ("10.0.0.2", 11007))  // spark.worker.port at offset 7
            $0.connect(("10.0.0.1", 40001), ("10.0.0.2", 11507))  // spark.worker.webui.port at offset 7
            $0.connect(("10.0.0.1", 40002), ("10.0.0.2", 12007))  // block manager at offset 7
        }
        let mismatch = result.findings.filter { $0.kind == .offsetMismatch }
        XCTAssertEqual(mismatch.count, 1)
        XCTAssertEqual(mismatch.first?.address, "10.0.0.2")
        XCTAssertEqual(mismatch.first?.severity, .high)
        XCTAssertTrue(mismatch.first?.message.contains("all fit port offset 7, not the cluster's 4") == true)
        XCTAssertFalse(result.findings.contains { $0.kind == .unexpectedPort }, "the host finding replaces per-port ones")
        XCTAssertEqual(result.services.first { $0.port == 11007 }?.hint?.hasPrefix("spark.worker.port at offset 7"), true)
    }

    func testOneStrayPortNamesNoOffset() {
        let result = audit { $0.connect(("10.0.0.1", 40000), ("10.0.0.2", 11007)) }
        XCTAssertFalse(result.findings.contains { $0.kind == .offsetMismatch })
        XCTAssertEqual(result.findings.first { $0.port == 11007 }?.kind, .unexpectedPort)
    }

    func testRefusedConnectsToAnExpectedPortAreAServiceNotAnswering() {
        let result = audit { $0.refused(("10.0.0.2", 40000), ("10.0.0.1", 7615)) }
        let finding = result.findings.first { $0.kind == .expectedServiceNotAnswering }
        XCTAssertEqual(finding?.address, "10.0.0.1")
        XCTAssertEqual(finding?.port, 7615)
        XCTAssertEqual(finding?.severity, .medium)
        XCTAssertTrue(finding?.message.contains("thrift.tcp.port but did not answer: 1 connect refused") == true, finding?.message ?? "")
    }

    func testAWaiverSuppressesItsFindingUntilItExpires() {
        var waived = policy
        waived.waivers = [Waiver(kind: "unexpected-port", port: 9090, host: "das1", reason: "CHG-1234",
                                 expires: Day(year: 2026, month: 12, day: 31))]
        let before = audit({ $0.connect(("10.0.0.2", 40000), ("10.0.0.1", 9090)) }, policy: waived)
        let finding = before.findings.first { $0.kind == .unexpectedPort }
        XCTAssertEqual(finding?.waiver?.reason, "CHG-1234")
        XCTAssertEqual(before.summary.waived, 1)
        XCTAssertEqual(before.summary.findings["high"], 0)
        XCTAssertFalse(before.findings.contains { $0.kind == .waiverExpired })

        let after = audit({ $0.connect(("10.0.0.2", 40000), ("10.0.0.1", 9090)) }, policy: waived,
                          today: Day(year: 2027, month: 1, day: 1))
        XCTAssertNil(after.findings.first { $0.kind == .unexpectedPort }?.waiver)
        XCTAssertEqual(after.summary.findings["high"], 1)
        let expired = after.findings.first { $0.kind == .waiverExpired }
        XCTAssertTrue(expired?.message.contains("expired on 2026-12-31") == true, expired?.message ?? "")
        XCTAssertEqual(after.policy.waivers.first?.expired, true)
    }

    func testAWaiverMatchesByKindPortAndHost() {
        var waived = policy
        waived.waivers = [Waiver(kind: "unexpected-port", host: "10.0.0.0/24", reason: "lab", expires: Day("2099-01-01")!)]
        let result = audit({
            $0.connect(("10.0.0.2", 40000), ("10.0.0.1", 9090))
            $0.connect(("10.9.0.2", 40001), ("10.9.0.1", 9090))  // outside the nodes on both ends
        }, policy: waived)
        let findings = result.findings.filter { $0.kind == .unexpectedPort }
        XCTAssertEqual(findings.map(\.isWaived), [true, false])
    }

    func testTheDriverActorSystemAndExecutorPortsOfDAS31AreExpected() {
        let classifier = PortClassifier(policy: policy)
        XCTAssertEqual(classifier.classify(13005, on: master).catalogKey, "sparkDriverActorSystem")
        XCTAssertEqual(classifier.classify(13505, on: worker).catalogKey, "spark.executor.port", "one per executor")
        XCTAssertEqual(classifier.classify(13506, on: worker).classification, .unexpected)
        XCTAssertEqual(classifier.classify(4000, on: worker).catalogKey, "hazelcast.localMemberPort", "never shifted")
        let das30 = PortClassifier(policy: Policy(profile: .das30, offset: 4, mode: .cluster))
        XCTAssertEqual(das30.classify(11224).catalogKey, "ha.eventSync.port", "HA ports are not shifted in DAS 3.0")
        XCTAssertEqual(das30.classify(13005).classification, .unexpected)
    }
}
