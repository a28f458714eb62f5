import Audit
import CaptureEngine
import Flows
import Foundation
import Policy
import Wire
import XCTest

/// The repository's root, for its captures and docs.
let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The audit time the reports' tests give (as `DASAUDIT_AUDIT_TIME` would): their bytes
/// must not depend on the day they run.
let testAuditTime = Timestamp(parsing: "2026-12-05T12:00:00Z")!

/// The real audit of a bundled capture, with its evidence, as `dasaudit audit` makes it.
func auditedCapture(_ name: String = "spark-cluster-offset2-lo.pcap", offset: Int = 2, mode: SparkMode = .cluster,
                    cores: Int = 2, failOn: FailThreshold = .medium) throws -> AuditResult {
    let path = repositoryRoot.appendingPathComponent("captures/\(name)").path
    var result = Auditor(policy: Policy(offset: offset, mode: mode, coresPerNode: cores), failOn: failOn,
                         auditTime: testAuditTime).audit(paths: [path])
    result.evidence = try Evidence(of: result, arguments: ["audit", path, "--offset", "\(offset)", "--mode", mode.rawValue],
                                   auditedAt: testAuditTime)
    return result
}

/// The real audit of the recorded DAS 3.1 cluster at offset 4 under a policy file with
/// nodes and roles (and waivers, in `cluster-waive-all-high.yaml`), as the end-to-end tests run it.
func auditedCluster(policy: String = "cluster-waive-all-high.yaml") throws -> AuditResult {
    let fixtures = repositoryRoot.appendingPathComponent("Tests/Fixtures")
    let settings = try PolicyFile.load(path: fixtures.appendingPathComponent(policy).path)
        .overlaid(with: try DASInstallation.read(home: fixtures.appendingPathComponent("das-cluster-home").path))
    let capture = repositoryRoot.appendingPathComponent("captures/das-cluster-offset4-lo.pcap").path
    var result = Auditor(policy: try settings.makePolicy(), auditTime: testAuditTime).audit(paths: [capture])
    result.evidence = try Evidence(of: result, arguments: ["audit", capture, "--policy", policy], auditedAt: testAuditTime)
    return result
}

/// The real audit (offset 2, cluster mode, 2 cores) of made-up traffic: `count` servers
/// spread over `hosts` hosts, each with one complete connection from one client. The
/// first servers sit on catalog ports (master, UI, executors); the rest on ports nothing
/// explains (`distinctPorts` of them, or one each), so the result has expected, executor
/// and unexpected services and findings.
func syntheticAudit(services count: Int, hosts: Int = 10, distinctPorts: Int = .max) -> AuditResult {
    let catalogPorts: [UInt16] = [7079, 4042, 12002, 12003, 7613, 13002]
    var table = FlowTable()
    var clock: Int64 = 1_790_000_000_000_000_000
    for index in 0..<count {
        let server = IPAddress("10.1.\(index % hosts / 250).\(index % hosts % 250 + 1)")!
        let port = index < catalogPorts.count ? catalogPorts[index] : UInt16(20000 + index % distinctPorts)
        let client = IPAddress("10.9.0.1")!, clientPort = UInt16(40000 + index % 20000)
        let exchange: [(toServer: Bool, flags: TCPFlags, payload: UInt32)] = [
            (true, [.syn], 0), (false, [.syn, .ack], 0), (true, [.ack, .psh], UInt32(100 * (index % 37 + 1))),
            (true, [.fin, .ack], 0), (false, [.fin, .ack], 0),
        ]
        for step in exchange {
            clock += 1_000
            let segment = step.toServer
                ? TCPSegment(source: client, destination: server, sourcePort: clientPort, destinationPort: port,
                             flags: step.flags, payloadLength: step.payload)
                : TCPSegment(source: server, destination: client, sourcePort: port, destinationPort: clientPort,
                             flags: step.flags, payloadLength: step.payload)
            table.add(segment, timestamp: clock, wireLength: 66 + step.payload)
        }
    }
    let auditor = Auditor(policy: Policy(offset: 2, mode: .cluster, coresPerNode: 2))
    // The input record of a real read, renamed and recounted for the made-up packets.
    var input = auditor.audit(paths: [repositoryRoot.appendingPathComponent("captures/spark-cluster-offset2-lo.pcap").path]).inputs[0]
    input.path = "synthetic-\(count).pcap"
    input.packets = UInt64(count * 5)
    input.tcpSegments = UInt64(count * 5)
    input.firstSeen = Timestamp(nanoseconds: 1_790_000_000_000_001_000)
    input.lastSeen = Timestamp(nanoseconds: clock)
    return auditor.audit(table.finish(rules: auditor.directionRules), inputs: [input])
}

/// The Spark result as a live capture would give it: packets dropped, a capture written.
func liveLikeResult() throws -> AuditResult {
    var result = try auditedCapture()
    result.inputs[0].drops = Drops(kernel: 3, interface: 1)
    result.coverage.drops = Drops(kernel: 3, interface: 1)
    let written = Evidence.InputEvidence(hashing: result.inputs[0].path)
    result.evidence?.writtenCaptures = [written]
    return result
}

/// A real result whose every text field an input can reach carries markup, quotes,
/// ampersands, separators and control characters.
func hostileResult() throws -> AuditResult {
    var result = try auditedCapture()
    let hostile = "<script>alert('x')</script> & \"q\" | a,b *c* [l](http://evil.example) <img src=x onerror=alert(1)>\u{1}\n]]>"
    result.inputs[0].path = hostile + ".pcap"
    result.inputs[0].error = hostile
    result.evidence?.inputs[0].path = hostile + ".pcap"
    result.evidence?.commandLine.append(hostile)
    result.findings[0].message = hostile
    result.findings[0].remediation = hostile
    if let index = result.services.firstIndex(where: { $0.classification == .unexpected }) {
        result.services[index].hint = hostile
        result.services[index].sampleClients = [hostile]
    }
    result.unusedOpenings[0].summary = hostile
    return result
}

/// `sha256sum`'s digest of `data`, as an independent check of the tool's own.
func sha256sum(_ data: Data) throws -> String {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("sha256sum-\(UUID().uuidString)")
    try data.write(to: file)
    defer { try? FileManager.default.removeItem(at: file) }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
    process.arguments = [file.path]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let output = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(String(decoding: output, as: UTF8.self).prefix(64))
}
