import Audit
import Flows
import Foundation
import Policy
import Reports
import Wire
import XCTest

/// The streamed JSON report is what JSONEncoder writes for the whole result
/// (`ResultCoding.encoder()`), byte for byte: the oracle stays here for good, so a field
/// added to the model and missed by the hand-written lists fails these tests.
final class JSONStreamingTests: XCTestCase {
    /// JSONEncoder's bytes for `result`, as the JSON report was written before streaming,
    /// with the characters JSON lets through raw escaped as every JSON output escapes them.
    private func encoded(_ result: AuditResult) throws -> String {
        String(decoding: JSONInvisibles.escaped(try ResultCoding.encoder().encode(result)), as: UTF8.self) + "\n"
    }

    private func assertStreamedEqualsEncoded(_ result: AuditResult, _ label: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let streamed = try JSONReport.render(result), expected = try encoded(result)
        guard streamed != expected else { return }
        let common = zip(streamed.utf8, expected.utf8).prefix { $0 == $1 }.count
        XCTFail("\(label): streamed JSON differs from JSONEncoder's at byte \(common): "
                + "\(String(decoding: Array(streamed.utf8.dropFirst(max(0, common - 80)).prefix(160)), as: UTF8.self))",
                file: file, line: line)
    }

    /// A real result with an element in every list: the scan capture's (scans, services,
    /// connections), with the attempts, unresolved connections, unused openings and waived
    /// findings of other bundled captures.
    private func richResult() throws -> AuditResult {
        var result = try BundledCaptureReports.result(of: "scan-syn-connect-lo.pcap")
        let others = try BundledCaptureReports.captureNames.map(BundledCaptureReports.result(of:)) + [try auditedCluster()]
        result.attempts += others.flatMap(\.attempts).prefix(3)
        result.unresolved += others.flatMap(\.unresolved).prefix(3) + unresolvedConnections()
        result.unusedOpenings += others.flatMap(\.unusedOpenings).prefix(3)
        result.findings += others.flatMap(\.findings).filter(\.isWaived).prefix(3)
        XCTAssertFalse(result.services.isEmpty || result.attempts.isEmpty || (result.scans ?? []).isEmpty
                       || (result.connections ?? []).isEmpty || result.unresolved.isEmpty || result.unusedOpenings.isEmpty)
        XCTAssertTrue(result.findings.contains(where: \.isWaived))
        return result
    }

    /// Connections no rule can orient: data between two ephemeral ports, no handshake seen.
    private func unresolvedConnections() -> [UnresolvedConnection] {
        var table = FlowTable()
        for index in 0..<3 {
            let segment = TCPSegment(source: IPAddress("10.0.0.1")!, destination: IPAddress("10.0.0.2")!,
                                     sourcePort: UInt16(50_000 + index), destinationPort: 60_000, flags: [.ack, .psh], payloadLength: 10)
            table.add(segment, timestamp: 1_790_000_000_000_000_000 + Int64(index), wireLength: 76)
        }
        let auditor = Auditor(policy: Policy(offset: 2, mode: .cluster, coresPerNode: 2))
        return auditor.audit(table.finish(rules: auditor.directionRules), inputs: []).unresolved
    }

    func testEveryBundledCaptureStreamsAsJSONEncoderWritesIt() throws {
        for name in BundledCaptureReports.captureNames {
            try assertStreamedEqualsEncoded(try BundledCaptureReports.result(of: name), name)
        }
        try assertStreamedEqualsEncoded(try auditedCluster(), "cluster with waivers")
        try assertStreamedEqualsEncoded(try liveLikeResult(), "live-like")
        try assertStreamedEqualsEncoded(syntheticAudit(services: 300), "synthetic")
    }

