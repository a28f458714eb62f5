import Foundation
import PcapKit
import TestSupport
import XCTest

/// The order a rotated set is read in: a shell glob's order is put back in the order the
/// files were written, `tcpdump -z gzip`'s compressed files too; any other order of its
/// files (by hand, newest first, a wrapped ring's names) is put in the order of their first
/// packets (`TimeOrder`). Each set is written by tcpdump from one capture, so the set read
/// in write order has that capture's connections.
final class RotatedSetOrderTests: XCTestCase {
    let spark = capture("spark-cluster-offset2-lo.pcap")

    /// Ten copies of the Spark capture, 40 s apart (12 MB: `tcpdump -C` counts in megabytes).
    private func whole(in scratch: ScratchDirectory) throws -> String {
        let copies = try (0..<10).map { index -> String in
            let copy = scratch.path("copy\(index).pcap")
            try runTool("editcap", ["-t", "\(index * 40)", spark, copy])
            return copy
        }
        let whole = scratch.path("whole.pcap")
        try runTool("mergecap", ["-F", "pcap", "-w", whole] + copies)
        return whole
    }

    /// `tcpdump -C 1 [options]` of `whole` into `directory/name`; the names it wrote.
    private func rotate(_ whole: String, into directory: String, _ name: String, _ options: [String] = []) throws -> [String] {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try runTool("tcpdump", ["-Z", "root", "-r", whole, "-w", "\(directory)/\(name)", "-C", "1"] + options)
        return try FileManager.default.contentsOfDirectory(atPath: directory)
    }

    /// The inputs an audit read, in the order it read them.
    private func inputsRead(_ paths: [String], environment: [String: String] = [:]) throws -> [String] {
        let run = try runDasaudit(["audit", "--format", "json"] + paths, environment: environment)
        let result = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
        return (result?["inputs"] as? [[String: Any]] ?? []).compactMap { $0["path"] as? String }
    }

    /// `tcpdump -C` cuts a capture in the middle of connections: read as a set, in the
    /// shell's glob order, or as a directory, the connections are those of the whole capture.
    func testARotatedSetIsOneCaptureWhoseConnectionsContinueAcrossFiles() throws {
        let scratch = try ScratchDirectory()
        let whole = try whole(in: scratch)
        let names = try rotate(whole, into: scratch.path("set"), "dump.pcap")
        XCTAssertGreaterThan(names.count, 10, "dump.pcap, dump.pcap1, ..., dump.pcap10 and more")
        let globOrder = names.sorted().map { scratch.path("set/\($0)") }  // dump.pcap, dump.pcap1, dump.pcap10, ...
        XCTAssertNotEqual(CaptureInputs(arguments: globOrder).paths, globOrder, "the shell's order is not the capture's")
        let expected = try flows([whole])
        XCTAssertEqual(expected.count, 410)
        XCTAssertEqual(try flows(globOrder), expected)
        XCTAssertEqual(try flows([scratch.path("set")]), expected)
        // Read one by one, the files split connections: the set really continues them.
        let pieces = try names.reduce(0) { $0 + (try flows([scratch.path("set/\($1)")]).count) }
        XCTAssertGreaterThan(pieces, expected.count)
    }

    /// `tcpdump -C 1 -z gzip` compresses each file as it closes it, all but the last:
    /// `dump.pcap.gz`, `dump.pcap1.gz`, ..., `dump.pcap11`. A glob gives `dump.pcap.gz
    /// dump.pcap1.gz dump.pcap10.gz dump.pcap11 dump.pcap2.gz ...`, which was read in that
    /// order after the names with and without `.gz` were sorted apart, splitting connections.
    func testAGlobOrADirectoryOfAGzippedRotatedSetIsReadInWriteOrder() throws {
        let scratch = try ScratchDirectory()
        let whole = try whole(in: scratch)
        let set = scratch.path("set")
        var names = try rotate(whole, into: set, "dump.pcap", ["-z", "gzip"])
        // tcpdump leaves the gzips running: wait until every file but the last is compressed.
        let deadline = Date() + 30
        while names.filter({ !$0.hasSuffix(".gz") }).count > 1, Date() < deadline {
            Thread.sleep(forTimeInterval: 0.1)
            names = try FileManager.default.contentsOfDirectory(atPath: set)
        }
        let writeOrder = ["dump.pcap.gz"] + (1..<names.count - 1).map { "dump.pcap\($0).gz" } + ["dump.pcap\(names.count - 1)"]
        XCTAssertEqual(names.sorted(), writeOrder.sorted(), "all compressed but the last")
        XCTAssertGreaterThan(names.count, 11, "dump.pcap10.gz and more")
        let inWriteOrder = writeOrder.map { "\(set)/\($0)" }
        let expected = try flows([whole])
        XCTAssertEqual(expected.count, 410)

        let glob = names.sorted().map { "\(set)/\($0)" }  // the C locale's glob
        XCTAssertEqual(try inputsRead(glob), inWriteOrder)
        XCTAssertEqual(try flows(glob), expected)
        XCTAssertEqual(try inputsRead([set]), inWriteOrder)
        XCTAssertEqual(try flows([set]), expected)

        // en_US.UTF-8's glob sets punctuation aside: dump.pcap10.gz ... dump.pcap1.gz ... dump.pcap.gz.
        let locales = scratch.path("locales")
        try FileManager.default.createDirectory(atPath: locales, withIntermediateDirectories: true)
        guard (try? runProcess("/usr/bin/env", ["localedef", "-i", "en_US", "-f", "UTF-8", "\(locales)/en_US.UTF-8"]))?.status == 0 else {
            throw unavailable("needs localedef and the en_US locale source to sort as en_US.UTF-8 does")
        }
        let english = ["LOCPATH": locales, "LC_ALL": "en_US.UTF-8"]
        var shell = ProcessInfo.processInfo.environment
        shell.merge(english) { _, new in new }
        let englishGlob = try runProgram(URL(fileURLWithPath: "/bin/bash"), ["-c", "printf '%s\\n' \"$0\"/dump.pcap*", set],
                                         environment: shell).stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(englishGlob.last, "\(set)/dump.pcap.gz", "not the C locale's order")
        XCTAssertEqual(try inputsRead(englishGlob, environment: english), inWriteOrder)
    }

