import Audit
import Foundation
import Policy
import Reports
import XCTest

/// The listings of `dasaudit interfaces`, `profiles` and the `live` status line, rendered
/// without the binary.
final class CommandListingTests: XCTestCase {
    let devices = [
        InterfaceListing(name: "lo", isUp: true, isRunning: true, isLoopback: true, addresses: ["127.0.0.1", "::1"],
                         description: nil),
        InterfaceListing(name: "eth0", isUp: true, isRunning: false, isLoopback: false, addresses: [], description: "uplink"),
        InterfaceListing(name: "eth1\u{1B}[31m", isUp: false, isRunning: false, isLoopback: false, addresses: [], description: nil),
    ]

    func testInterfacesAreListedWithTheirStateInWordsAndEscaped() {
        XCTAssertEqual(devices.map(\.state), ["up", "up, not running", "down"])
        let lines = InterfaceListing.text(devices).components(separatedBy: "\n")
        XCTAssertEqual(lines[0], "NAME        STATE            ADDRESSES       DESCRIPTION")
        XCTAssertEqual(lines[1], "lo          up               127.0.0.1, ::1")
        XCTAssertEqual(lines[2], "eth0        up, not running  -               uplink")
        XCTAssertFalse(lines[3].contains("\u{1B}"), "a device name cannot reach the terminal as a control sequence")
    }

    func testInterfacesInJSONKeepEveryField() throws {
        let listed = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(InterfaceListing.json(devices).utf8)) as? [[String: Any]])
        XCTAssertEqual(listed.count, 3)
        XCTAssertEqual(listed[0]["name"] as? String, "lo")
        XCTAssertEqual(listed[0]["loopback"] as? Bool, true)
        XCTAssertEqual(listed[0]["addresses"] as? [String], ["127.0.0.1", "::1"])
        XCTAssertEqual(listed[1]["description"] as? String, "uplink")
    }

    func testProfilesAreListedWithTheDefaultMarked() {
        let lines = ProfileListing.render().components(separatedBy: "\n")
        XCTAssertEqual(lines.count, Profile.all.count * 2 + 1)
        XCTAssertEqual(lines.filter { $0.hasSuffix(" (default)") }.count, 1)
        XCTAssertTrue(lines[0].hasPrefix(Profile.all[0].name + " "))
        XCTAssertTrue(lines[1].contains("\(Profile.all[0].catalog.count) ports; expects "), lines[1])
    }

    func testTheLiveStatusLineSaysDropsLoudly() {
        var status = LiveAuditStatus(elapsedSeconds: 3723.9, packets: 12345, packetsPerSecond: 1234.4,
                                     drops: Drops(kernel: 0, interface: 0), connections: 345, services: 12, unexpected: 1,
                                     findings: ["high": 1, "medium": 0, "low": 2, "info": 0])
        XCTAssertEqual(LiveStatusText.render(status, device: "lo"),
                       "live lo 1:02:03  packets 12345 (1234/s)  drops 0  connections 345  services 12 (1 unexpected)  "
                           + "findings 3 (high 1, medium 0, low 2, info 0)")
        status.drops = Drops(kernel: 5, interface: 2)
        XCTAssertTrue(LiveStatusText.render(status, device: "lo").contains("  DROPS 7 (kernel 5, interface 2)  "))
    }

    func testTheStatusLineFitsTheTerminal() {
        let line = String(repeating: "x", count: 150)
        XCTAssertEqual(LiveStatusText.fitted(line, width: 80), String(repeating: "x", count: 76) + "...")
        XCTAssertEqual(LiveStatusText.fitted("short", width: 80), "short")
        XCTAssertEqual(LiveStatusText.fitted(String(repeating: "x", count: 79), width: 80).count, 79, "one column stays free")
        XCTAssertEqual(LiveStatusText.fitted(line, width: 2).count, 4)
    }
}

/// The progress bar of a long audit, rendered without a terminal.
final class ReadProgressTextTests: XCTestCase {
    func testTheBarShowsTheShareReadTheRatesAndTheTimeLeft() {
        let line = ReadProgressText.render(packets: 4_380_000, bytesRead: 386_200_000, totalBytes: 942_300_000, seconds: 1,
                                           width: 100)
        XCTAssertEqual(line, "[############------------------]  41%  386.2 MB of 942.3 MB  386.2 MB/s  4.38 Mpps  0:02 left")
    }

    func testWithoutATotalItCountsPackets() {
        XCTAssertEqual(ReadProgressText.render(packets: 1_000_000, bytesRead: 5_000, totalBytes: nil, seconds: 2, width: 80),
                       "reading: 1000000 packets  0.50 Mpps")
        XCTAssertEqual(ReadProgressText.render(packets: 0, bytesRead: 0, totalBytes: 10, seconds: 0, width: 80),
                       "reading: 0 packets  0.00 Mpps", "nothing read yet, no time elapsed: no division by zero")
    }

    func testTheBarIsTenToThirtyColumnsAndNeverOverfills() {
        let narrow = ReadProgressText.render(packets: 1, bytesRead: 2_000_000_000, totalBytes: 1_000_000_000, seconds: 1, width: 20)
        XCTAssertTrue(narrow.hasPrefix("[##########] 100%  2.00 GB of 1.00 GB"), narrow)
        XCTAssertTrue(narrow.hasSuffix("0:00 left"), narrow)
    }
}

/// `dasaudit --version`, rendered without the binary.
final class VersionTextTests: XCTestCase {
    func testTheVersionNamesTheCommitWhenKnownAndTheLibpcap() {
        XCTAssertEqual(VersionText.render(version: "0.1.0", commit: "abc1234", libpcap: "libpcap version 1.10.3"),
                       "dasaudit 0.1.0 (commit abc1234)\nlibpcap version 1.10.3")
        XCTAssertEqual(VersionText.render(version: "0.1.0", commit: "unknown commit", libpcap: "libpcap version 1.10.3"),
                       "dasaudit 0.1.0 (unknown commit)\nlibpcap version 1.10.3")
    }
}
