import Foundation
@testable import PcapKit
import XCTest

/// A scratch directory for one test, removed afterwards: when the last reference goes, or,
/// for one a test case keeps as a property, when the test ends (`XCTestCase.scratchDirectory`).
final class ScratchDirectory {
    let url: URL
    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("dasaudit-inputs-\(UUID())")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    deinit { remove() }

    func remove() { try? FileManager.default.removeItem(at: url) }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    /// Writes `contents` to `name` and returns its path.
    @discardableResult
    func file(_ name: String, _ contents: Data) throws -> String {
        let path = self.path(name)
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try contents.write(to: URL(fileURLWithPath: path))
        return path
    }
}

extension XCTestCase {
    /// A scratch directory removed when the current test ends. XCTest keeps every test
    /// case, and so its properties, until the whole run ends, so a property's directory
    /// would otherwise be left behind in the temporary directory, one per test.
    func scratchDirectory() throws -> ScratchDirectory {
        let scratch = try ScratchDirectory()
        addTeardownBlock { scratch.remove() }
        return scratch
    }
}

/// Runs `executable` with `arguments`, its standard output into `outputPath` if given
/// (else captured), and waits for it; after `timeout` seconds it is terminated (a hang
/// then fails the test that ran it instead of holding the whole suite).
func runProcess(_ executable: String, _ arguments: [String], stdout outputPath: String? = nil,
                timeout: TimeInterval = 120) throws -> CommandResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let out = Pipe(), err = Pipe()
    if let outputPath {
        try FileManager.default.createDirectory(atPath: (outputPath as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: outputPath, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
    } else {
        process.standardOutput = out
    }
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    DispatchQueue.global().asyncAfter(deadline: .now() + timeout) { [process] in
        if process.isRunning { process.terminate() }
    }
    let output = outputPath == nil ? out.fileHandleForReading.readDataToEndOfFile() : Data()
    let errors = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return CommandResult(status: process.terminationStatus, stdout: String(decoding: output, as: UTF8.self),
                         stderr: String(decoding: errors, as: UTF8.self))
}

/// Runs a real tool (editcap, tcprewrite, gzip, ...) found on PATH; fails the test with the
/// tool's own message when it fails. `scripts/setup.sh` installs every tool used here.
@discardableResult
func runTool(_ tool: String, _ arguments: [String], stdout outputPath: String? = nil,
             file: StaticString = #filePath, line: UInt = #line) throws -> String {
    let run = try runProcess("/usr/bin/env", [tool] + arguments, stdout: outputPath)
    guard run.status == 0 else {
        XCTFail("\(tool) \(arguments.joined(separator: " ")) failed (\(run.status)): \(run.stderr)"
                + (run.status == 127 ? " — run scripts/setup.sh" : ""), file: file, line: line)
        throw CocoaError(.executableLoad)
    }
    return run.stdout
}

/// `dasaudit flows` over `inputs` as NDJSON lines; fails the test unless it exits 0.
func flows(_ inputs: [String], _ extra: [String] = [], stdin: Data? = nil,
           file: StaticString = #filePath, line: UInt = #line) throws -> [String] {
    let run = try runDasaudit(["flows"] + inputs + extra, stdin: stdin)
    XCTAssertEqual(run.status, 0, run.stderr, file: file, line: line)
    return run.stdout.split(separator: "\n").map(String.init)
}

/// One NDJSON record of `dasaudit flows` as a dictionary.
func record(_ line: String) -> [String: Any] {
    (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] ?? [:]
}

/// Reads the capture at `path` with libpcap and as dasaudit reads it (in place where it
/// can) and checks they agree; that dasaudit started in place (unless `inPlace` is nil) and
/// whether it handed a pcapng back to libpcap on the way (unless `handsBack` is nil).
/// Returns what was read, nil when libpcap refused the file (and so did dasaudit).
@discardableResult
func assertReadsAsLibpcap(_ path: String, inPlace: Bool?, handsBack: Bool? = nil, _ context: @autoclosure () -> String,
                          file: StaticString = #filePath, line: UInt = #line) throws -> RecordDigest? {
    let byLibpcap: CaptureFile
    do {
        byLibpcap = try CaptureFile(path: path, records: .libpcap)
    } catch {
        XCTAssertThrowsError(try CaptureFile(path: path), "libpcap refused it: \(error)", file: file, line: line)
        return nil
    }
    let byDasaudit = try CaptureFile(path: path)
    if let inPlace { XCTAssertEqual(byDasaudit.readsRecordsInPlace, inPlace, context(), file: file, line: line) }
    XCTAssertFalse(byLibpcap.readsRecordsInPlace, file: file, line: line)
    let expected = byLibpcap.recordDigest()
    XCTAssertEqual(byDasaudit.recordDigest(), expected, context(), file: file, line: line)
    if let handsBack {
        XCTAssertEqual(!byDasaudit.readsRecordsInPlace, handsBack, "handed back: \(context())", file: file, line: line)
    }
    return expected
}

/// The bytes of a pcap file.
func contents(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

/// A pcap file header (little-endian, microseconds unless `magic` says otherwise).
func pcapHeader(snaplen: UInt32 = 262_144, linkType: UInt32 = 1, magic: UInt32 = 0xA1B2_C3D4,
                major: UInt16 = 2, minor: UInt16 = 4) -> Data {
    var data = Data()
    data.appendLittleEndian(magic)
    data.appendLittleEndian(major)
    data.appendLittleEndian(minor)
    data.appendLittleEndian(UInt32(0))
    data.appendLittleEndian(UInt32(0))
    data.appendLittleEndian(snaplen)
    data.appendLittleEndian(linkType)
    return data
}

/// A pcap record: its header (with `caplen` and `length` as given, even if they lie) and `bytes`.
func pcapRecord(_ bytes: Data, caplen: UInt32? = nil, length: UInt32? = nil, seconds: UInt32 = 1_700_000_000) -> Data {
    var data = Data()
    data.appendLittleEndian(seconds)
    data.appendLittleEndian(UInt32(0))
    data.appendLittleEndian(caplen ?? UInt32(bytes.count))
    data.appendLittleEndian(length ?? UInt32(bytes.count))
    return data + bytes
}

/// The records of a little-endian pcap file: (header fields, packet bytes).
func pcapRecords(_ file: Data) -> [(seconds: UInt32, fraction: UInt32, length: UInt32, bytes: Data)] {
    var records: [(UInt32, UInt32, UInt32, Data)] = []
    var offset = 24
    let bytes = [UInt8](file)
    func word(_ at: Int) -> UInt32 { bytes[at..<at + 4].reversed().reduce(0) { $0 << 8 | UInt32($1) } }
    while offset + 16 <= bytes.count {
        let caplen = Int(word(offset + 8))
        records.append((word(offset), word(offset + 4), word(offset + 12), Data(bytes[offset + 16..<offset + 16 + caplen])))
        offset += 16 + caplen
    }
    return records
}

extension Data {
    mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }

    mutating func appendBigEndian<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.bigEndian) { append(contentsOf: $0) }
    }
}

/// Makes a FIFO at `path` and writes `bytes` into it from a thread of its own, as
/// `tcpdump -w - |` would: whoever opens the FIFO to read gets them, then its end.
func fifo(at path: String, carrying bytes: Data, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(mkfifo(path, 0o600), 0, "mkfifo \(path)", file: file, line: line)
    Thread {
        let handle = FileHandle(forWritingAtPath: path)!
        handle.write(bytes)
        try? handle.close()
    }.start()
}

/// The interface each packet of `file` names, read as dasaudit reads it.
func interfaceNumbers(of file: CaptureFile) -> [UInt32?] {
    var interfaces: [UInt32?] = []
    _ = file.forEachPacket { header, _ in interfaces.append(header.interface) }
    return interfaces
}
