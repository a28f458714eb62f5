@testable import Audit
import Flows
import Foundation
import Policy
@testable import TrafficGenerator
import XCTest

final class PortListTests: XCTestCase {
    func testRunsCollapse() {
        XCTAssertEqual(PortList.collapsed([20002, 20000, 20001, 9443, 65535, 65534, 1]), "1, 9443, 20000-20002, 65534-65535")
        XCTAssertEqual(PortList.collapsed([]), "")
        XCTAssertEqual(PortList.collapsed([7, 7]), "7")
        XCTAssertEqual(PortList.collapsed([1, 3, 5, 6, 7, 9], maxRuns: 2), "1, 3 and 4 more ports")
        XCTAssertEqual(PortList.ranges(inCollapsed: "1, 9443, 20000-20002"), [1...1, 9443...9443, 20000...20002])
        XCTAssertEqual(PortList.ranges(inCollapsed: "9, 7-8, x, 5-3, 0-65535"), [0...65535])
        XCTAssertEqual(PortList.ranges(inCollapsed: ""), [])
    }

    /// The runs from the bit set, and the text written from them, equal what the Set-and-sort
    /// runs and the text parsed back gave (the old path of the port-scan finding), on random
    /// port sets: empty, 0, 1, 65535, the whole range, runs across and along 64-bit words,
    /// duplicates.
    func testRunsAndTextFromNumbersEqualTheOldStringPath() {
        var random = SplitMix(seed: 65535)
        for setNumber in 0..<400 {
            let ports = Self.randomPorts(&random, setNumber: setNumber)
            let runs = PortList.ranges(ports)
            XCTAssertEqual(runs, referenceRanges(ports), "set \(setNumber)")
            XCTAssertEqual(PortSet(ports).count, Set(ports).count, "set \(setNumber)")
            let text = PortList.collapsed(ports)
            XCTAssertEqual(text, referenceCollapsed(ports), "set \(setNumber)")
            XCTAssertEqual(PortList.ranges(inCollapsed: text), runs, "set \(setNumber)")
            for maxRuns in [0, 1, 8, 100] {
                let old = referenceCollapsed(referencePorts(inCollapsed: text), maxRuns: maxRuns)
                XCTAssertEqual(PortList.written(runs, maxRuns: maxRuns), old, "set \(setNumber), \(maxRuns) runs")
                XCTAssertEqual(PortList.collapsed(ports, maxRuns: maxRuns), old, "set \(setNumber), \(maxRuns) runs")
            }
            if runs != referenceRanges(ports) { return }
        }
    }

    /// Inserting a range sets exactly its ports, whichever words it starts and ends in.
    func testRangesInsertExactlyTheirPorts() {
        var random = SplitMix(seed: 9)
        for _ in 0..<2000 {
            let low = UInt16.random(in: 0...UInt16.max, using: &random)
            let high = Bool.random(using: &random) ? low + UInt16.random(in: 0...min(200, UInt16.max - low), using: &random)
                : UInt16.random(in: low...UInt16.max, using: &random)
            var ports = PortSet()
            ports.insert(low...high)
            XCTAssertEqual(ports.runs, [low...high])
            XCTAssertEqual(ports.count, Int(high) - Int(low) + 1)
        }
    }

    /// A result read back with a hostile `port_ranges` (the whole range named 20,000 times)
    /// costs a few words per range, not 65,536 ports each (1.3 billion in all).
    func testAHostileTextIsReadAsRunsNotExpandedPortByPort() {
        let text = Array(repeating: "0-65535", count: 20_000).joined(separator: ", ") + ", 7, 70000, 9-8"
        XCTAssertEqual(PortList.ranges(inCollapsed: text), [0...65535])
        XCTAssertEqual(PortList.ranges(inCollapsed: "1-2, 4, 3-3"), [1...4])
    }

