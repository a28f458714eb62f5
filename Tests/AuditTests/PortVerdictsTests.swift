@testable import Audit
import Dispatch
import Flows
import Policy
import Wire
import XCTest

/// `PortVerdicts` (the verdicts remembered per port and node, and a constant for ports
/// no rule names) says what `PortClassifier` says, on every port 0...65535 of every
/// declared node and of a host outside them, under policies that exercise each rule:
/// roles, modes, groups, allowed ports, features, moved base ports and wide retry bands.
final class PortVerdictsTests: XCTestCase {
    let master = Node(name: "das1", addresses: [AddressPattern("10.0.0.1")!], roles: [.master, .driver, .receiver])
    let worker = Node(name: "das2", addresses: [AddressPattern("10.0.0.2")!], roles: [.worker])
    let presenter = Node(name: "das3", addresses: [AddressPattern("10.0.0.3")!], roles: [.presenter, .ha])

    /// Every port on every node of `policy` (and on no node), remembered and direct; the
    /// ports are asked twice, so that the second answer comes from what was remembered.
    private func assertSameVerdicts(_ policy: Policy, _ name: String, file: StaticString = #filePath, line: UInt = #line) {
        let nodes: [Node?] = [nil] + policy.nodes.map(Optional.some)
        let expected = Self.directVerdicts(policy, nodes: nodes)
        var remembered = PortVerdicts(policy: policy)
        var mismatches: [String] = []
        for (index, node) in nodes.enumerated() {
            for pass in 1...2 {
                for port in UInt16.min...UInt16.max {
                    let want = expected[index << 16 | Int(port)]
                    let got = remembered.verdict(port, on: node)
                    if got != want, mismatches.count < 5 {
                        mismatches.append("port \(port) on \(node?.name ?? "no node") (pass \(pass)): \(got) != \(want)")
                    }
                    // A port no rule names is unexpected, with no catalog key or hint.
                    if !remembered.namesAnything(port), want.classification != .unexpected || want.catalogKey != nil
                        || want.hint != nil, mismatches.count < 5 {
                        mismatches.append("port \(port) on \(node?.name ?? "no node"): named by no rule, yet \(want)")
                    }
                }
            }
        }
        XCTAssertEqual(mismatches, [], name, file: file, line: line)
    }

    /// `PortClassifier`'s verdict of every port on each of `nodes`, node after node, worked
    /// out on every core (the direct classifier scans the catalog: seconds per node in a
    /// debug build).
    private static func directVerdicts(_ policy: Policy, nodes: [Node?]) -> [PortClassifier.Verdict] {
        let direct = PortClassifier(policy: policy)
        let chunk = 1 << 12
        let count = nodes.count << 16
        nonisolated(unsafe) let verdicts = UnsafeMutableBufferPointer<PortClassifier.Verdict>.allocate(capacity: count)
        defer { verdicts.deallocate() }
        DispatchQueue.concurrentPerform(iterations: count / chunk) { part in
            for index in part * chunk..<(part + 1) * chunk {
                (verdicts.baseAddress! + index).initialize(to: direct.classify(UInt16(index & 0xFFFF), on: nodes[index >> 16]))
            }
        }
        defer { _ = verdicts.baseAddress!.deinitialize(count: count) }
        return Array(verdicts)
    }

    func testDAS31ClusterWithRolesMatchesTheDirectClassifier() {
        assertSameVerdicts(
            Policy(profile: .das31, offset: 4, mode: .cluster, coresPerNode: 2,
                   nodes: [master, worker, presenter]),
            "das-3.1, cluster mode, three nodes")
    }

    func testDAS30LocalModeMatchesTheDirectClassifier() {
        assertSameVerdicts(Policy(profile: .das30, offset: 1, mode: .local, nodes: [presenter]),
                           "das-3.0, local mode")
    }

    func testSparkStandaloneMatchesTheDirectClassifier() {
        let sparkMaster = Node(name: "spark1", addresses: [AddressPattern("10.0.1.0/24")!], roles: [.master])
        assertSameVerdicts(Policy(profile: .spark, coresPerNode: 8, nodes: [sparkMaster, worker]),
                           "spark standalone, eight cores")
    }

