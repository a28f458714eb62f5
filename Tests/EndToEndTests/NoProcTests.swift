import Foundation
import TestSupport
import XCTest

/// Without /proc mounted (a chroot, a sandbox), the Swift runtime hands the program no
/// arguments: every command printed the help and exited 0, which a CI gate reads as
/// compliant. It must be exit 2, saying why, whatever the command.
final class NoProcTests: XCTestCase {
    func testWithoutProcEveryCommandExitsTwoAndSaysWhy() throws {
        guard getuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/bin/unshare") else {
            throw unavailable("needs root and unshare to hide /proc")
        }
        let compliantLooking = [
            ["audit", capture("spark-cluster-offset2-lo.pcap"), "--offset", "2", "--mode", "cluster", "--cores", "2"],
            ["audit", "/nonexistent.pcap"],
            ["--version"],
        ]
        for arguments in compliantLooking {
            // A mount namespace of its own, with an empty file system over /proc.
            let quoted = ([dasauditBinary.path] + arguments).map { "'\($0)'" }.joined(separator: " ")
            let run = try runProcess("/usr/bin/unshare", ["--mount", "--propagation", "private", "/bin/sh", "-c",
                                                          "mount -t tmpfs none /proc && exec \(quoted)"])
            XCTAssertEqual(run.status, 2, "\(arguments): \(run.stdout) \(run.stderr)")
            XCTAssertTrue(run.stderr.contains("cannot read its own command line"), run.stderr)
            XCTAssertTrue(run.stderr.contains("/proc"), run.stderr)
            XCTAssertEqual(run.stdout, "", "no help, no report")
        }
    }
}
