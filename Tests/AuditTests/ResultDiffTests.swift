import Audit
import CaptureEngine
import Foundation
import Policy
import XCTest

/// `ResultDiff` on real audits of one capture under two policies: the services and
/// findings that change, and only those.
final class ResultDiffTests: XCTestCase {
    private func audited(offset: Int, allow: [UInt16: String] = [:], waivers: [Waiver] = [],
                         today: Day = Day(year: 2026, month: 12, day: 4)) -> AuditResult {
        let capture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("captures/spark-cluster-offset2-lo.pcap").path
        return Auditor(policy: Policy(offset: offset, mode: .cluster, coresPerNode: 2, allowedPorts: allow, waivers: waivers),
                       today: today).audit(paths: [capture])
    }

    /// The rogue 31337 waived until 2026-12-05.
    private let rogueWaiver = Waiver(kind: "unexpected-port", port: 31337, reason: "approved", expires: Day(year: 2026, month: 12, day: 5))

    func testTheSameResultIsNoChange() {
        let result = audited(offset: 2)
        let diff = ResultDiff(baseline: result, at: "a", current: result, at: "b", failOn: .medium)
        XCTAssertTrue(diff.isEmpty)
        XCTAssertFalse(diff.worse)
        XCTAssertEqual(diff.policyChanges, [])
    }

    func testChangesAndWhetherTheyAreWorse() {
        let before = audited(offset: 2, allow: [31337: "approved"]), after = audited(offset: 2)
        let diff = ResultDiff(baseline: before, at: "a", current: after, at: "b", failOn: .medium)
        XCTAssertEqual(diff.changedServices.map { "\($0.port) \($0.changed)" }, ["31337 [\"classification\"]"])
        XCTAssertEqual(diff.newFindings.map(\.kind), [.unexpectedPort])
        XCTAssertTrue(diff.worse)
        XCTAssertFalse(ResultDiff(baseline: before, at: "a", current: after, at: "b", failOn: .never).worse)
        // The finding is new because the policy no longer allows the port: the diff says so.
        XCTAssertEqual(diff.policyChanges, [PolicyChange(field: "allowed_ports",
                                                         baseline: #"[{"port":31337,"protocol":null,"reason":"approved"}]"#,
                                                         current: "[]")])
    }

    /// What depends on the day or the run is no change of policy: a waiver in force in one
    /// audit and expired in the other (the diff lists its finding as unwaived), and the
    /// fields an older result does not record (`base_ports`, `features`, `dependencies`).
    func testTheSamePolicyOnAnotherDayOrFromAnOlderVersionIsNoPolicyChange() {
        let inForce = audited(offset: 2, waivers: [rogueWaiver])
        var expired = audited(offset: 2, waivers: [rogueWaiver], today: Day(year: 2026, month: 12, day: 6))
        XCTAssertEqual(expired.policy.waivers.map(\.expired), [true])
        XCTAssertEqual(ResultDiff(baseline: inForce, at: "a", current: expired, at: "b", failOn: .medium).policyChanges, [])
        expired.policy.basePorts = nil
        expired.policy.features = nil
        expired.policy.dependencies = nil
        XCTAssertEqual(ResultDiff(baseline: inForce, at: "a", current: expired, at: "b", failOn: .medium).policyChanges, [])
        // Another offset is a change of policy, named with its two values.
        let other = audited(offset: 4, waivers: [rogueWaiver])
        XCTAssertEqual(ResultDiff(baseline: inForce, at: "a", current: other, at: "b", failOn: .medium).policyChanges
            .filter { $0.field == "offset" }, [PolicyChange(field: "offset", baseline: "2", current: "4")])
    }

    /// A current audit that saw nothing is worse at any threshold, as its verdict fails.
    func testANewAuditOfNothingIsWorseEvenAtFailOnNever() {
        let before = audited(offset: 2)
        let nothing = Auditor(policy: Policy(offset: 2, mode: .cluster, coresPerNode: 2)).audit(paths: [])
        let diff = ResultDiff(baseline: before, at: "a", current: nothing, at: "b", failOn: .never)
        XCTAssertTrue(diff.newFindings.contains { $0.kind == .noTraffic })
        XCTAssertTrue(diff.worse)
    }