    /// Every string the lists carry, and dictionary keys, made of what escaping must get
    /// right: every control character, DEL, quotes, backslashes, slashes, `</script>`,
    /// non-BMP and combining characters, C1 and bidirectional controls and their
    /// neighbours, U+FFFD from invalid UTF-8, keys that sort
    /// differently by bytes than by letters; plus a string longer than the sink's buffer.
    func testHostileStringsStreamAsJSONEncoderWritesThem() throws {
        let controls = String((UInt32(0)...UInt32(0x1F)).map { Character(Unicode.Scalar($0)!) }) + "\u{7F}"
        let invalid = String(decoding: [0xFF, 0x41, 0xC3, 0x28, 0xED, 0xA0, 0x80, 0xF4, 0x90, 0x80, 0x80], as: UTF8.self)
        let hostile = [
            controls, "quote \" backslash \\ slash / \\/ \\u0041", "</script><script>alert(1)</script>",
            "😀 𝄞 e\u{301} \u{200B}\u{FEFF}\u{2028}\u{2029}", invalid, "", " ", "Ünïcödé ключ 鍵",
            "C1 \u{80}\u{85}\u{9B}31m\u{9F}\u{A0}é bidi \u{61C}\u{200E}\u{200F}\u{202A}\u{202E}\u{2066}\u{2069}\u{206A} \u{2027}\u{202F}",
            String(repeating: "x\"\n", count: 40_000),
        ]
        var result = try richResult()
        for (index, text) in hostile.enumerated() {
            var service = result.services[index % result.services.count]
            service.address = text; service.node = text; service.catalogKey = text; service.hint = text
            service.alsoCatalogKeys = [text, text]; service.sampleClients = [text]; service.dependency = text
            service.protocol = text; service.tlsVersions = [text]
            let keys = [text, "B", "a", "_", "é", "10", "9", "", "a\u{0}"]
            service.protocols = Dictionary(uniqueKeysWithValues: Set(keys).map { ($0, UInt64($0.utf8.count)) })
            service.states = service.protocols!
            service.directionBasis = [text: 1]
            result.services.append(service)

            var attempt = result.attempts[0]
            attempt.address = text; attempt.catalogKey = text
            result.attempts.append(attempt)
            var finding = result.findings.last!
            finding.message = text; finding.remediation = text; finding.address = text; finding.node = text
            finding.waiver?.reason = text; finding.waiver?.expires = text
            result.findings.append(finding)
            var opening = result.unusedOpenings[0]
            opening.catalogKey = text; opening.group = text; opening.summary = text; opening.node = text; opening.feature = text
            result.unusedOpenings.append(opening)
            var scan = result.scans![0]
            scan.scanner = text; scan.targets = [text]; scan.portRanges = text; scan.openPorts = [text]
            result.scans!.append(scan)
            var entry = result.connections![0]
            entry.client = text; entry.server = text; entry.protocol = text; entry.tlsVersion = text; entry.capturePoint = text
            result.connections!.append(entry)
            var unresolved = result.unresolved[0]
            unresolved.addressA = text; unresolved.addressB = text
            result.unresolved.append(unresolved)
            result.policy.profile = text
            result.evidence?.commandLine.append(text)
        }
        try assertStreamedEqualsEncoded(result, "hostile strings")
    }

    /// The largest numbers each field holds, and the smallest, and times at both ends of
    /// what 64-bit nanoseconds hold.
    func testExtremeNumbersStreamAsJSONEncoderWritesThem() throws {
        var result = try richResult()
        for extreme in [UInt64.max, 0] {
            let port: UInt16 = extreme == 0 ? 0 : .max, count = extreme == 0 ? Int.min : Int.max
            let time = Timestamp(nanoseconds: extreme == 0 ? .min : .max)
            var service = result.services[0]
            service.port = port; service.connections = extreme; service.packets = extreme; service.bytes = extreme
            service.payloadBytes = extreme; service.clients = count; service.states = ["x": extreme]
            service.firstSeen = time; service.lastSeen = time; service.protocols = nil; service.tlsVersions = nil
            result.services.append(service)
            var attempt = result.attempts[0]
            attempt.port = port; attempt.refused = extreme; attempt.unanswered = extreme; attempt.clients = count
            attempt.firstSeen = time
            result.attempts.append(attempt)
            var scan = result.scans![0]
            scan.ports = count; scan.probes = count; scan.refused = extreme; scan.unanswered = extreme; scan.lastSeen = time
            result.scans!.append(scan)
            var entry = result.connections![0]
            entry.clientPort = port; entry.serverPort = port; entry.vlan = port; entry.packetsToServer = extreme
            entry.packetsToClient = extreme; entry.bytesToServer = extreme; entry.bytesToClient = extreme
            entry.payloadBytesToServer = extreme; entry.payloadBytesToClient = extreme; entry.firstSeen = time
            entry.clientIsn = extreme == 0 ? 0 : .max; entry.ending = extreme == 0 ? nil : .reset
            result.connections!.append(entry)
            var finding = result.findings[0]
            finding.port = port
            result.findings.append(finding)
            result.coverage.packets = extreme
            result.coverage.durationSeconds = extreme == 0 ? -.infinity : Double(extreme)
        }
        // Times around second boundaries, on both sides of 1970, in and out of runs of one second.
        for nanoseconds: Int64 in [-1_000_000_001, -1_000_000_000, -1, 0, 1, 999_999_999, 1_000_000_000, 1_000_000_000, 86_399_999_999_999,
                                   1_790_000_000_123_456_789, 1_790_000_000_999_999_999, 1_790_000_001_000_000_000, .max - 1] {
            var entry = result.connections![0]
            entry.firstSeen = Timestamp(nanoseconds: nanoseconds)
            entry.lastSeen = Timestamp(nanoseconds: nanoseconds)
            result.connections!.append(entry)
        }
        try assertStreamedEqualsEncoded(result, "extreme numbers")
    }

