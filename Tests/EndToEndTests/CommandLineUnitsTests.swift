@testable import dasaudit
import XCTest

/// The command line's small parts: option values written back, the status line on a
/// narrow terminal, the colour decision.
final class CommandLineUnitsTests: XCTestCase {
    func testByteCountsAreWrittenAsTheyAreRead() {
        XCTAssertEqual(ByteCount(bytes: 32 << 20).description, "32 MiB")
        XCTAssertEqual(ByteCount(bytes: 1 << 30).description, "1 GiB")
        XCTAssertEqual(ByteCount(bytes: 1536).description, "1536 bytes")
        XCTAssertEqual(ByteCount(bytes: 1).description, "1 byte")
        for bytes: UInt64 in [32 << 20, 1 << 30, 3 << 10, 1536, 1] {
            XCTAssertEqual(ByteCount(argument: ByteCount(bytes: bytes).description), ByteCount(bytes: bytes))
        }
    }

    func testTimeSpansAreWrittenAsTheyAreRead() {
        XCTAssertEqual(TimeSpan(seconds: 10).description, "10s")
        XCTAssertEqual(TimeSpan(seconds: 1.5).description, "1.5s")
        XCTAssertEqual(TimeSpan(seconds: 600).description, "10m")
        XCTAssertEqual(TimeSpan(seconds: 7200).description, "2h")
        XCTAssertEqual(TimeSpan(seconds: 0.25).description, "250ms")
        XCTAssertEqual(TimeSpan(seconds: 90).description, "90s")
        for seconds in [10, 1.5, 600, 7200, 0.25, 90] {
            XCTAssertEqual(TimeSpan(argument: TimeSpan(seconds: seconds).description), TimeSpan(seconds: seconds))
        }
    }

    func testTheTerminalWidthFallsBackOnColumns() {
        let notATerminal = open("/dev/null", O_RDONLY)
        defer { close(notATerminal) }
        XCTAssertEqual(terminalWidth(of: notATerminal, environment: ["COLUMNS": "52"]), 52)
        XCTAssertEqual(terminalWidth(of: notATerminal, environment: ["COLUMNS": "wide"]), 80)
        XCTAssertEqual(terminalWidth(of: notATerminal, environment: [:]), 80)
    }

    func testColourOnlyOnATerminalThatWantsIt() {
        XCTAssertTrue(colorAllowed(noColorFlag: false, isTerminal: true, environment: ["TERM": "xterm-256color"]))
        XCTAssertFalse(colorAllowed(noColorFlag: false, isTerminal: true, environment: ["TERM": "dumb"]))
        XCTAssertFalse(colorAllowed(noColorFlag: false, isTerminal: true, environment: ["NO_COLOR": ""]))
        XCTAssertFalse(colorAllowed(noColorFlag: true, isTerminal: true, environment: [:]))
        XCTAssertFalse(colorAllowed(noColorFlag: false, isTerminal: false, environment: [:]))
    }
}
