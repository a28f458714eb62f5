import Audit
import Foundation
import Policy
import Protocols
import XCTest

/// An `allow:` entry's protocol, the HTTP family and the snapshot length advice, on
/// captures/allowed-protocols-any.pcap (scripts/recording/record-allowed-protocols.sh):
/// PostgreSQL with TLS on 127.0.0.31:7711, TLS 1.3 on 127.0.0.32:7611, HTTP/2 by prior
/// knowledge on 127.0.0.33:8080, TLS 1.2 and 1.3 with 32-byte session ids on 9443 (IPv4
/// and IPv6), an h2c upgrade offer and HTTP/1.1 on 127.0.0.35:8080.
final class AllowedProtocolCaptureTests: XCTestCase {
    static let name = "allowed-protocols-any.pcap"

    func findings(_ policyText: String, path: String? = nil) throws -> [String] {
        let policy = try PolicyFile.parse(policyText, path: "p.yaml").makePolicy()
        return Auditor(policy: policy).audit(paths: [path ?? capture(Self.name)]).findings
            .filter { [.protocolMismatch, .plaintextOnTLSPort].contains($0.kind) }
            .map { "\($0.kind.rawValue) \($0.address ?? "-"):\($0.port ?? 0)" }.sorted()
    }

    /// Regression: `allow: {port: 7611, protocol: tls}` was ignored on the catalog's thrift
    /// port, and the TLS there stayed a protocol-mismatch.
    func testAnAllowedProtocolOverridesTheCatalogsOnItsPort() throws {
        XCTAssertTrue(try findings("offset: 0\n").contains("protocol-mismatch 127.0.0.32:7611"))
        let allowed = try findings("offset: 0\nallow:\n  - {port: 7611, protocol: tls, reason: thrift wrapped in TLS}\n")
        XCTAssertFalse(allowed.contains { $0.hasSuffix("127.0.0.32:7611") }, "\(allowed)")
        // Thrift on it is now plaintext on a TLS port, named as the policy's word.
        let thrift = Auditor(policy: try PolicyFile.parse("offset: 0\nallow:\n  - {port: 7611, protocol: thrift, reason: r}\n"
                                                            + "  - {port: 7711, protocol: postgresql, reason: r}\n", path: "p.yaml")
            .makePolicy()).audit(paths: [capture(Self.name)])
        XCTAssertEqual(thrift.findings.filter { $0.kind == .protocolMismatch }.map(\.message),
                       ["127.0.0.32:7611 is thrift.tcp.port, which speaks thrift, but carried 1 connection of tls"])
        XCTAssertFalse(thrift.findings.contains { $0.port == 7711 && $0.kind == .plaintextOnTLSPort }, "postgresql allowed on 7711")
        let tls = Auditor(policy: try PolicyFile.parse("offset: 0\nallow:\n  - {port: 8080, protocol: tls, reason: r}\n",
                                                         path: "p.yaml").makePolicy()).audit(paths: [capture(Self.name)])
        XCTAssertTrue(tls.findings.contains { $0.message.hasPrefix("127.0.0.33:8080 is an allowed port, whose protocol is TLS") })
    }

    /// The result records each allowed port's protocol, and the policy read back from it
    /// (what `merge` audits under) has it: before, TLS on the thrift port allowed as `tls`
    /// would have been a protocol-mismatch again once merged.
    func testTheResultRecordsTheAllowedProtocolForMerge() throws {
        let policy = try PolicyFile.parse("offset: 0\nallow:\n  - {port: 7611, protocol: tls, reason: r}\n  - {port: 22, reason: s}\n",
                                          path: "p.yaml").makePolicy()
        let result = Auditor(policy: policy).audit(paths: [capture(Self.name)])
        let json = try ResultCoding.encoder().encode(result)
        XCTAssertTrue(String(decoding: json, as: UTF8.self).contains("\"protocol\":\"tls\"") || String(decoding: json, as: UTF8.self).contains("\"protocol\" : \"tls\""))
        let decoded = try AuditResult.decode(from: json)
        XCTAssertEqual(decoded.policy.allowedPorts.map(\.protocol), [nil, "tls"])
        let rebuilt = try AuditResult.sharedPolicy(of: [decoded], names: ["a.json"])
        XCTAssertEqual(rebuilt.allowedProtocols, [7611: .tls])
        XCTAssertFalse(Auditor(policy: rebuilt).audit(paths: [capture(Self.name)]).findings.contains { $0.port == 7611 })
    }

    /// Regression: a port allowed as `http2` flagged HTTP/1.1, h2c upgrade offer included,
    /// as protocol-mismatch, while `http2` on an `http` port passed. One family both ways.
    func testHTTPAndHTTP2AreOneFamilyBothWays() throws {
        for declared in ["http", "http2"] {
            let text = "offset: 0\nallow:\n  - {port: 8080, protocol: \(declared), reason: the web proxy}\n"
            XCTAssertEqual(try findings(text).filter { $0.hasSuffix(":8080") }, [], declared)
        }
        XCTAssertEqual(try findings("offset: 0\nallow:\n  - {port: 8080, protocol: thrift, reason: r}\n").filter { $0.hasSuffix(":8080") },
                       ["protocol-mismatch 127.0.0.33:8080", "protocol-mismatch 127.0.0.35:8080"])
    }