    /// A scan read back from a result has the runs its text names, so it equals the scan written.
    func testAScanReadBackHasItsRunsAgain() throws {
        let ports: [UInt16] = [0, 1, 2, 80, 443, 9000, 9001, 65535]
        let scan = PortScanSummary(
            scanner: "10.0.0.9", kind: .vertical, type: .connect, targets: ["10.0.0.1"], ports: ports.count,
            portRanges: PortList.collapsed(ports), portRuns: PortList.ranges(ports), probes: ports.count, refused: 7,
            unanswered: 1, openPorts: ["10.0.0.1:80"], firstSeen: Timestamp(nanoseconds: 5), lastSeen: Timestamp(nanoseconds: 9))
        let data = try JSONEncoder().encode(scan)
        XCTAssertFalse(String(decoding: data, as: UTF8.self).contains("portRuns"), "the runs are not written")
        XCTAssertEqual(try JSONDecoder().decode(PortScanSummary.self, from: data), scan)
    }

    static func randomPorts(_ random: inout SplitMix, setNumber: Int) -> [UInt16] {
        switch setNumber % 8 {
        case 0: return setNumber == 0 ? [] : [UInt16(setNumber)]
        case 1: return [0, 1, 65535, 65534, 0, 65535].shuffled(using: &random).prefix(Int.random(in: 1...6, using: &random)).map { $0 }
        case 2 where setNumber == 2: return Array(0...UInt16.max)
        case 3:  // runs near word edges
            let base = UInt16(Int.random(in: 0..<1023, using: &random) * 64)
            return (0..<Int.random(in: 1...20, using: &random)).map { _ in base &+ UInt16.random(in: 0...130, using: &random) }
        default:
            var ports: [UInt16] = []
            for _ in 0..<Int.random(in: 1...12, using: &random) {
                let low = UInt16.random(in: 0...UInt16.max, using: &random)
                let length = UInt16.random(in: 0...min(100, UInt16.max - low), using: &random)
                ports += Array(low...(low + length))
                if Bool.random(using: &random) { ports.append(low) }  // a duplicate
            }
            return ports.shuffled(using: &random)
        }
    }
}

/// The runs as `PortList` found them before the bit set: a `Set`, sorted, walked.
func referenceRanges(_ ports: some Sequence<UInt16>) -> [ClosedRange<UInt16>] {
    var runs: [ClosedRange<UInt16>] = []
    for port in Set(ports).sorted() {
        if let last = runs.last, last.upperBound < UInt16.max, last.upperBound + 1 == port {
            runs[runs.count - 1] = last.lowerBound...port
        } else {
            runs.append(port...port)
        }
    }
    return runs
}

/// The text as `PortList` wrote it before `written(_:)`.
func referenceCollapsed(_ ports: some Sequence<UInt16>) -> String {
    referenceRanges(ports).map { $0.lowerBound == $0.upperBound ? "\($0.lowerBound)" : "\($0.lowerBound)-\($0.upperBound)" }
        .joined(separator: ", ")
}

/// The shortened text as `PortList` wrote it before `written(_:maxRuns:)`.
func referenceCollapsed(_ ports: some Sequence<UInt16>, maxRuns: Int) -> String {
    let runs = referenceRanges(ports)
    let shown = referenceCollapsed(runs.prefix(maxRuns).flatMap { Array($0) })
    let rest = runs.dropFirst(maxRuns).reduce(0) { $0 + $1.count }
    return rest > 0 ? shown + " and \(rest) more port\(rest == 1 ? "" : "s")" : shown
}

/// The ports of a collapsed text as the port-scan finding parsed them back before it kept the runs.
func referencePorts(inCollapsed text: String) -> [UInt16] {
    text.split(separator: ",").flatMap { part -> [UInt16] in
        let bounds = part.split(separator: "-").compactMap { UInt16(String($0).filter { $0 != " " }) }
        guard let low = bounds.first, let high = bounds.last, low <= high else { return [] }
        return Array(low...high)
    }
}
