import Audit
import Foundation
@testable import PcapKit
import XCTest

/// The pieces of one recording are read in the order they were recorded in, whatever order
/// they are given in (`TimeOrder`), and inputs that overlap in time are named in a warning
/// (`InputOverlaps`). On real rotated captures: `captures/rotated-copies/` (`tcpdump -i any
/// -C 1` through a host that routes, 11 connections) given newest first was read as given
/// and audited 18 connections, with nothing said; `captures/rotated/` (`tcpdump -i lo -C 4`);
/// `captures/ring/` (`tcpdump -i lo -C 1 -W 3`, wrapped: its names' order is not its time order).
final class TimeOrderTests: XCTestCase {
    let copiesSet = ["any.pcap", "any.pcap1", "any.pcap2", "any.pcap3", "any.pcap4"].map { capture("rotated-copies/" + $0) }
    let loopbackSet = [capture("rotated/ab-lo.pcap5"), capture("rotated/ab-lo.pcap6")]

    /// The audit's JSON result of `paths` and its standard error; its exit status checked.
    private func audit(_ paths: [String], status: Int32 = 0) throws -> (result: [String: Any], stderr: String) {
        let run = try runDasaudit(["audit", "--format", "json", "--fail-on", "never"] + paths)
        XCTAssertEqual(run.status, status, run.stderr)
        return (try XCTUnwrap(JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]), run.stderr)
    }

    /// What the audit found, without what names the inputs: the coverage (packets, segments,
    /// connections, times), services, findings, scans, unused openings, summary. Without the
    /// gaps between inputs too, which one file has none of (null) and a set says (`CaptureGaps`).
    private func findings(_ result: [String: Any]) throws -> String {
        var kept = result
        for key in ["inputs", "evidence", "capture_points", "tool"] { kept[key] = nil }
        if var coverage = kept["coverage"] as? [String: Any] {
            for key in ["capture_gaps", "capture_gaps_joined"] { coverage[key] = nil }
            kept["coverage"] = coverage
        }
        return String(decoding: try JSONSerialization.data(withJSONObject: kept, options: [.sortedKeys]), as: UTF8.self)
    }

    private func inputsRead(_ result: [String: Any]) -> [String] {
        (result["inputs"] as? [[String: Any]] ?? []).compactMap { $0["path"] as? String }
    }

    private func connections(_ result: [String: Any]) -> Int? {
        (result["coverage"] as? [String: Any])?["connections"] as? Int
    }

    /// The files joined into one (`mergecap -a`), as tcpdump would have written them without `-C`.
    private func joined(_ paths: [String], in scratch: ScratchDirectory) throws -> String {
        let path = scratch.path("joined.pcap")
        try runTool("mergecap", ["-a", "-F", "pcap", "-w", path] + paths)
        return path
    }

    /// A rotated set given newest first, shuffled, or in order audits as its files joined:
    /// the same connections, services and findings, the files read in time order, with a
    /// note naming them when that is not the order given. Given reversed, the
    /// `rotated-copies` set counted 18 connections (each one crossing a boundary split in
    /// two) and 135 segments (the copies at the boundaries counted again), against 11 and
    /// 132; the wrapped ring `captures/ring/` (time order `ring.pcap1 ring.pcap2
    /// ring.pcap0`) as a glob or a directory 10, its kept connection split in three, against 7.
    func testARotatedSetGivenInAnyOrderAuditsAsItsFilesJoined() throws {
        let scratch = try scratchDirectory()
        let c = copiesSet
        let ring = ["ring.pcap1", "ring.pcap2", "ring.pcap0"].map { capture("ring/" + $0) }
        let sets: [(timeOrder: [String], orders: [[String]], connections: Int)] = [
            (c, [c, c.reversed(), [c[2], c[4], c[0], c[3], c[1]]], 11),
            (loopbackSet, [loopbackSet, loopbackSet.reversed()], 9),
            (ring, [ring, ring.sorted(), ring.reversed(), [capture("ring")]], 7),
        ]
        for (set, orders, count) in sets {
            let whole = try audit([try joined(set, in: scratch)]).result
            XCTAssertEqual(connections(whole), count)
            for order in orders {
                let (result, stderr) = try audit(order)
                XCTAssertEqual(inputsRead(result), set, "read in time order")
                let gaps = (result["coverage"] as? [String: Any])?["capture_gaps"] as? [Any]
                XCTAssertEqual(gaps?.count, 0, "pieces of one recording leave no gap")
                XCTAssertEqual(try findings(result), try findings(whole), "\(order)")
                if order == set {
                    XCTAssertFalse(stderr.contains("note: read in the order"), stderr)
                } else {
                    XCTAssertTrue(stderr.contains("note: read in the order of their first packets, the order they were recorded in: "
                        + set.joined(separator: ", ")), stderr)
                }
                XCTAssertFalse(stderr.contains("warning"), stderr)
            }
        }
        let flows = try runDasaudit(["flows"] + copiesSet.reversed())
        XCTAssertEqual(flows.stdout.split(separator: "\n").count, 11, "dasaudit flows too")
        XCTAssertEqual(flows.status, 0, flows.stderr)
    }

    /// Two hosts' captures of one exchange, made at the same time (`both-ends-a`, `-b`):
    /// not pieces of one recording. Read as given, in either order, with a warning naming
    /// both and what may be miscounted.
    func testCapturesThatOverlapInTimeAreReadAsGivenWithAWarning() throws {
        let pair = [capture("both-ends-a.pcap"), capture("both-ends-b.pcap")]
        for order in [pair, Array(pair.reversed())] {
            let (result, stderr) = try audit(order)
            XCTAssertEqual(inputsRead(result), order)
            XCTAssertTrue(stderr.contains("warning: \(order[1]) (from "), stderr)
            XCTAssertTrue(stderr.contains("begins before \(order[0]), read before it, ends"), stderr)
            XCTAssertTrue(stderr.contains("a connection in both may be split in two or counted twice"), stderr)
            XCTAssertFalse(stderr.contains("note: read in the order"), stderr)
        }
    }

    /// Two recordings made at the same time and named alike (each host's capture cut in
    /// two, `x.pcap0`, `x.pcap1` and `x.pcap2`, `x.pcap3`) interleave in time, which no
    /// rotated set or ring does: read in time order they would alternate between the hosts.
    /// They are read as given, with the warning.
    func testRecordingsNamedAlikeThatInterleaveAreReadAsGiven() throws {
        let scratch = try scratchDirectory()
        var halves: [String] = []
        for (index, host) in ["a", "b"].enumerated() {
            let whole = capture("both-ends-\(host).pcap")
            let packets = try runTool("capinfos", ["-T", "-r", "-c", "-M", whole]).split(separator: "\t").last
                .flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            let half = try XCTUnwrap(packets) / 2
            for (part, range) in [(0, "1-\(half)"), (1, "\(half + 1)-\(2 * half + 1)")] {
                let path = scratch.path("x.pcap\(2 * index + part)")
                try runTool("editcap", ["-r", "-F", "pcap", whole, path, range])
                halves.append(path)
            }
        }
        let times = try halves.map { try XCTUnwrap(TimeOrder.firstPacketTime($0)) }
        XCTAssertLessThan(times[2], times[1], "b's first half begins before a's second: they interleave")
        let (result, stderr) = try audit(halves)
        XCTAssertEqual(inputsRead(result), halves)
        XCTAssertTrue(stderr.contains("warning: \(halves[2]) (from "), stderr)
        XCTAssertFalse(stderr.contains("note: read in the order"), stderr)
    }

    /// A bad file among a set given newest first is named, the command exits 2, and the other
    /// files are still read in time order around it: one cut inside its file header, one
    /// that does not exist, and one the user cannot read.
    func testABadFileAmongARotatedSetIsNamedAndTheOthersReadInTimeOrder() throws {
        let scratch = try scratchDirectory()
        let set = try copiesSet.map { try scratch.file(($0 as NSString).lastPathComponent, try contents($0)) }
        try contents(copiesSet[2]).prefix(10).write(to: URL(fileURLWithPath: set[2]))
        let (result, stderr) = try audit(set.reversed(), status: 2)
        XCTAssertEqual(inputsRead(result), set, "the others in time order, the cut file in its place")
        XCTAssertTrue(stderr.contains("\(set[2]): capture is cut short inside its file header"), stderr)

        let missing = scratch.path("any.pcap5")
        let withMissing = try audit([missing] + copiesSet.reversed(), status: 2)
        XCTAssertEqual(inputsRead(withMissing.result), [missing] + copiesSet)
        XCTAssertTrue(withMissing.stderr.contains("\(missing): no such file"), withMissing.stderr)

        try contents(copiesSet[2]).write(to: URL(fileURLWithPath: set[2]))
        XCTAssertEqual(chmod(set[3], 0o600), 0)
        XCTAssertEqual(chmod(scratch.url.path, 0o755), 0)
        let run = try runDasauditAsNobody(["flows"] + set.reversed(), mentioning: set[3])
        XCTAssertEqual(run.status, 2, run.stderr)
        XCTAssertTrue(run.stderr.contains("\(set[3]): permission denied"), run.stderr)
        // Unreadable, it has no first packet, and keeps its place: second, as given.
        XCTAssertTrue(run.stderr.contains("note: read in the order of their first packets, the order they were recorded in: "
            + [set[0], set[3], set[1], set[2], set[4]].joined(separator: ", ")), run.stderr)
    }

    /// The order itself, with the first packets' times given: each run of names of one
    /// shape in time order when that is the names' order or a ring's; files without a time
    /// (standard input, empty, unusable) in their places; equal times, an interleaving, and
    /// names of other shapes as given.
    func testTheOrderOfFirstPackets() {
        func order(_ paths: [String], _ times: [String: Int64]) -> [String] {
            TimeOrder(paths) { times[$0] }.paths
        }
        let set = ["d/x.pcap": 10, "d/x.pcap1": 20, "d/x.pcap2": 30, "d/x.pcap3": 40] as [String: Int64]
        XCTAssertEqual(order(["d/x.pcap3", "d/x.pcap2", "d/x.pcap1", "d/x.pcap"], set), ["d/x.pcap", "d/x.pcap1", "d/x.pcap2", "d/x.pcap3"])
        XCTAssertEqual(TimeOrder(["d/x.pcap3", "d/x.pcap", "d/x.pcap1"]) { set[$0] }.reordered, [["d/x.pcap", "d/x.pcap1", "d/x.pcap3"]])
        XCTAssertEqual(TimeOrder(["d/x.pcap", "d/x.pcap1"]) { set[$0] }.reordered, [])
        // A wrapped ring: w.pcap2 is the oldest.
        let ring = ["w.pcap0": 40, "w.pcap1": 50, "w.pcap2": 10, "w.pcap3": 20, "w.pcap4": 30] as [String: Int64]
        XCTAssertEqual(order(["w.pcap0", "w.pcap1", "w.pcap2", "w.pcap3", "w.pcap4"], ring),
                       ["w.pcap2", "w.pcap3", "w.pcap4", "w.pcap0", "w.pcap1"])
        // A tcpdump -C set without -W (its first file unnumbered) never wraps: first packets
        // in a ring's order there are a clock stepped back 2 h after d/x.pcap1, and the
        // names' order is kept (the audit then warns that d/x.pcap2 begins before d/x.pcap1 ends).
        let stepped = ["d/x.pcap": 10, "d/x.pcap1": 20, "d/x.pcap2": 1, "d/x.pcap3": 2] as [String: Int64]
        XCTAssertEqual(order(["d/x.pcap", "d/x.pcap1", "d/x.pcap2", "d/x.pcap3"], stepped),
                       ["d/x.pcap", "d/x.pcap1", "d/x.pcap2", "d/x.pcap3"])
        XCTAssertEqual(order(["d/x.pcap3", "d/x.pcap2", "d/x.pcap1", "d/x.pcap"], stepped),
                       ["d/x.pcap3", "d/x.pcap2", "d/x.pcap1", "d/x.pcap"], "as given")
        // No time: keeps its place.
        XCTAssertEqual(order(["d/x.pcap3", "d/x.pcap9", "d/x.pcap1", "-", "d/x.pcap2", "d/x.pcap"], set),
                       ["d/x.pcap1", "d/x.pcap9", "d/x.pcap3", "-", "d/x.pcap", "d/x.pcap2"])
        // None with a time (empty or unusable files): as given.
        XCTAssertEqual(order(["e.pcap1", "e.pcap", "-"], [:]), ["e.pcap1", "e.pcap", "-"])
        // Equal times tell no order.
        XCTAssertEqual(order(["b.pcap1", "b.pcap"], ["b.pcap": 5, "b.pcap1": 5]), ["b.pcap1", "b.pcap"])
        // Two hosts' halves, interleaved in time: neither the names' order nor a ring's.
        let hosts = ["n1/a.pcap": 10, "n1/a.pcap1": 30, "n2/a.pcap": 11, "n2/a.pcap1": 31] as [String: Int64]
        let given = ["n1/a.pcap", "n1/a.pcap1", "n2/a.pcap", "n2/a.pcap1"]
        XCTAssertEqual(order(given, hosts), given)
        // Names of other shapes are not one set: each as given.
        XCTAssertEqual(order(["late.pcap", "early.pcap"], ["late.pcap": 20, "early.pcap": 10]), ["late.pcap", "early.pcap"])
    }

    /// Consecutive inputs overlap when the later begins more than about a millisecond
    /// before the earlier ended; inputs without packets are passed over; times pinned to the
    /// ends of the range (hostile pcapng times) do not overflow.
    func testOverlapsInTime() {
        func input(_ path: String, _ first: Int64?, _ last: Int64?) -> InputSummary {
            InputSummary(path: path, packets: first == nil ? 0 : 1, tcpSegments: 0, skipped: [:],
                         firstSeen: first.map { Timestamp(nanoseconds: $0) }, lastSeen: last.map { Timestamp(nanoseconds: $0) },
                         complete: true)
        }
        let pairs = { (inputs: [InputSummary]) in InputOverlaps.find(in: inputs).map { "\($0.earlier.path)>\($0.later.path)" } }
        let ms: Int64 = 1_000_000
        XCTAssertEqual(pairs([input("a", 0, 100 * ms), input("b", 100 * ms - ms / 2, 200 * ms)]), [], "back to back")
        XCTAssertEqual(pairs([input("a", 0, 100 * ms), input("b", 90 * ms, 200 * ms)]), ["a>b"])
        XCTAssertEqual(pairs([input("a", 100 * ms, 200 * ms), input("empty", nil, nil), input("b", 0, 90 * ms)]), ["a>b"])
        XCTAssertEqual(pairs([input("a", Int64.min, Int64.max), input("b", Int64.min, 0)]), ["a>b"])
        XCTAssertEqual(pairs([input("a", Int64.min, Int64.min), input("b", Int64.max, Int64.max)]), [])
    }
}
