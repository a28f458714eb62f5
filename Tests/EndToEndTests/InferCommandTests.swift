import Audit
@testable import dasaudit
import Foundation
import Policy
import Reports
import Wire
import XCTest

/// `dasaudit infer` on the bundled captures, whose offsets, modes, cores and roles
/// captures/README.md states: the draft loads with the policy loader and says the same.
final class InferCommandTests: XCTestCase {
    private var scratch: ScratchDirectory!

    override func setUpWithError() throws { scratch = try scratchDirectory() }

    /// The draft for `captureName`, its text and the policy it loads as.
    private func inferred(_ captureName: String) throws -> (text: String, policy: Policy, stderr: String) {
        let run = try runDasaudit(["infer", capture(captureName)])
        XCTAssertEqual(run.status, 0, run.stderr)
        let settings = try PolicyFile.parse(run.stdout, path: "draft.yaml")
        return (run.stdout, try settings.makePolicy(), run.stderr)
    }

    private func roles(_ policy: Policy) -> [String: [String]] {
        Dictionary(uniqueKeysWithValues: policy.nodes.map { node in
            (node.addresses.map(\.description).joined(separator: ","), node.roles.map(\.rawValue).sorted())
        })
    }

    /// A capture of tens of thousands of services (a port-scan-like shape): the draft lists
    /// 1,000 of each list that grows with the capture and says how many more, and still loads.
    func testTheDraftOfTensOfThousandsOfServicesListsAThousandOfEachAndCountsTheRest() throws {
        let path = scratch.path("services.pcap")
        let generator = dasauditBinary.deletingLastPathComponent().appendingPathComponent("dasaudit-gen")
        let made = try runProgram(generator, ["--preset", "services", "--packets", "200000", "--snaplen", "96", path],
                                  environment: ProcessInfo.processInfo.environment)
        XCTAssertEqual(made.status, 0, made.stderr)
        let run = try runDasaudit(["infer", path])
        XCTAssertEqual(run.status, 0, run.stderr)
        let lines = run.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertLessThan(lines.count, 6_000, "a draft a reviewer reads")
        let unexplainedStart = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("# Services no catalog port explains") })
        let listed = lines[(unexplainedStart + 1)...].prefix { $0.hasPrefix("#   ") && !$0.hasPrefix("#   and ") }
        XCTAssertEqual(listed.count, InferredPolicyYAML.listedAtMost)
        let more = try XCTUnwrap(lines.dropFirst(unexplainedStart + 1 + listed.count).first)
        XCTAssertTrue(more.hasPrefix("#   and ") && more.hasSuffix(" more services (at most 1000 listed here; the audit reports every one)"),
                      String(more))
        let unlisted = Int(more.split(separator: " ")[2]) ?? 0
        XCTAssertGreaterThan(unlisted, 1_000)
        XCTAssertTrue(run.stdout.contains(" in all)"), "the connections of clients that are no node are bounded too")
        let policy = try PolicyFile.parse(run.stdout, path: "draft.yaml").makePolicy()
        XCTAssertGreaterThan(policy.nodes.count, 10)
    }

    func testDASClusterAtOffset4WithOneNodeAt7() throws {
        let (text, policy, _) = try inferred("das-cluster-offset4-lo.pcap")
        XCTAssertEqual(policy.profileName, "das-3.1", "the driver actor system (13005), 9447 and 4000 are das-3.1 ports")
        XCTAssertEqual(policy.offset, 4)
        XCTAssertEqual(policy.mode, .cluster)
        XCTAssertEqual(policy.coresPerNode, 2)
        XCTAssertEqual(roles(policy), ["127.0.0.1": ["driver", "master", "receiver"], "127.0.0.2": ["worker"], "127.0.0.3": ["worker"]])
        XCTAssertTrue(text.contains("# 127.0.0.3 FITS OFFSET 7, not 4: 11007 spark.worker.port, 11507 spark.worker.webui.port."), text)
        XCTAssertFalse(text.contains("127.0.0.2 FITS"), "das2's 12007 fits offset 7 too, but its other ports fit 4")
        XCTAssertTrue(text.contains("#   127.0.0.1:9090\n"), "the rogue server is listed as unexplained")
        XCTAssertTrue(text.contains("#   127.0.0.2 -> 127.0.0.1:4000 hazelcast.localMemberPort"), "dependencies seen")
        XCTAssertTrue(policy.nodes.allSatisfy { NameRules.problem(with: $0.name) == nil })
    }

    func testSparkClusterAtOffset2() throws {
        let (text, policy, _) = try inferred("spark-cluster-offset2-lo.pcap")
        XCTAssertEqual(policy.offset, 2)
        XCTAssertEqual(policy.mode, .cluster)
        XCTAssertEqual(policy.coresPerNode, 2)
        XCTAssertEqual(roles(policy), ["127.0.0.1": ["driver", "master", "receiver"], "127.0.0.2": ["worker"]])
        XCTAssertTrue(text.contains("confidence high"), text)
        XCTAssertTrue(text.contains("# Hosts serving no catalog port, left out of the nodes: 127.0.0.4."), text)
        XCTAssertTrue(text.contains("# dependencies:\n#   - name: dep-127.0.0.4-31337\n#     address: \"127.0.0.4\"\n#     port: 31337\n"
            + "#     reason: REVIEW (seen from 127.0.0.1)\n"), "the rogue server, drafted commented out: \(text)")
        // Uncommented by a reviewer, the entry is a dependency the policy loader takes.
        let uncommented = text.replacingOccurrences(of: "# dependencies:", with: "dependencies:")
            .replacingOccurrences(of: "\n#   - name: dep-", with: "\n  - name: dep-")
            .replacingOccurrences(of: "\n#     ", with: "\n    ")
        let reviewed = try PolicyFile.parse(uncommented, path: "reviewed.yaml").makePolicy()
        XCTAssertEqual(reviewed.dependencies.map(\.name), ["dep-127.0.0.4-31337"])
        XCTAssertEqual(reviewed.dependencies.first?.port, 31337)
    }

    func testDASLocalAtOffset3() throws {
        let (_, policy, _) = try inferred("das-offset3-lo.pcap")
        XCTAssertEqual(policy.offset, 3)
        XCTAssertEqual(policy.mode, .local)
        XCTAssertEqual(policy.coresPerNode, 1)
        XCTAssertEqual(roles(policy)["127.0.0.1"], ["driver", "receiver"])
        XCTAssertEqual(roles(policy)["::1"], ["receiver"])
        XCTAssertEqual(roles(policy)["127.0.0.2"], ["worker"])
    }

    /// The draft is a policy `audit --policy` takes as it is, and the audit under it finds
    /// the misconfigured node and the rogue server.
    func testTheDraftAuditsTheCapture() throws {
        let draft = scratch.path("draft.yaml")
        XCTAssertEqual(try runDasaudit(["infer", capture("das-cluster-offset4-lo.pcap"), "--output", draft]).status, 0)
        let audit = try runDasaudit(["audit", capture("das-cluster-offset4-lo.pcap"), "--policy", draft, "--format", "json"])
        XCTAssertEqual(audit.status, 1, audit.stderr)
        XCTAssertTrue(audit.stdout.contains("\"kind\" : \"offset-mismatch\""))
        XCTAssertTrue(audit.stdout.contains("\"port\" : 9090"))
    }

    /// captures/window-full-lo.pcap: 127.0.0.1 is a master and a receiver that serves the
    /// block manager ports 12003 and 12004 (no driver port in the window), and
    /// captures/fleet-a.pcap a receiver serving 12002. Executor ports belong to workers and
    /// drivers, so the draft makes those hosts workers too: before, it declared them only
    /// master and receiver, and the audit of the very window the draft came from reported
    /// each executor port as a medium `role-mismatch` (not compliant against its own draft).
    func testExecutorPortsMakeAWorkerOfAHostWithOtherRoles() throws {
        XCTAssertEqual(roles(try inferred("window-full-lo.pcap").policy),
                       ["127.0.0.1": ["master", "receiver", "worker"], "127.0.0.2": ["worker"]])
        XCTAssertEqual(roles(try inferred("fleet-a.pcap").policy)["10.78.0.2"], ["receiver", "worker"])
        for name in ["window-full-lo.pcap", "window-idle-lo.pcap", "fleet-a.pcap"] {
            let draft = scratch.path("\(name).yaml")
            XCTAssertEqual(try runDasaudit(["infer", capture(name), "--output", draft]).status, 0)
            let run = try runDasaudit(["audit", capture(name), "--policy", draft, "--format", "json"])
            let result = try JSONReport.parse(Data(run.stdout.utf8))
            XCTAssertEqual(result.findings.filter { $0.kind == .roleMismatch }.map(\.message), [], name)
            XCTAssertEqual(result.services.filter { $0.port >= 12000 && $0.port < 12100 }.map(\.classification).filter { $0 != .executor },
                           [], "\(name): every block manager port is an executor port under the draft")
        }
    }

    /// captures/misfit-rogue-lo.pcap: 127.0.0.5 fits offset 0 (7611, 9763) beside a cluster
    /// at offset 3, and also serves a rogue port, 31337, that no offset explains. The draft
    /// lists the rogue with the unexplained services; before, a host at another offset was
    /// left out of that list whole, and the draft named 31337 nowhere but among the
    /// connections seen.
    func testARoguePortOnAHostAtAnotherOffsetIsListedAsUnexplained() throws {
        let (text, policy, _) = try inferred("misfit-rogue-lo.pcap")
        XCTAssertEqual(policy.offset, 3)
        XCTAssertTrue(text.contains("# 127.0.0.5 FITS OFFSET 0, not 3: 7611 thrift.tcp.port, 9763 carbon.http.port."), text)
        let unexplained = text.components(separatedBy: "(the audit reports them):\n").last?
            .components(separatedBy: "\n\n").first ?? ""
        XCTAssertEqual(unexplained, "#   127.0.0.5:31337", "the rogue, not the ports that fit the host's own offset: \(text)")
    }

    /// captures/infer-many-clients-lo.pcap: ten workers (127.0.0.22-31) use 127.0.0.9:31337,
    /// outside the nodes, beside ten workstations with lower addresses (127.0.0.11-20). The
    /// draft names every worker: the first 8 in the dependency's reason and how many more,
    /// all ten among the connections, where 8 workstations are listed and the 2 others
    /// counted. Before, it read the five client addresses a result names of each service,
    /// all workstations: no dependency entry, and no worker's use of the server anywhere in
    /// the draft.
    func testEveryNodeThatUsedAServerOutsideTheNodesIsNamed() throws {
        let (text, policy, _) = try inferred("infer-many-clients-lo.pcap")
        let workers = (22...31).map { "127.0.0.\($0)" }
        XCTAssertEqual(policy.nodes.flatMap { $0.addresses.map(\.description) }.sorted(), (["127.0.0.21"] + workers).sorted())
        XCTAssertTrue(text.contains("# dependencies:\n#   - name: dep-127.0.0.9-31337\n#     address: \"127.0.0.9\"\n#     port: 31337\n"
            + "#     reason: REVIEW (seen from \(workers.prefix(8).joined(separator: ", ")) and 2 more nodes (at most 8 named here; "
            + "every one is in the connections below))\n"), text)
        for worker in workers {
            XCTAssertTrue(text.contains("#   \(worker) -> 127.0.0.9:31337 (no catalog port)\n"), "\(worker) named: \(text)")
        }
        // The workstations are no node: 8 listed among the connections, the others counted.
        let listed = (11...20).filter { text.contains("#   127.0.0.\($0) -> 127.0.0.9:31337 (no catalog port)\n") }
        XCTAssertEqual(listed.count, 8, text)
        XCTAssertTrue(text.contains("#   and 2 more from clients that are no node (at most 8 such clients named per server, 1000 in all)\n"), text)
        XCTAssertFalse(text.contains("# Clients not read"), "20 clients are under the bound: \(text)")
    }

    /// The same capture, read with a bound of 12 client addresses a service in place of
    /// `PolicyInference.clientsReadPerService` (4,096), which bounds infer's memory (about
    /// 0.37 KB an address): 127.0.0.9:31337's 12 lowest clients are read (the ten
    /// workstations and the first two workers, .22 and .23), the 8 workers above them are
    /// named nowhere as its clients, and the draft says so.
    func testClientsAboveTheBoundAreSaidNotRead() throws {
        let (inference, _) = InferCommand.infer(paths: [capture("infer-many-clients-lo.pcap")], filter: nil,
                                                vxlanPorts: VXLANPorts(), clientsPerService: 12)
        XCTAssertEqual(inference.clientsNotRead.map { "\($0.address):\($0.port) \($0.read) \($0.notRead)" }, ["127.0.0.9:31337 12 8"])
        let text = InferredPolicyYAML.render(inference, inputs: ["infer-many-clients-lo.pcap"])
        XCTAssertTrue(text.contains("# Clients not read: infer reads the 4096 lowest client addresses of each\n"), text)
        XCTAssertTrue(text.hasSuffix("#   127.0.0.9:31337: 12 read, 8 not read\n"), text)
        XCTAssertTrue(text.contains("#     reason: REVIEW (seen from 127.0.0.22, 127.0.0.23)\n"), text)
        for worker in (24...31).map({ "127.0.0.\($0)" }) {
            XCTAssertFalse(text.contains("#   \(worker) -> 127.0.0.9:31337"), "\(worker) not read: \(text)")
        }
    }

    /// captures/offset-dual-stack-veth.pcap: fd00:27::99 (curl, no server) used the Spark master,
    /// the driver and the history UI of fd00:27::1, ports its firewall rules open to the
    /// cluster only. The draft names it as a node entry to uncomment, not as a node: the audit
    /// with the draft as it is makes three client-outside-cluster findings, and with the entry
    /// uncommented none, the list of nodes still valid YAML.
    func testAClientOfClusterOnlyPortsIsANodeEntryToUncomment() throws {
        let (text, policy, _) = try inferred("offset-dual-stack-veth.pcap")
        XCTAssertEqual(policy.nodes.map(\.name), ["host-fd00-27--1"])
        let entry = "#   # fd00:27::99 used [fd00:27::1]:7079 spark.master.port, [fd00:27::1]:13002 spark.driver.port, "
            + "[fd00:27::1]:18082 spark.history.ui.port\n#   - name: host-fd00-27--99\n#     addresses: [\"fd00:27::99\"]\n"
        XCTAssertTrue(text.contains(entry), text)

        let draft = scratch.path("draft.yaml"), reviewed = scratch.path("reviewed.yaml")
        try text.write(toFile: draft, atomically: true, encoding: .utf8)
        try text.replacingOccurrences(of: "#   - name: host-fd00-27--99\n#     addresses:", with: "  - name: host-fd00-27--99\n    addresses:")
            .write(toFile: reviewed, atomically: true, encoding: .utf8)
        func outside(_ path: String) throws -> [UInt16] {
            let run = try runDasaudit(["audit", capture("offset-dual-stack-veth.pcap"), "--policy", path, "--format", "json"])
            return try JSONReport.parse(Data(run.stdout.utf8)).findings.filter { $0.kind == .clientOutsideCluster }.compactMap(\.port)
        }
        XCTAssertEqual(try outside(draft).sorted(), [7079, 13002, 18082])
        XCTAssertEqual(try outside(reviewed), [])
    }

    func testAuditOffsetAutoUsesTheSameInference() throws {
        let run = try runDasaudit(["audit", capture("spark-cluster-offset2-lo.pcap"), "--offset", "auto", "--mode", "cluster",
                                   "--cores", "2", "--format", "json"])
        XCTAssertEqual(run.status, 1, run.stderr)
        XCTAssertTrue(run.stderr.contains("--offset auto: offset 2"), run.stderr)
        XCTAssertTrue(run.stdout.contains("\"offset\" : 2,"))
        // Over a policy file's offset: the note names the offset found, not a placeholder.
        let policyFile = capturesDirectory.deletingLastPathComponent().appendingPathComponent("examples/policy.yaml").path
        let over = try runDasaudit(["audit", capture("spark-cluster-offset2-lo.pcap"), "--policy", policyFile, "--offset", "auto"])
        XCTAssertTrue(over.stderr.contains("note: offset 2 from --offset overrides 4 from \(policyFile)"), over.stderr)
        XCTAssertFalse(over.stderr.contains("offset 0 from --offset"), over.stderr)
        let stdin = try runDasaudit(["audit", "-", "--offset", "auto"], stdin: Data())
        XCTAssertEqual(stdin.status, 2)
        XCTAssertTrue(stdin.stderr.contains("--offset auto reads the captures twice"), stdin.stderr)
        let ports = try runDasaudit(["ports", "--offset", "auto"])
        XCTAssertEqual(ports.status, 2)
        XCTAssertTrue(ports.stderr.contains("only 'audit' takes it"), ports.stderr)
    }

    /// Read for the offset, a FIFO, `<(...)` or a device would have nothing left for the
    /// audit (a FIFO hung, `<(...)` was audited as empty): refused before it is opened.
    func testOffsetAutoRefusesAnInputThatCanBeReadOnlyOnce() throws {
        let device = try runDasaudit(["audit", capture("das-offset3-lo.pcap"), "/dev/null", "--offset", "auto"])
        XCTAssertEqual(device.status, 2)
        XCTAssertTrue(device.stderr.contains("--offset auto reads the captures twice (to find the offset, then to audit), "
            + "so not /dev/null, a character device, which can be read only once"), device.stderr)
        let fifo = scratch.path("capture.fifo")
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        let run = try runDasaudit(["audit", fifo, "--offset", "auto"])  // no writer: opening it would wait forever
        XCTAssertEqual(run.status, 2)
        XCTAssertTrue(run.stderr.contains("so not \(fifo), a FIFO or pipe, which can be read only once: give --offset N"), run.stderr)
        XCTAssertFalse(run.stderr.contains("note: --offset auto: offset"), "refused before anything is read")
    }

    func testAnUnreadableInputIsExit2AndTheOthersStillCount() throws {
        let bad = try scratch.file("bad.pcap", Data("not a capture".utf8))
        let run = try runDasaudit(["infer", capture("das-cluster-offset4-lo.pcap"), bad])
        XCTAssertEqual(run.status, 2)
        XCTAssertTrue(run.stderr.contains("bad.pcap"), run.stderr)
        XCTAssertTrue(run.stdout.contains("offset: 4"), "the draft comes from the good input")
        XCTAssertFalse(run.stdout.contains("bad.pcap"), "the draft names the inputs it comes from")
        let none = try runDasaudit(["infer", bad])
        XCTAssertEqual(none.status, 2)
        XCTAssertEqual(none.stdout, "", "no draft from nothing")
    }

    /// A capture whose file name holds what a terminal acts on (ESC, BEL, the C1 CSI
    /// U+009B, DEL) and a bidirectional override: the draft names it with visible escapes,
    /// so nothing raw reaches the terminal `infer` prints to, and the draft still loads.
    /// Before, the C1, DEL and the override went out raw and the policy loader refused the
    /// tool's own draft ("control characters are not allowed").
    func testAHostileCaptureNameStaysEscapedAndTheDraftLoads() throws {
        let name = "das\u{1B}]0;owned\u{7}\u{9B}2J\u{7F}\u{202E}pacp.pcap"
        let path = try scratch.file(name, Data(contentsOf: URL(fileURLWithPath: capture("das-offset3-lo.pcap"))))
        let run = try runDasaudit(["infer", path])
        XCTAssertEqual(run.status, 0, run.stderr)
        for raw: Unicode.Scalar in ["\u{1B}", "\u{7}", "\u{9B}", "\u{7F}", "\u{202E}"] {
            XCTAssertFalse(run.stdout.unicodeScalars.contains(raw), "U+\(String(raw.value, radix: 16)) raw in the draft")
        }
        XCTAssertTrue(run.stdout.contains("das\\e]0;owned\\u{7}\\u{9B}2J\\u{7F}\\u{202E}pacp.pcap"), run.stdout)
        XCTAssertEqual(try PolicyFile.parse(run.stdout, path: "draft.yaml").makePolicy().offset, 3)
    }

    /// captures/spark43-multi-s200.pcap: a Spark 4.3.0 cluster at offset 2 whose second
    /// application's driver retried to 13003, das-3.1's Spark 1.6 `sparkDriverActorSystem`
    /// (Akka) at that offset. It speaks Spark RPC, so it is no reason to pick das-3.1 (whose
    /// draft then failed its own audit with a high protocol-mismatch); the worker's shuffle
    /// service (7339) makes the draft say the feature is on.
    func testWhatThePortsSpeakChoosesTheProfile() throws {
        let (text, policy, _) = try inferred("spark43-multi-s200.pcap")
        XCTAssertEqual(policy.profileName, "das")
        XCTAssertEqual(policy.offset, 2)
        XCTAssertEqual(policy.features[.shuffleService], true, text)
        XCTAssertTrue(text.contains("# shuffle-service (spark.shuffle.service.enabled in spark-defaults.conf): 127.0.0.2:7339."), text)
        let path = scratch.path("draft.yaml")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let run = try runDasaudit(["audit", capture("spark43-multi-s200.pcap"), "--policy", path, "--format", "json"])
        let result = try JSONReport.parse(Data(run.stdout.utf8))
        XCTAssertEqual(result.findings.filter { $0.kind == .protocolMismatch }.map(\.message), [])
        XCTAssertEqual(result.findings.filter { $0.port == 7339 }.map(\.message), [])
    }
}