    /// Regression: psql's SSLRequest (sslmode=require) on the thrift SSL port was reported
    /// as "postgresql in the clear", though TLS followed inside the protocol.
    func testPostgreSQLOnATLSPortSaysTLSMayFollowInsideItsProtocol() throws {
        let result = Auditor(policy: Policy(offset: 0)).audit(paths: [capture(Self.name)])
        let messages = result.findings.filter { $0.kind == .plaintextOnTLSPort }.map(\.message)
        XCTAssertEqual(messages, ["127.0.0.31:7711 is thrift.ssl.port, whose protocol is TLS, but carried 2 connections of "
            + "postgresql that began in the clear; postgresql can turn to TLS inside its own protocol (PostgreSQL's SSLRequest, "
            + "answered 'S'), so these sessions may have gone on encrypted, but not from the first byte"])
    }

    /// The README's tcpdump commands keep every TLS version: the version of a hello saying
    /// 1.2 is in its cipher suite, payload bytes 76-77 after a 32-byte session id, so 150
    /// bytes at `-i any` over IPv4 and 170 over IPv6. Regression: the README said `-s 128`,
    /// which lost all three here (and 11 of 21 in an Ethernet capture).
    func testTheREADMEsSnapshotLengthKeepsEveryTLSVersion() throws {
        let repository = capturesDirectory.deletingLastPathComponent()
        let readme = try ["README.md", "docs/install.md", "docs/inputs.md"].map {
            try String(contentsOf: repository.appendingPathComponent($0), encoding: .utf8)
        }.joined(separator: "\n")
        let lengths = Set(readme.split(separator: "\n").filter { $0.contains("tcpdump -i") && $0.contains(" -s ") }.compactMap { line in
            line.split(separator: " ").drop { $0 != "-s" }.dropFirst().first.flatMap { Int($0) }
        })
        XCTAssertFalse(lengths.isEmpty)
        func versions(cutTo snaplen: Int) throws -> [String: [String]] {
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("allowed-s\(snaplen)-\(UUID()).pcap")
            defer { try? FileManager.default.removeItem(at: path) }
            try Self.cut(Data(contentsOf: URL(fileURLWithPath: capture(Self.name))), to: snaplen).write(to: path)
            return Auditor(policy: Policy(offset: 0)).audit(paths: [path.path]).servicesByEndpoint
                .filter { $0.value.protocol == "tls" }.mapValues { $0.tlsVersions ?? [] }
        }
        let whole = ["127.0.0.32:7611": ["1.3"], "127.0.0.34:9443": ["1.2"], "::1:9443": ["1.3"]]
        for snaplen in lengths { XCTAssertEqual(try versions(cutTo: snaplen), whole, "-s \(snaplen)") }
        XCTAssertEqual(try versions(cutTo: 170), whole)
        XCTAssertEqual(try versions(cutTo: 169)["::1:9443"], [], "IPv6 at -i any needs 170")
        XCTAssertEqual(try versions(cutTo: 150)["127.0.0.34:9443"], ["1.2"])
        XCTAssertEqual(try versions(cutTo: 149)["127.0.0.34:9443"], [], "IPv4 at -i any needs 150")
        XCTAssertEqual(try versions(cutTo: 128), ["127.0.0.32:7611": [], "127.0.0.34:9443": [], "::1:9443": []])
    }

    /// Regression: `--allow 22:a --allow 22:b` kept the last silently, as the file did.
    func testAPortGivenTwiceToAllowIsAnError() throws {
        let run = try runDasaudit(["ports", "--allow", "22:a", "--allow", "22:b"])
        XCTAssertEqual(run.status, 2)
        XCTAssertEqual(run.stderr, "dasaudit: error: --allow: port 22 is allowed twice, by 'a' (no protocol) and by 'b' "
            + "(no protocol); a port takes one --allow\n")
    }

    /// A pcap (microseconds, little-endian, as tcpdump writes) with every record cut to
    /// `snaplen` bytes, as `editcap -s` or `tcpdump -s` would have kept it.
    static func cut(_ data: Data, to snaplen: Int) -> Data {
        let bytes = [UInt8](data)
        func uint32(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 | Int(bytes[at + 2]) << 16 | Int(bytes[at + 3]) << 24 }
        var out = Array(bytes[0..<24])
        withUnsafeBytes(of: UInt32(snaplen).littleEndian) { out.replaceSubrange(16..<20, with: $0) }
        var offset = 24
        while offset + 16 <= bytes.count {
            let included = uint32(offset + 8), kept = min(included, snaplen)
            out += bytes[offset..<offset + 8]
            withUnsafeBytes(of: UInt32(kept).littleEndian) { out += $0 }
            out += bytes[offset + 12..<offset + 16]
            out += bytes[offset + 16..<offset + 16 + kept]
            offset += 16 + included
        }
        return Data(out)
    }
}
