import Audit
import CaptureEngine
import Flows
import Foundation
import FuzzSupport
import PcapKit
import Policy
import Reports

/// The libFuzzer entry point over a whole capture input: each fuzz input is one file as a
/// user would hand it to `dasaudit audit` (pcap, pcapng, or either compressed), read the way
/// the audit reads it: `CaptureStream` sniffs and decompresses it (`InputKind`,
/// `Decompressor`), libpcap parses it, and each packet goes through `PacketDecoder` into the
/// flow table (`CaptureReader`). The audit's end stage (`Auditor.audit`) then runs over the
/// connections, so the timestamp arithmetic of the coverage and the findings sees every
/// hostile time libpcap can hand over.
///
/// It checks more than "does not crash": a classic pcap file's records, which dasaudit reads
/// itself, are the ones libpcap reads, and the evidence hash they feed is the file's; the same bytes read as a file (plain loop) and from
/// a pipe (the prefix replay, pipelined tracking on a second thread; one input in 16) give
/// the same result;
/// the audit of the evicting table's statistics equals the audit of its connections; and
/// the JSON result reads back (`dasaudit merge` and `render` take what `audit` wrote).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCaptureInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    let file = CaptureFuzzing.scratch.write(bytes, to: "capture.pcap")
    CaptureFuzzing.requireRecordsReadAlike(file)
    CaptureFuzzing.requireInterfacesAsFollowed(file, bytes: bytes)
    var fromFile = CaptureReader(rules: CaptureFuzzing.auditor.directionRules, keepingConnections: true)
    let hashing = InputHashing(paths: [file])
    fromFile.hashing = hashing
    fromFile.read(path: file)
    // A pcap file read in place fed its own hash; anything else was read for it.
    let (fed, reference) = (hashing.wait()[file], Evidence.InputEvidence(hashing: file))
    require(fed?.sha256 == reference.sha256 && fed?.sizeBytes == reference.sizeBytes,
            "the hash of the bytes read differs from the file's: \(String(describing: fed?.sha256)), \(String(describing: reference.sha256))")
    let result = CaptureFuzzing.audit(fromFile, path: file)
    do {
        let reread = try JSONReport.render(try JSONReport.parse(Data(result.utf8)))
        require(reread == result, "the JSON result changed when read back:\n\(result)\n\(reread)")
    } catch {
        fatalError("the JSON result of a capture does not read back: \(error)\n\(result)")
    }

    // A pcapng's recorded drops, too, are the same from a pipe (`PcapngBlockTap`).
    guard CaptureFuzzing.alsoFromPipe(bytes) else { return 0 }
    guard let pipe = ScratchPipe(bytes) else { preconditionFailure("fuzz harness: no pipe for \(size) bytes") }
    var fromPipe = CaptureReader(rules: CaptureFuzzing.auditor.directionRules, keepingConnections: true)
    fromPipe.pipelined = true
    fromPipe.read(path: pipe.path)
    let pipeResult = CaptureFuzzing.audit(fromPipe, path: pipe.path)
    require(CaptureFuzzing.withoutDecompressorComplaints(result) == CaptureFuzzing.withoutDecompressorComplaints(pipeResult),
            "a file and a pipe of the same bytes gave different results:\n\(result)\n\(pipeResult)")
    return 0
}

/// What every input of the capture target shares.
enum CaptureFuzzing {
    /// dasaudit's reading of a pcap file's records or a pcapng file's packet blocks
    /// (`readPcapRecords`, `readPcapngRecords`) hands over what libpcap's does, packet for
    /// packet, and ends the same way.
    static func requireRecordsReadAlike(_ path: String) {
        // Other inputs (compressed, the modified format, ...) are libpcap's either way.
        guard let inPlace = try? CaptureFile(path: path), inPlace.readsRecordsInPlace else { return }
        guard let byLibpcap = try? CaptureFile(path: path, records: .libpcap) else {
            fatalError("a capture opened for reading in place was refused by libpcap")
        }
        let (expected, found) = (byLibpcap.recordDigest(), inPlace.recordDigest())
        require(found == expected, "the records read in place differ from libpcap's: \(found), libpcap: \(expected)")
    }

    /// The interface each packet of a pcapng read in place names is the one the tap of a
    /// piped or compressed stream finds in the same bytes (`PcapngBlockFollower`), packet
    /// for packet, up to where libpcap takes the file over (its packets name none).
    static func requireInterfacesAsFollowed(_ path: String, bytes: UnsafeRawBufferPointer) {
        guard let file = try? CaptureFile(path: path), file.readsRecordsInPlace, file.isPcapng else { return }
        var follower = PcapngBlockFollower()
        follower.follow(bytes)
        _ = file.forEachPacket { header, _ in
            let followed = follower.interfaceOfNextPacket()
            guard let interface = header.interface else { return }
            require(followed == interface, "packet \(file.packetsRead): interface \(interface) read in place, "
                + "\(String(describing: followed)) followed")
        }
    }

