import Foundation
import XCTest

/// `dasaudit live -i nflog:5`: a netfilter log group, which libpcap reads with a blocking
/// `recv` that neither its timeout nor `pcap_breakloop` interrupts. Its recordings are
/// audited from files (NFLOGCaptureTests); live, the run is refused at once with what to do
/// instead. Before NFLOG files were read it was refused as an unsupported link type; let
/// through, a quiet group kept the run going past `--duration 2s` until its next message.
final class LiveNFLOGTests: XCTestCase {
    private let lab = NamespaceLab()
    private let tag = "\(getpid() % 100_000)"

    override func tearDown() {
        lab.tearDown()
    }

    func testALogGroupIsRefusedLiveWithWhatToDoInstead() throws {
        let namespace = "dasaudit-nflog-\(tag)"
        try lab.addNamespace(namespace)
        let run = try DasauditProcess(["live", "-i", "nflog:5", "--offset", "0", "--duration", "2s"],
                                      launcher: ["/usr/bin/env", "ip", "netns", "exec", namespace])
        let (status, _) = run.finish(timeout: 10)
        XCTAssertEqual(status, 2, run.stderr)
        XCTAssertTrue(run.stderr.contains("nflog:5: link type NFLOG (239) is read from a file, not live"), run.stderr)
        XCTAssertTrue(run.stderr.contains("tcpdump -i nflog:5 -w FILE"), run.stderr)
    }
}
