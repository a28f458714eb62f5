import Audit
@testable import CaptureEngine
import Foundation
import PcapKit
import Policy
import XCTest

/// A reader that tracks its own connections (`--threads 1`, or several inputs at once)
/// keeps a pcap file's evidence hash level with its reading from the bytes it reads in
/// place, instead of reading the file again: the reading lends each megabyte window it
/// fills (`ReadWindowObserver`), and the hash takes the window's bytes before the next
/// refill (`FileDigest`).
final class HashFedByReadingTests: XCTestCase {
    var scratch: ScratchDirectory!

    override func setUpWithError() throws { scratch = try scratchDirectory() }
    override func tearDown() { scratch = nil }

    /// Every byte after the file header is lent once, in file order, in windows that each
    /// stay as they were until `windowWillChange`; the reading then says it ended, once.
    func testTheReadingLendsEveryByteOfTheFileInOrder() throws {
        let large = try manyWindowsCapture()
        let cases: [(String, Data)] = [
            ("five windows", large),
            ("cut inside a record", large.prefix(3 * (1 << 20) + 7)),
            ("cut on a window's end", large.prefix(2 << 20)),
            ("a real capture, one window", try contents(capture("spark-cluster-offset2-lo.pcap"))),
        ]
        for (name, bytes) in cases {
            let recorder = WindowRecorder()
            let file = try CaptureFile(path: try scratch.file("lent.pcap", bytes))
            XCTAssertTrue(file.readsRecordsInPlace, name)
            file.windowObserver = recorder
            _ = file.recordDigest()
            XCTAssertEqual(recorder.endings, 1, name)
            XCTAssertTrue(recorder.mismatches.isEmpty, "\(name): \(recorder.mismatches.prefix(3))")
            XCTAssertEqual(recorder.changes, recorder.windows.count, "\(name): each window given back once")
            // Contiguous from the end of the file header to the end of the file.
            var covered = 24
            for window in recorder.windows {
                XCTAssertLessThanOrEqual(window.offset, covered, name)
                guard window.offset + window.bytes.count <= bytes.count else {
                    XCTFail("\(name): a window at \(window.offset) reaches past the end of the file")
                    break
                }
                XCTAssertEqual(window.bytes, bytes.subdata(in: window.offset ..< window.offset + window.bytes.count), name)
                covered = max(covered, window.offset + window.bytes.count)
            }
            XCTAssertEqual(covered, bytes.count, name)
            XCTAssertGreaterThanOrEqual(recorder.windows.count, bytes.count >> 20, name)
        }
    }

    /// A pipe cannot say where it is in the stream: nothing is lent, and the reading still
    /// says it ended.
    func testAPipeLendsNothing() throws {
        let pipe = scratch.path("pipe")
        fifo(at: pipe, carrying: try contents(capture("spark-cluster-offset2-lo.pcap")))
        let file = try CaptureFile(path: pipe)
        let recorder = WindowRecorder()
        file.windowObserver = recorder
        XCTAssertGreaterThan(file.recordDigest().packets, 0)
        XCTAssertEqual(recorder.windows.count, 0)
        XCTAssertEqual(recorder.endings, 1)
    }

    /// The hash is of the bytes lent, not of the file read again: lent bytes that differ
    /// from the file's (as if it changed under the audit) are the ones hashed; the file
    /// header, which libpcap read, is read again. A thread of the background kind waits
    /// for the reading, then finishes nothing twice.
    func testTheHashIsOfTheBytesTheReadingLent() throws {
        let onDisk = try manyWindowsCapture().prefix(3 << 20)
        var lentBytes = onDisk
        for index in stride(from: 100, to: lentBytes.count, by: 4099) { lentBytes[index] ^= 0x5A }
        let path = try scratch.file("changed.pcap", onDisk)
        let hashing = InputHashing(paths: [path])
        let digest = try XCTUnwrap(hashing.digest(for: path))
        let window = 1 << 20
        try lentBytes.withUnsafeBytes { all in
            var offset = 24
            while offset < all.count {
                let end = min(all.count, offset + window)
                digest.windowFilled(UnsafeRawBufferPointer(rebasing: all[offset ..< end]), at: Int64(offset))
                if offset == 24 { hashing.startBackgroundThreads(1) }
                // The next window starts inside this one, as after a record cut by the refill.
                digest.windowWillChange()
                offset = end - (end == all.count ? 0 : 1000)
            }
            digest.readingEnded()
            let evidence = try XCTUnwrap(hashing.wait()[path])
            var expected = Data(onDisk.prefix(24))
            expected += lentBytes.dropFirst(24)
            XCTAssertEqual(evidence.sha256, try sha256(expected))
            XCTAssertNotEqual(evidence.sha256, try sha256(Data(onDisk)))
            XCTAssertEqual(evidence.sizeBytes, UInt64(onDisk.count))
        }
    }

    /// End to end: audits on one thread, and of two inputs at once on two, hash each pcap
    /// file as `sha256sum` does, whole or cut inside a record, with the same result as a
    /// pipelined reading whose hash reads the file itself.
    func testAuditsThatReadOnTheirOwnThreadHashTheFilesTheyRead() throws {
        let large = try manyWindowsCapture()
        let whole = try scratch.file("whole.pcap", large)
        let cut = try scratch.file("cut.pcap", large.prefix(3 * (1 << 20) + 7))
        let auditor = Auditor(policy: Policy(offset: 2, mode: .cluster, coresPerNode: 2))
        var results: [Int: AuditResult] = [:]
        for threads in [1, 2, 4] {  // 4: one input per core, each pipelined, hashed by threads of its own
            let hashing = InputHashing(paths: [whole, cut])
            results[threads] = auditor.audit(paths: [whole, cut], threads: threads, hashing: hashing)
            let hashed = hashing.wait()
            XCTAssertEqual(hashed[whole]?.sha256, try sha256(large), "\(threads) threads")
            XCTAssertEqual(hashed[cut]?.sha256, try sha256(large.prefix(3 * (1 << 20) + 7)), "\(threads) threads")
        }
        XCTAssertNotNil(results[1]?.inputs[1].error, "the cut file says it is cut")
        let services = results.mapValues { $0.services.map { "\($0.address):\($0.port) \($0.connections) \($0.packets) \($0.bytes)" } }
        XCTAssertGreaterThan(services[1]?.count ?? 0, 0)
        XCTAssertEqual(services[1], services[4])
        XCTAssertEqual(services[2], services[4])
    }

    private func sha256(_ data: Data) throws -> String {
        let path = try scratch.file("sha-\(UUID()).bin", data)
        return String(try runTool("sha256sum", [path]).prefix(64))
    }
}

/// Keeps what the reading lends, checking each window is unchanged when given back.
private final class WindowRecorder: ReadWindowObserver {
    var windows: [(offset: Int, bytes: Data)] = []
    var lent: UnsafeRawBufferPointer?
    var changes = 0
    var endings = 0
    var mismatches: [String] = []

    func windowFilled(_ bytes: UnsafeRawBufferPointer, at offset: Int64) {
        if lent != nil { mismatches.append("a window lent before the last was given back") }
        windows.append((Int(offset), Data(bytes)))
        lent = bytes
    }

    func windowWillChange() {
        guard let lent else { return mismatches.append("given back, but none lent") }
        if Data(lent) != windows.last!.bytes { mismatches.append("window at \(windows.last!.offset) changed while lent") }
        changes += 1
        self.lent = nil
    }

    func readingEnded() {
        endings += 1
        if lent != nil { mismatches.append("ended with a window still lent") }
    }
}