    /// Files of one set given one by one in another order than a glob's were read as given
    /// until December 2026, splitting every connection that crosses a boundary: now in the
    /// order they were written, the order of their first packets.
    func testAnOrderGivenByHandIsReadInWriteOrder() throws {
        let scratch = try ScratchDirectory()
        let names = try rotate(try whole(in: scratch), into: scratch.path("set"), "rot.pcap")
        XCTAssertGreaterThan(names.count, 4)
        let byHand = ["rot.pcap3", "rot.pcap4", "rot.pcap", "rot.pcap1", "rot.pcap2"].map { scratch.path("set/\($0)") }
        let written = ["rot.pcap", "rot.pcap1", "rot.pcap2", "rot.pcap3", "rot.pcap4"].map { scratch.path("set/\($0)") }
        XCTAssertEqual(try inputsRead(byHand), written)
        XCTAssertEqual(try inputsRead(byHand.reversed()), written)
        XCTAssertEqual(try flows(byHand), try flows(written))
    }

    /// `tcpdump -C 1 -W 5` reuses `w.pcap0` ... `w.pcap4`: the 12 MB leave `w.pcap2` the
    /// oldest, so their natural order is not their time order, which `ls -tr` gives. Given
    /// in it, in a glob's order or as their directory, they are read in time order.
    func testAWrappedRingIsReadInTimeOrder() throws {
        let scratch = try ScratchDirectory()
        let ring = scratch.path("ring")
        XCTAssertEqual(try rotate(try whole(in: scratch), into: ring, "w.pcap", ["-W", "5"]).count, 5)
        let timeOrder = try runTool("ls", ["-tr", ring]).split(separator: "\n").map { "\(ring)/\($0)" }
        XCTAssertEqual(timeOrder.map { ($0 as NSString).lastPathComponent }, ["w.pcap2", "w.pcap3", "w.pcap4", "w.pcap0", "w.pcap1"])
        let joined = scratch.path("ring-joined.pcap")
        try runTool("mergecap", ["-a", "-F", "pcap", "-w", joined] + timeOrder)
        let glob = timeOrder.sorted()
        XCTAssertEqual(try inputsRead(timeOrder), timeOrder)
        XCTAssertEqual(try inputsRead(glob), timeOrder)
        XCTAssertEqual(try inputsRead([ring]), timeOrder)
        let expected = try flows([joined])
        XCTAssertEqual(try flows(timeOrder), expected)
        XCTAssertEqual(try flows([ring]), expected, "the directory's natural order is not the ring's, its time order is")
        XCTAssertEqual(try flows(glob), expected)
    }

    func testAGlobsOrderIsPutInNaturalOrderAndAnyOtherKept() {
        let gzipGlob = ["d/rz.pcap.gz", "d/rz.pcap1.gz", "d/rz.pcap10.gz", "d/rz.pcap11.gz", "d/rz.pcap12.gz", "d/rz.pcap13", "d/rz.pcap2.gz"]
        XCTAssertEqual(CaptureInputs(arguments: gzipGlob).paths,
                       ["d/rz.pcap.gz", "d/rz.pcap1.gz", "d/rz.pcap2.gz", "d/rz.pcap10.gz", "d/rz.pcap11.gz", "d/rz.pcap12.gz", "d/rz.pcap13"])
        XCTAssertEqual(CaptureInputs(arguments: ["x.pcap", "x.pcap1.zst", "x.pcap10.xz", "x.pcap2.bz2"]).paths,
                       ["x.pcap", "x.pcap1.zst", "x.pcap2.bz2", "x.pcap10.xz"])
        XCTAssertEqual(CaptureInputs(arguments: ["x.pcap10", "x.pcap2", "x.pcap1"]).paths, ["x.pcap10", "x.pcap2", "x.pcap1"])
        XCTAssertEqual(CaptureInputs(arguments: ["w.pcap2", "w.pcap0", "w.pcap1", "other.pcap"]).paths,
                       ["w.pcap2", "w.pcap0", "w.pcap1", "other.pcap"])
        XCTAssertEqual(CaptureInputs(arguments: ["cap_20261127_0002.pcap", "cap_20261127_0010.pcap", "b.pcap", "a.pcap", "-"]).paths,
                       ["cap_20261127_0002.pcap", "cap_20261127_0010.pcap", "b.pcap", "a.pcap", "-"])
        XCTAssertEqual(CaptureInputs(arguments: ["x010.pcap", "x09.pcap", "x9.pcap"]).paths, ["x09.pcap", "x9.pcap", "x010.pcap"])
    }
}
