import Foundation
import XCTest

/// `dasaudit live` and `dasaudit interfaces` given what they cannot use: each says what was
/// wrong on one line and exits 2, before any capture starts.
final class LiveCommandLineTests: XCTestCase {
    func testWithoutCapNetRawItSaysHowToRunItAndExits2() throws {
        // A copy in a world-readable place, run as nobody with no capabilities.
        let directory = NSTemporaryDirectory() + "dasaudit-nobody-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o755])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let binary = directory + "/dasaudit"
        try FileManager.default.copyItem(atPath: dasauditPath, toPath: binary)
        let run = try runDasaudit(["live", "-i", "lo", "--duration", "1s"], program: binary,
                                  launcher: ["/usr/bin/setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"])
        XCTAssertEqual(run.status, 2, run.stderr)
        XCTAssertEqual(run.stderr.split(separator: "\n").count, 1, run.stderr)
        XCTAssertTrue(run.stderr.hasPrefix("dasaudit: error: cannot capture on lo: "), run.stderr)
        // The capability for a copy an admin group owns, never for the binary every user runs.
        XCTAssertTrue(run.stderr.contains("needs CAP_NET_RAW: run as root (--user drops it once the interface is open), "
            + "or give the capability to a copy only an admin group may run: `install -o root -g pcap -m 750 "
            + "$(command -v dasaudit) /usr/local/sbin/dasaudit-capture && setcap cap_net_raw,cap_net_admin+eip "
            + "/usr/local/sbin/dasaudit-capture` (again after each upgrade)"), run.stderr)
        XCTAssertFalse(run.stderr.contains("setcap cap_net_raw,cap_net_admin+eip $(command -v dasaudit)"), run.stderr)
        XCTAssertEqual(run.stdout, "")
    }

    func testAnUnknownInterfaceIsNamedWithTheOnesThereAre() throws {
        let run = try runDasaudit(["live", "-i", "nosuch0", "--duration", "1s"])
        XCTAssertEqual(run.status, 2)
        XCTAssertTrue(run.stderr.contains("no interface named 'nosuch0' (interfaces: "), run.stderr)
        XCTAssertTrue(run.stderr.contains("lo"), run.stderr)
    }

    func testABadFilterIsNamed() throws {
        let run = try runDasaudit(["live", "-i", "lo", "--filter", "tcp prot 80", "--duration", "1s"])
        XCTAssertEqual(run.status, 2)
        XCTAssertTrue(run.stderr.contains("bad capture filter 'tcp prot 80': "), run.stderr)
        XCTAssertTrue(run.stderr.contains("syntax error"), run.stderr)
    }

    func testBadOptionsExit2BeforeCapturing() throws {
        let cases: [([String], String)] = [
            (["--rotate-size", "1M"], "give --write too"),
            (["--duration", "5x"], "--duration"),
            (["--buffer-size", "12q"], "--buffer-size"),
            (["--packets", "0"], "--packets must be at least 1"),
            (["--user", "no-such-user-dasaudit"], "--user no-such-user-dasaudit: no such user"),
            (["--offset", "-3"], "offset"),
        ]
        for (arguments, message) in cases {
            let run = try runDasaudit(["live", "-i", "lo", "--duration", "1s"] + arguments)
            XCTAssertEqual(run.status, 2, "\(arguments): \(run.stderr)")
            XCTAssertTrue(run.stderr.contains(message), "\(arguments): \(run.stderr)")
            XCTAssertFalse(run.stderr.contains("capturing on"), "\(arguments)")
        }
    }

    func testInterfacesListsLoopback() throws {
        let text = try runDasaudit(["interfaces"])
        XCTAssertEqual(text.status, 0)
        XCTAssertTrue(text.stdout.hasPrefix("NAME"), text.stdout)
        let json = try runDasaudit(["interfaces", "--format", "json"])
        let devices = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]] ?? []
        let loopback = devices.first { $0["name"] as? String == "lo" }
        XCTAssertEqual(loopback?["loopback"] as? Bool, true)
        XCTAssertEqual(loopback?["state"] as? String, "up")
        XCTAssertTrue((loopback?["addresses"] as? [String] ?? []).contains("127.0.0.1"))
    }
}
