import Audit
import Foundation
import XCTest

/// `dasaudit merge` of a real three-node Spark standalone cluster recorded in network
/// namespaces, each node capturing its own interface over a different window
/// (`captures/nodes-*.pcap`, scripts/recording/record-nodes.sh): n1 from 08:56:07 to
/// 08:57:02, n2 from 08:56:25 to 08:57:00, n3 from 08:56:27 to 08:57:05. tshark counts 22
/// distinct connections in n2's and n3's captures together, and n1 -> n3:12007 at 334
/// packets at n1 and 225 (no SYN) at n3.
final class NodesMergeTests: XCTestCase {
    let policy = ["--offset", "3", "--mode", "cluster", "--cores", "2"]

    /// The JSON result of auditing `path` (at `point`, or named after its file without one).
    func audit(_ path: String, at point: String?) throws -> String {
        let output = temporary((point ?? "file") + ".json")
        let run = try runDasaudit(["audit", path, "--connections", "--fail-on", "never", "--format", "json", "--output", output]
            + policy + (point.map { ["--capture-point", $0] } ?? []))
        XCTAssertTrue([0, 1].contains(run.status), run.stderr)
        return output
    }

    func merge(_ results: [String], _ options: [String] = []) throws -> (run: CommandResult, result: AuditResult?) {
        let output = temporary("merged.json")
        let run = try runDasaudit(["merge"] + results + ["--fail-on", "never", "--format", "json", "--output", output] + options)
        let data = FileManager.default.contents(atPath: output)
        return (run, try data.map { try ResultCoding.decoder().decode(AuditResult.self, from: $0) })
    }

    func nodes(_ names: [String]) throws -> [String] {
        try names.map { try audit(capture("nodes-\($0).pcap"), at: String($0.prefix(2))) }
    }