    // nonisolated(unsafe): libFuzzer runs one input at a time, on one thread.
    nonisolated(unsafe) static let scratch = ScratchDirectory()

    /// Whether this input is also read from a pipe, pipelined: one input in 16, picked by its
    /// bytes (so a crash reproduces). That read starts two threads (the prefix replay, the
    /// tracking thread), whose start and hand-overs cost milliseconds on a loaded machine,
    /// against tens of microseconds for the rest of an input; done for every input, it
    /// would slow the fuzzing down a hundredfold.
    static func alsoFromPipe(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var hash: UInt32 = 2_166_136_261  // FNV-1a
        for byte in bytes { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        return hash % 16 == 0
    }

    /// A cluster policy with nodes, roles, an allowed port and waivers, so classification,
    /// node roles and waivers all take part; the day is pinned so results never depend on
    /// the date.
    nonisolated(unsafe) static let auditor: Auditor = {
        var settings = PolicySettings()
        settings.profile = "das-3.1"
        settings.offset = 2
        settings.mode = .cluster
        settings.cores = 2
        settings.allowedPorts = [22: "operator ssh"]
        settings.nodes = [
            Node(name: "das1", addresses: [AddressPattern("127.0.0.1")!], roles: [.master, .driver, .receiver]),
            Node(name: "das2", addresses: [AddressPattern("127.0.0.2")!, AddressPattern("fe80::/10")!], roles: [.worker]),
        ]
        settings.waivers = [
            Waiver(kind: "unexpected-port", port: 31337, host: "das1", reason: "fuzz", expires: Day(year: 2026, month: 1, day: 1)),
            Waiver(kind: "unused-opening", reason: "fuzz", expires: Day(year: 2099, month: 12, day: 31)),
        ]
        return Auditor(policy: try! settings.makePolicy(), toolVersion: "fuzz", today: Day(year: 2026, month: 6, day: 1))
    }()

    /// `json` without what a decompressor said on its way out (`; gzip says: ...`). When
    /// libpcap gives up on a compressed capture before its end, the decompressor is stopped,
    /// and whether it had already complained (a CRC error found at the end of its input)
    /// depends on timing: the same input may or may not carry the complaint (Fuzz/README.md).
    static func withoutDecompressorComplaints(_ json: String) -> String {
        var text = Substring(json)
        var kept = ""
        while let says = text.range(of: " says: ") {
            // Back to the "; " before the tool's name, on to the ")" that closes the note.
            guard let start = text[..<says.lowerBound].range(of: "; ", options: .backwards) else { break }
            let end = text[says.upperBound...].firstIndex(where: { $0 == ")" || $0 == "\"" }) ?? text.endIndex
            kept += text[..<start.lowerBound]
            text = text[end...]
        }
        return kept + text
    }

    /// The JSON result of what `reader` read, with the input's path written as `capture`
    /// (a file and a pipe differ only there), after checking that auditing the table's
    /// service statistics and auditing its connections one by one agree.
    static func audit(_ reader: CaptureReader, path: String) -> String {
        let inputs = reader.inputs.map { input in
            var input = input
            input.path = "capture"
            input.error = input.error?.replacingOccurrences(of: path, with: "capture")
            return input
        }
        // As the audit takes them: unanswered connects of the capture's last seconds are
        // cut by its end (`AttemptsCutByEnd`), which the audit of connections works out too.
        var table = reader.table
        var result = auditor.audit(table.takeStatistics(cuttingAttemptsAt: AttemptsCutByEnd.ends(of: inputs)), inputs: inputs)
        let connections = reader.table.connections()
        // What the capture lost is no connection of the list (the bytes are counted as the
        // table tracks, `CaptureLoss`): handed over, as a merge hands over its sources'.
        let loss = result.coverage.missedBytes.map {
            CaptureLoss(connections: result.coverage.connectionsWithMissedData ?? 0, missedBytes: $0, payloadBytes: 0)
        }
        let byConnection = auditor.audit(connections, inputs: inputs, captureLoss: loss)
        result.connections = connections.map(ConnectionEntry.init)
        do {
            var withConnections = byConnection
            withConnections.connections = result.connections
            let json = try JSONReport.render(result)
            let jsonByConnection = try JSONReport.render(withConnections)
            require(json == jsonByConnection, "the statistics and the connections give different audits:\n\(json)\n\(jsonByConnection)")
            return json
        } catch {
            fatalError("a capture's result cannot be written as JSON: \(error)")
        }
    }
}