    /// Allowed ports (one inside the executor band, one next to a Spark port), features
    /// switched off, groups left out, a moved base port and the widest retry band.
    func testAllowsFeaturesGroupsAndAWideRetryBandMatchTheDirectClassifier() {
        var policy = Policy(
            profile: .das32, offset: 3, mode: .client, coresPerNode: 3, groups: [.spark, .sparkCluster, .receivers],
            portRetries: 1000, allowedPorts: [22: "ssh", 4044: "next to the UI", 12010: "inside the band", 65535: "top"],
            nodes: [worker], features: [.ha: false, .clustering: true],
            dependencies: [Dependency(name: "analytics-db", address: AddressPattern("10.0.5.20")!, port: 5432,
                                      reason: "event store")])
        if let ui = policy.catalog.firstIndex(where: { $0.key == "spark.ui.port" }) { policy.catalog[ui].basePort = 4050 }
        assertSameVerdicts(policy, "allows, features, groups, retries 1000")
        var noRetries = policy
        noRetries.portRetries = 0
        noRetries.nodes = []
        assertSameVerdicts(noRetries, "retries 0")
    }

    /// Ports keys of the installation pin that dasaudit does not read (12600 + offset 2)
    /// get a hint naming the key, remembered like any other.
    func testPortsOfIgnoredInstallationKeysMatchTheDirectClassifier() {
        var policy = Policy(profile: .das32, offset: 2, mode: .cluster, coresPerNode: 2)
        policy.ignoredSettings = [
            IgnoredSetting(key: "spark.driver.blockManager.port", value: "12600", origin: SettingOrigin(source: "s.conf", line: 8)),
            IgnoredSetting(key: "spark.driver.port.maxRetries", value: "8", origin: SettingOrigin(source: "s.conf", line: 9)),
        ]
        assertSameVerdicts(policy, "ignored installation keys")
        XCTAssertEqual(PortVerdicts(policy: policy).namesAnything(12602), true)
        XCTAssertEqual(PortClassifier(policy: policy).classify(12602).hint,
                       "spark.driver.blockManager.port, a key dasaudit does not read: s.conf:8 pins it (12600 plus offset 2); "
                           + "allow the port in a policy file with `allow:` if it is meant")
    }

    /// The egress rules come first either way: a declared dependency, and a server outside
    /// the declared nodes that a node connects to.
    func testServerVerdictsKeepTheEgressRules() {
        let policy = Policy(
            offset: 2, nodes: [master, worker],
            dependencies: [Dependency(name: "analytics-db", address: AddressPattern("10.0.5.20")!, port: 5432,
                                      reason: "event store")])
        let direct = PortClassifier(policy: policy)
        var remembered = PortVerdicts(policy: policy)
        let cases: [(Endpoint, Node?, Set<IPAddress>)] = [
            (Endpoint(address: IPAddress("10.0.5.20")!, port: 5432), nil, [IPAddress("10.0.0.1")!]),
            (Endpoint(address: IPAddress("10.0.5.21")!, port: 5432), nil, [IPAddress("10.0.0.1")!]),
            (Endpoint(address: IPAddress("10.0.5.21")!, port: 7079), nil, [IPAddress("192.168.1.1")!]),
            (Endpoint(address: IPAddress("10.0.0.1")!, port: 7079), master, [IPAddress("10.0.0.2")!]),
            (Endpoint(address: IPAddress("10.0.0.2")!, port: 4043), worker, [IPAddress("10.0.0.1")!]),
        ]
        for (server, node, clients) in cases {
            XCTAssertEqual(remembered.verdict(server: server, on: node, clients: clients),
                           direct.classify(server: server, on: node, clients: clients), "\(server)")
        }
        XCTAssertEqual(remembered.verdict(server: cases[0].0, on: nil, clients: cases[0].2).classification, .dependency)
        XCTAssertEqual(remembered.verdict(server: cases[1].0, on: nil, clients: cases[1].2).classification,
                       .undeclaredDependency)
    }
}