    /// Two nodes' captures of the same file name (tcpdump's `cap-%Y%m%d-%H%M%S.pcap` started
    /// in the same second), audited without --capture-point, were merged as one point: 28
    /// connections instead of 22, while the note said they were different points. Two
    /// results of one point's name that overlap in time cannot be its windows: refused,
    /// naming both; the same with one --capture-point given to both. Distinct names: 22.
    func testTwoNodesOfOneCapturePointNameAreRefusedNotCountedTwice() throws {
        let sameName = try ["n2", "n3"].map { node -> String in
            let directory = temporary(node)
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: capture("nodes-\(node).pcap"), toPath: directory + "/cap.pcap")
            return directory + "/cap.pcap"
        }
        for point in [nil, "node"] {
            let results = try sameName.map { try audit($0, at: point) }
            let (run, merged) = try merge(results)
            XCTAssertEqual(run.status, 2, run.stderr)
            XCTAssertNil(merged)
            XCTAssertTrue(run.stderr.contains("\(results[1]) and \(results[0]) both name their capture point '\(point ?? "cap.pcap")', "
                + "but are different captures of the same time (2026-12-05T08:56:27 to 2026-12-05T08:57:05 and "
                + "2026-12-05T08:56:25 to 2026-12-05T08:57:00)"), run.stderr)
            XCTAssertFalse(run.stderr.contains("merged as different capture points"), run.stderr)
        }
        let (run, merged) = try merge(try nodes(["n2", "n3"]))
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(merged?.coverage.connections, 22, "tshark: 22 distinct connections")
    }

    /// n1 -> n3:12007 was seen by n1 (334 packets, from its SYN) and by n3 (225, from
    /// 20 s later to 3 s after n1 stopped): about 352 in all, and the merge keeps the larger
    /// sighting per direction. It cannot count what only n3 saw without its packets, so it
    /// says the count is a lower bound.
    func testStaggeredWindowsSayTheCountsAreALowerBound() throws {
        let (run, merged) = try merge(try nodes(["n1", "n3"]))
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stderr.contains("note: 1 connection was seen at two capture points whose windows each reach past the "
            + "other's (one started capturing later, the other stopped earlier): their packet and byte counts, the larger "
            + "sighting's, are a lower bound"), run.stderr)
        let hold = try XCTUnwrap(merged?.services.first { $0.port == 12007 })
        XCTAssertEqual(hold.packets, 334 + 14, "the held connection's 334 packets at n1, and n2's echo client's 14")
    }

    /// Regression: the lower bound was a note on standard error only; the JSON's coverage,
    /// the reports and a later `render` of the merged result did not say it. It is now
    /// `coverage.connections_counted_low`, stated by every format, and range-checked.
    func testTheLowerBoundIsInTheResultAndEveryReport() throws {
        let saved = temporary("merged.json")
        let run = try runDasaudit(["merge"] + (try nodes(["n1", "n3"])) + ["--fail-on", "never", "--format", "json", "-o", saved])
        XCTAssertEqual(run.status, 0, run.stderr)
        let merged = try AuditResult.decode(from: try Data(contentsOf: URL(fileURLWithPath: saved)))
        XCTAssertEqual(merged.coverage.connectionsCountedLow, 1)
        let line = "1 connection was seen at two capture points whose windows each reach past the other's: its packet and "
            + "byte counts, the larger sighting's, are a lower bound"
        for format in ["text", "markdown", "html"] {
            let rendered = try runDasaudit(["render", saved, "--format", format])
            XCTAssertEqual(rendered.status, 0, rendered.stderr)
            XCTAssertTrue(rendered.stdout.replacingOccurrences(of: "&#39;", with: "'").contains(line),
                          "\(format): \(rendered.stdout.prefix(2000))")
        }
        let junit = try runDasaudit(["render", saved, "--format", "junit"]).stdout
        XCTAssertTrue(junit.contains("<property name=\"connections_counted_low\" value=\"1\"/>"), junit)
        // An audit has none to state, and writes null.
        let audit = try String(contentsOfFile: try nodes(["n1"])[0], encoding: .utf8)
        XCTAssertTrue(audit.contains("\"connections_counted_low\" : null"), String(audit.prefix(3000)))
        // Read back, more than the merge's connections is refused.
        let edited = temporary("edited.json")
        let text = try String(contentsOfFile: saved, encoding: .utf8)
            .replacingOccurrences(of: "\"connections_counted_low\" : 1", with: "\"connections_counted_low\" : 999999")
        try text.write(toFile: edited, atomically: true, encoding: .utf8)
        let refused = try runDasaudit(["render", edited])
        XCTAssertEqual(refused.status, 2)
        XCTAssertTrue(refused.stderr.contains("coverage.connections_counted_low: 999999 is more than the "), refused.stderr)
    }

    /// The same cluster with n3's clock 30 s ahead: the note counted 13 connections as lower
    /// bounds (14 with it 30 s behind), every connection n3 and another node both saw from its
    /// handshake put 30 s apart, while the offset note beside it measured those 30 s; with
    /// `--skew 47`, none, the held connection's windows 3 s apart hidden by the tolerance.
    /// The windows are now compared with the measured offset taken out (and within 2 s where
    /// it was measured): 1, the held connection, as with the true clocks, whatever --skew.
    func testStaggeredWindowsAreComparedWithTheMeasuredClockOffsetTakenOut() throws {
        let note = "note: 1 connection was seen at two capture points whose windows each reach past the other's (one started "
            + "capturing later, the other stopped earlier"
        let corrected = "; compared with the clocks' offsets, measured from the handshakes both ends saw, taken out): their "
            + "packet and byte counts, the larger sighting's, are a lower bound"
        let results = try nodes(["n1", "n2", "n3-skew30"])
        for skew in ["2", "32", "47"] {
            let (run, _) = try merge(results, ["--skew", skew])
            XCTAssertEqual(run.status, 0, run.stderr)
            XCTAssertTrue(run.stderr.contains(note + corrected), "--skew \(skew): \(run.stderr)")
        }
        // The true clocks: the same connection, and no offset to speak of.
        for skew in ["2", "47"] {
            let run = try merge(try nodes(["n1", "n2", "n3"]), ["--skew", skew]).run
            XCTAssertTrue(run.stderr.contains(note + "): their packet and byte counts"), "--skew \(skew): \(run.stderr)")
        }
    }

    /// n2's capture is empty (tcpdump's 24-byte header, no packet): it was listed as
    /// captured and said nothing. It is now a note and a high no-traffic finding of its own.
    func testACapturePointWithNoPacketsIsANoTrafficFinding() throws {
        let (run, merged) = try merge(try nodes(["n1", "n2-empty", "n3"]))
        XCTAssertEqual(run.status, 1, "an audit of nothing at one point fails whatever --fail-on says: \(run.stderr)")
        let message = "capture point n2 audited no TCP traffic: no packets were read from \(capture("nodes-n2-empty.pcap")); "
            + "the merge holds nothing of what it captured"
        XCTAssertTrue(run.stderr.contains("note: \(message)"), run.stderr)
        let findings = try XCTUnwrap(merged?.findings.filter { $0.kind == .noTraffic })
        XCTAssertEqual(findings.map(\.message), [message])
        XCTAssertEqual(findings.first?.severity, .high)
        // Every point with traffic: no such finding.
        XCTAssertEqual(try merge(try nodes(["n1", "n2", "n3"])).result?.findings.filter { $0.kind == .noTraffic }.count, 0)
    }

    /// n3's capture shifted 30 s (`editcap -t 30`): the connections matched by their ISN
    /// measure the offset, which merge names with the --skew that matches the others; the
    /// master's port 7080 then has 2 connections, as without the shift, not 3.
    func testAClockOffsetMeasuredByHandshakesIsNamed() throws {
        let results = try nodes(["n1", "n2", "n3-skew30"])
        let (run, merged) = try merge(results)
        for other in ["n1", "n2"] {
            XCTAssertTrue(run.stderr.contains("note: capture point n3's clock is 30.0 s ahead of \(other)'s (the median over 6 "
                + "connections both saw the handshake of): connections either saw without one are matched within --skew 2 s only; "
                + "give --skew 32"), run.stderr)
        }
        XCTAssertEqual(merged?.services.first { $0.port == 7080 }?.connections, 3)
        // A --skew given too small: the one to give is the offset and the default's 2 s, not
        // the offset and the --skew given (it said 40 here).
        let (tooSmall, _) = try merge(results, ["--skew", "10"])
        XCTAssertTrue(tooSmall.stderr.contains("matched within --skew 10 s only; give --skew 32"), tooSmall.stderr)
        let (again, skewed) = try merge(results, ["--skew", "32"])
        XCTAssertFalse(again.stderr.contains("clock is"), again.stderr)
        XCTAssertEqual(skewed?.services.first { $0.port == 7080 }?.connections, 2)
        // Clocks that agree: no note.
        XCTAssertFalse(try merge(try nodes(["n1", "n2", "n3"])).run.stderr.contains("clock is"))
    }

    /// n3's clock 30 s ahead: a connection n3 and another node saw took its first packet from
    /// one clock and its last from the other, so the thrift port's two calls of 0.04 s ran
    /// from 08:57:00.148 to 08:57:30.192, and every service n3 saw a connection of ended
    /// 30 s late. Then each such connection was timed in the clock of the point that saw it
    /// first, every other one at face value: at the default --skew the master port 7080,
    /// whose connection n3 saw mid-stream apart, began in n1's clock and ended in n3's
    /// (08:56:22.85 to 08:57:29.52). Every time is now in one clock, n1's (whose capture
    /// began first), n3's moved back by the offset measured from the handshakes: every
    /// service's first and last packet as with the true clocks, to the wire's microseconds,
    /// at any --skew.
    func testEveryServiceIsTimedInOneClock() throws {
        let truth = try XCTUnwrap(try merge(try nodes(["n1", "n2", "n3"])).result)
        let results = try nodes(["n1", "n2", "n3-skew30"])
        func late(_ merged: AuditResult) -> [String] {
            merged.services.compactMap { service in
                guard let expected = truth.services.first(where: { $0.address == service.address && $0.port == service.port }) else {
                    return "\(service.address):\(service.port) not in the true clocks' merge"
                }
                let apart = max((service.firstSeen.nanoseconds - expected.firstSeen.nanoseconds).magnitude,
                                (service.lastSeen.nanoseconds - expected.lastSeen.nanoseconds).magnitude)
                return apart < 1_000_000 ? nil : "\(service.address):\(service.port) \(service.firstSeen) to \(service.lastSeen)"
            }
        }
        for skew in ["2", "32"] {
            XCTAssertEqual(late(try XCTUnwrap(try merge(results, ["--skew", skew]).result)), [], "--skew \(skew)")
        }
    }

    /// The window of the merge was its inputs' at face value: with n3's clock 30 s ahead,
    /// 08:56:07.766 to 08:57:35.235, 87.5 s, for the 57.5 s the three nodes captured. It is
    /// now in the merge's clock, n1's, n3's offset taken out: the true clocks' window, and
    /// the result says which clock and what was moved; clocks that agree move nothing.
    func testTheMergedWindowIsInTheClockOfTheCapturePointThatBeganFirst() throws {
        let truth = try XCTUnwrap(try merge(try nodes(["n1", "n2", "n3"])).result).coverage
        XCTAssertEqual(truth.clockOf, "n1")
        XCTAssertEqual(truth.clockOffsets, [], "offsets of 17-19 µs, the time on the wire, move nothing")
        XCTAssertEqual("\(truth.captureStart!) \(truth.captureEnd!)", "2026-12-05T08:56:07.766286000Z 2026-12-05T08:57:05.234957000Z")
        for skew in ["2", "32"] {
            let (run, merged) = try merge(try nodes(["n1", "n2", "n3-skew30"]), ["--skew", skew])
            let coverage = try XCTUnwrap(merged?.coverage, run.stderr)
            XCTAssertEqual(coverage.clockOf, "n1")
            XCTAssertEqual(coverage.clockOffsets?.map(\.capturePoint), ["n3"])
            XCTAssertEqual(coverage.clockOffsets?.first?.clockOf, "n1")
            XCTAssertEqual(coverage.clockOffsets?.first?.secondsAhead ?? 0, 30, accuracy: 0.001)
            XCTAssertEqual(coverage.captureStart, truth.captureStart)
            XCTAssertEqual(Double(coverage.captureEnd!.nanoseconds - truth.captureEnd!.nanoseconds) / 1e9, 0, accuracy: 0.001)
            XCTAssertEqual(coverage.durationSeconds, 57.47, accuracy: 0.01, "not 87.5 s")
        }
        // Said in every report.
        let saved = temporary("skewed.json")
        _ = try runDasaudit(["merge"] + (try nodes(["n1", "n2", "n3-skew30"])) + ["--fail-on", "never", "--format", "json", "-o", saved])
        for format in ["text", "markdown", "html", "csv", "junit"] {
            let rendered = try runDasaudit(["render", saved, "--format", format]).stdout
                .replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&apos;", with: "'")
            XCTAssertTrue(rendered.contains("times in capture point n1's clock: n3's moved back 30.0 s"), "\(format)")
        }
    }

    /// Results whose policies differ in a field other than offset, mode, cores and profile
    /// were refused naming those four, equal on both sides; the message names the field.
    func testAPolicyMismatchNamesTheFieldThatDiffers() throws {
        let n1 = try audit(capture("nodes-n1.pcap"), at: "n1")
        for (option, expected) in [(["--allow", "8888:rogue ok"], "allowed_ports [{\"port\":8888,\"protocol\":null,\"reason\":\"rogue ok\"}] against []"), (["--ephemeral-range", "40000-60999"],
                                                                             "ephemeral_range 40000-60999 against 32768-60999")] {
            let output = temporary("n2.json")
            _ = try runDasaudit(["audit", capture("nodes-n2.pcap"), "--capture-point", "n2", "--connections", "--fail-on", "never",
                                 "--format", "json", "--output", output] + policy + option)
            let run = try runDasaudit(["merge", n1, output])
            XCTAssertEqual(run.status, 2, run.stderr)
            XCTAssertTrue(run.stderr.contains("\(output) was audited under another policy than \(n1) (\(expected)"), run.stderr)
            XCTAssertFalse(run.stderr.contains("against offset 3"), run.stderr)
        }
    }
}
