import Audit
import CaptureEngine
import Foundation
import PcapKit
import Policy
import XCTest

/// An input's SHA-256 is evidence only if it is of the bytes the audit read. Each input is
/// looked at when the audit opens it, when the audit is done reading it, when the hash
/// opens it and when the hash is done (`FileVersion`: the file, its size, its change time);
/// unless every look agrees, the input gets no hash and a note that says what happened.
final class InputChangedWhileAuditedTests: XCTestCase {
    var scratch: ScratchDirectory!

    override func setUpWithError() throws { scratch = try scratchDirectory() }
    override func tearDown() { scratch = nil }

    private func bundledCopy(_ name: String = "capture.pcap") throws -> String {
        try scratch.file(name, try contents(capture("spark-cluster-offset2-lo.pcap")))
    }

    func testAFileThatStoodStillKeepsItsHash() throws {
        let path = try bundledCopy()
        let hashing = InputHashing(paths: [path])
        let version = FileVersion(path: path)
        XCTAssertNotNil(version)
        hashing.noteAudited(path, opened: version, ended: FileVersion(path: path))
        let evidence = try XCTUnwrap(hashing.wait()[path])
        XCTAssertEqual(evidence.sha256?.count, 64)
        XCTAssertNil(evidence.note)
    }

    /// A capture still being written (tcpdump appending to it) while it was read.
    func testAFileThatGrewWhileItWasReadHasNoHash() throws {
        let path = try bundledCopy()
        let hashing = InputHashing(paths: [path])
        let opened = FileVersion(path: path)
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: path))
        try handle.seekToEnd()
        handle.write(Data(count: 100))
        try handle.close()
        hashing.noteAudited(path, opened: opened, ended: FileVersion(path: path))
        let evidence = try XCTUnwrap(hashing.wait()[path])
        XCTAssertNil(evidence.sha256)
        XCTAssertNil(evidence.sizeBytes)
        let note = try XCTUnwrap(evidence.note)
        XCTAssertTrue(note.contains("\(path) changed size") && note.contains("while it was audited"), note)
    }

    /// The file the audit read was renamed over between the audit's look and the hash's:
    /// the hash would be of another file.
    func testAFileReplacedBeforeItWasHashedHasNoHash() throws {
        let path = try bundledCopy()
        let hashing = InputHashing(paths: [path])
        let opened = FileVersion(path: path)
        let other = try scratch.file("other.pcap", try contents(capture("das-offset3-lo.pcap")))
        XCTAssertEqual(rename(other, path), 0)
        hashing.noteAudited(path, opened: opened, ended: opened)
        let evidence = try XCTUnwrap(hashing.wait()[path])
        XCTAssertNil(evidence.sha256)
        XCTAssertTrue(evidence.note?.contains("was replaced by another file while it was audited") == true,
                      evidence.note ?? "no note")
    }

    /// Changed after the hash was done but before the audit had finished reading: the
    /// hash is taken back.
    func testAHashIsTakenBackWhenTheAuditSawTheFileChange() throws {
        let path = try bundledCopy()
        let hashing = InputHashing(paths: [path])
        let opened = FileVersion(path: path)
        _ = hashing.wait()  // hashed already
        usleep(20_000)  // a change time the clock can tell from the first
        XCTAssertEqual(chmod(path, 0o600), 0)
        hashing.noteAudited(path, opened: opened, ended: FileVersion(path: path))
        let evidence = try XCTUnwrap(hashing.wait()[path])
        XCTAssertNil(evidence.sha256)
        XCTAssertTrue(evidence.note?.contains("was written to, or its metadata changed while it was audited") == true,
                      evidence.note ?? "no note")
    }

    /// End to end: the command line's audit of a capture that is appended to while it is
    /// read says so instead of giving a hash; the capture left alone gets its hash.
    func testTheAuditOfACaptureBeingWrittenHasNoHash() throws {
        let growing = try scratch.file("growing.pcap", try manyWindowsCapture())
        let still = try bundledCopy("still.pcap")
        let started = DispatchSemaphore(value: 0), stop = DispatchSemaphore(value: 0), stopped = DispatchSemaphore(value: 0)
        let appender = Thread {
            // Appends a record every half millisecond until told to stop.
            let record = pcapRecord(Data(count: 60))
            var first = true
            while stop.wait(timeout: .now()) == .timedOut {
                if let handle = FileHandle(forWritingAtPath: growing) {
                    _ = try? handle.seekToEnd()
                    handle.write(record)
                    try? handle.close()
                }
                if first { started.signal(); first = false }
                usleep(500)
            }
            stopped.signal()
        }
        appender.start()
        started.wait()
        let auditor = Auditor(policy: Policy(offset: 2, mode: .cluster, coresPerNode: 2))
        let hashing = InputHashing(paths: [growing, still])
        _ = auditor.audit(paths: [growing, still], threads: 1, hashing: hashing)
        stop.signal()
        stopped.wait()
        let hashed = hashing.wait()
        XCTAssertNil(hashed[growing]?.sha256, "a file written to while it was read")
        XCTAssertTrue(hashed[growing]?.note?.contains("while it was audited") == true, hashed[growing]?.note ?? "no note")
        XCTAssertEqual(hashed[still]?.sha256?.count, 64)
        XCTAssertNil(hashed[still]?.note)
    }
}