    /// Regression: a waiver that expired overnight made the audit fail (exit 1) but the diff
    /// NOT WORSE, since the finding's identity left out whether it was waived: the high
    /// finding was neither new nor changed.
    func testAFindingNoLongerWaivedIsWorse() {
        let before = audited(offset: 2, waivers: [rogueWaiver])
        let after = audited(offset: 2, waivers: [rogueWaiver], today: Day(year: 2026, month: 12, day: 6))
        XCTAssertTrue(before.findings.contains { $0.kind == .unexpectedPort && $0.isWaived })
        let diff = ResultDiff(baseline: before, at: "a", current: after, at: "b", failOn: .high)
        XCTAssertEqual(diff.unwaivedFindings.map { "\($0.kind.rawValue) \($0.port ?? 0)" }, ["unexpected-port 31337"])
        XCTAssertEqual(diff.newFindings.map(\.kind), [.waiverExpired])
        XCTAssertTrue(diff.waivedFindings.isEmpty && diff.resolvedFindings.isEmpty)
        XCTAssertTrue(diff.worse)
        XCTAssertEqual(diff.failing.map(\.kind), [.unexpectedPort])
        XCTAssertFalse(ResultDiff(baseline: before, at: "a", current: after, at: "b", failOn: .never).worse)
        // The other way, the finding becomes waived: listed, not worse.
        let back = ResultDiff(baseline: after, at: "b", current: before, at: "a", failOn: .high)
        XCTAssertEqual(back.waivedFindings.map { "\($0.kind.rawValue) \($0.port ?? 0)" }, ["unexpected-port 31337"])
        XCTAssertTrue(back.unwaivedFindings.isEmpty && back.newFindings.isEmpty)
        XCTAssertEqual(back.resolvedFindings.map(\.kind), [.waiverExpired])
        XCTAssertFalse(back.worse)
        XCTAssertFalse(back.isEmpty)
    }

    /// Regression: an audit of nothing after an audit of nothing was NOT WORSE, since only
    /// new findings were checked, so a rolling baseline passed a broken capture every day
    /// after the first.
    func testAnAuditOfNothingAgainIsWorse() {
        let nothing = Auditor(policy: Policy(offset: 2, mode: .cluster, coresPerNode: 2)).audit(paths: [])
        let diff = ResultDiff(baseline: nothing, at: "a", current: nothing, at: "b", failOn: .never)
        XCTAssertTrue(diff.newFindings.isEmpty)
        XCTAssertEqual(diff.repeatedNoTraffic.map(\.kind), [.noTraffic])
        XCTAssertTrue(diff.worse)
        // A result that judged nothing but lacks the finding (hand-edited, older) too.
        var edited = nothing
        edited.findings.removeAll { $0.kind == .noTraffic }
        XCTAssertTrue(ResultDiff(baseline: nothing, at: "a", current: edited, at: "b", failOn: .never).worse)
        XCTAssertEqual(ResultDiff(baseline: edited, at: "a", current: edited, at: "b", failOn: .never).repeatedNoTraffic.count, 1)
        // Nothing before, something now: not worse for that.
        XCTAssertTrue(ResultDiff(baseline: nothing, at: "a", current: audited(offset: 2), at: "b", failOn: .never).repeatedNoTraffic.isEmpty)
    }

    /// The protocol a result recognized is compared too.
    func testAProtocolChange() {
        let before = audited(offset: 2)
        var after = before
        let rogue = after.services.firstIndex { $0.port == 31337 }!
        after.services[rogue].protocol = "ssh"
        let diff = ResultDiff(baseline: before, at: "a", current: after, at: "b", failOn: .medium)
        XCTAssertEqual(diff.changedServices.map(\.changed), [["protocol"]])
        XCTAssertEqual(diff.changedServices.first?.before.protocol, before.services[rogue].protocol)
        XCTAssertEqual(diff.changedServices.first?.after.protocol, "ssh")
        var older = before
        older.services[rogue].protocol = nil
        XCTAssertTrue(ResultDiff(baseline: older, at: "a", current: after, at: "b", failOn: .medium).isEmpty,
                      "a result without protocols is no protocol change")
    }
}