    /// Times written digit by digit are `Timestamp`'s own text: random times from 1970 to
    /// the end of 64-bit nanoseconds, the last instant of each day and of leap days, and
    /// times before 1970 (written from `description`).
    func testTimesStreamAsTimestampEncodesThem() throws {
        var result = try richResult()
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        var times: [Int64] = (0..<2_000).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int64(bitPattern: state >> 1)
        }
        let day: Int64 = 86_400_000_000_000
        // 2000-02-29 (a leap day of a century), 2100-02-28 (no leap day), 2024-12-31, 1970-01-01.
        for midnight: Int64 in [951_782_400, 4_107_456_000, 1_735_603_200, 0] {
            times += [midnight * 1_000_000_000, midnight * 1_000_000_000 + day - 1]
        }
        times += [-1, -day, .min]
        for nanoseconds in times {
            var entry = result.connections![0]
            entry.firstSeen = Timestamp(nanoseconds: nanoseconds)
            entry.lastSeen = Timestamp(nanoseconds: nanoseconds / 2)
            result.connections!.append(entry)
        }
        try assertStreamedEqualsEncoded(result, "random times")
    }

    /// A result with every list empty, and with the optional lists absent (null) or empty.
    func testEmptyResultsStreamAsJSONEncoderWritesThem() throws {
        var result = try BundledCaptureReports.result(of: "das-postgres-lo.pcap")
        result.services = []; result.attempts = []; result.unresolved = []; result.unusedOpenings = []; result.findings = []
        result.policy.nodes = []; result.policy.waivers = []; result.inputs = []
        for (scans, connections) in [([PortScanSummary]?.none, [ConnectionEntry]?.none), ([], []), (nil, []), ([], nil)] {
            result.scans = scans
            result.connections = connections
            try assertStreamedEqualsEncoded(result, "empty, scans \(String(describing: scans)), connections \(String(describing: connections))")
            result.evidence = nil
        }
    }

    /// The JSON is written while it is produced: a large result reaches the destination in
    /// many buffer-sized pieces, never one string of it.
    func testLargeResultReachesTheDestinationInBufferSizedPieces() throws {
        let result = syntheticAudit(services: 3_000)
        var pieces: [Int] = []
        let sink = ByteSink { pieces.append($0.count) }
        try JSONReport.write(result, to: sink)
        try sink.finish()
        let total = try JSONReport.render(result).utf8.count
        XCTAssertEqual(pieces.reduce(0, +), total)
        XCTAssertGreaterThan(pieces.count, total / ByteSink.capacity)
        XCTAssertLessThanOrEqual(pieces.max() ?? 0, ByteSink.capacity)
    }
}

extension JSONStreamingTests {
    /// The escaper skips eight plain bytes at a time: every character it must escape (and
    /// the plain ones next to them) at every place of an eight-byte word, and across two.
    func testEveryEscapeAtEveryPlaceOfAWordStreamsAsJSONEncoderWritesIt() throws {
        let edges: [Unicode.Scalar] = (0...0x21).map { Unicode.Scalar(UInt8($0)) }
            + ["\"", "#", "[", "\\", "]", "~", "\u{7F}", "\u{80}", "\u{85}", "\u{9F}", "\u{A0}", "é", "\u{200B}",
               "\u{2028}", "\u{202E}", "\u{FEFF}", "😀", "\u{E0041}"]
        var result = try richResult()
        let template = result.services[0]
        for scalar in edges {
            for place in 0..<17 {
                var text = String(repeating: "a", count: place)
                text.unicodeScalars.append(scalar)
                text += String(repeating: "z", count: 17 - place)
                var service = template
                service.hint = text
                result.services.append(service)
            }
        }
        try assertStreamedEqualsEncoded(result, "an escape at every place of a word")
    }
}
