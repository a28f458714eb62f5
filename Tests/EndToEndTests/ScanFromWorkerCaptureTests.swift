import Audit
import Policy
import XCTest

/// A Spark worker that is also the scanner (captures/scan-from-worker-veth-s200.pcap, from
/// a bug hunt): fd00:27::2 runs a worker and an executor of the master and driver on
/// fd00:27::1, curls the master's UI and a closed port 9999, and runs
/// `nmap -6 -sS -p 1-1200,7079,7613,7713,9765,31337 fd00:27::1`. nmap sent 1,205 SYNs,
/// all from source port 58324 (tshark: `tcp.srcport==58324 && tcp.flags.syn==1 &&
/// tcp.flags.ack==0`), and reported 1,200 closed and 5 open ports.
final class ScanFromWorkerCaptureTests: XCTestCase {
    func testTheScannerHostsOwnConnectionsAreNoProbes() throws {
        let auditor = Auditor(policy: Policy())
        let result = auditor.audit(paths: [capture("scan-from-worker-veth-s200.pcap")])
        let scan = try XCTUnwrap(result.scans?.first)
        XCTAssertEqual(result.scans?.count, 1)
        XCTAssertEqual(scan.scanner, "fd00:27::2")
        XCTAssertEqual(scan.targets, ["fd00:27::1"])
        XCTAssertEqual(scan.probes, 1205, "nmap's SYNs; not curl's refused 9999 nor the executor's 12002, 13002, 8083")
        XCTAssertEqual(scan.portRanges, "1-1200, 7079, 7613, 7713, 9765, 31337")
        XCTAssertEqual(scan.refused, 1200, "nmap: 1200 closed tcp ports (reset)")
        XCTAssertEqual(scan.openPorts, ["[fd00:27::1]:7079", "[fd00:27::1]:7613", "[fd00:27::1]:7713",
                                        "[fd00:27::1]:9765", "[fd00:27::1]:31337"], "nmap's open ports")
        // Its window is nmap's first SYN to its last packet, not from curl's connect to 9999.
        XCTAssertEqual(scan.firstSeen.description, "2026-12-05T16:11:53.990933000Z")
        // curl's refused connect stays an attempt of its own.
        XCTAssertEqual(result.attempts.map { "\($0.address):\($0.port) \($0.refused)" }, ["fd00:27::1:9999 1"])
    }
}
