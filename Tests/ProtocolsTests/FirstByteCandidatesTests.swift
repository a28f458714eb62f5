@testable import Protocols
import TestSupport
import XCTest

/// The recognizers picked by a side's first byte (`FirstByteCandidates`) give the answer
/// that trying every recognizer gives (the `recognize` helper checks that on every call),
/// and pick few.
final class FirstByteCandidatesTests: XCTestCase {
    /// Real samples with the bytes after their first changed at random, cut at random
    /// lengths, sides swapped or one of them silent, from the start or not, and wholly
    /// random bytes: 120,000 inputs, each held to the answer with every recognizer tried.
    func testMutatedAndRandomBytesGetTheAnswerOfEveryRecognizer() {
        var random = SplitMix64(seed: 0x5EED_F1F5)
        let samples = RealSamples.all
        var recognized = 0
        for round in 0..<120_000 {
            var client: [UInt8], server: [UInt8]
            if round % 3 == 2 {
                client = (0..<random.below(48)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
                server = (0..<random.below(48)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            } else {
                let sample = samples[random.below(samples.count)]
                (client, server) = round % 3 == 0 ? (sample.client, sample.server) : (sample.server, sample.client)
                for _ in 0..<random.below(4) { mutate(&client, &random) }
                for _ in 0..<random.below(4) { mutate(&server, &random) }
                // One side alone: what it says is then the answer, with nothing to cover for it.
                switch random.below(4) {
                case 0: client = []
                case 1: server = []
                default: break
                }
            }
            let clientKept = random.below(client.count + 1), serverKept = random.below(server.count + 1)
            let answer = recognize(client: Array(client.prefix(clientKept)), server: Array(server.prefix(serverKept)),
                                   clientSent: !client.isEmpty, serverSent: !server.isEmpty,
                                   clientCut: clientKept < client.count || random.below(8) == 0,
                                   serverCut: serverKept < server.count || random.below(8) == 0,
                                   fromStart: random.below(4) != 0)
            if answer.name.isRecognized { recognized += 1 }
        }
        // Enough of them name a protocol for the comparison to mean something.
        XCTAssertGreaterThan(recognized, 20_000)
    }

    /// A server's `H` (an HTTP response) leaves HTTP and none of the binary protocols, and
    /// a client's `G` (a GET) HTTP and the few whose first bytes are a length or a name that
    /// one byte cannot rule out; a first byte of zero (a length prefix) leaves those and no
    /// text protocol.
    func testTheFirstByteLeavesOnlyTheProtocolsThatMayBeginWithIt() {
        let table = FirstByteCandidates.table
        func candidates(_ byte: UInt8, asServer: Bool) -> Set<ProtocolName> {
            withUnsafeBytes(of: byte) { bytes in
                let side = PayloadBytes(UnsafeRawBufferPointer(rebasing: bytes[0..<1]))
                let bits = asServer ? table.recognizers(forServer: side) : table.recognizers(forClient: side)
                return Set(ProtocolName.allCases.filter { bits & SideRecognition.bit($0) != 0 })
            }
        }
        let response = candidates(UInt8(ascii: "H"), asServer: true)
        XCTAssertTrue(response.contains(.http))
        XCTAssertTrue(response.isDisjoint(with: [.tls, .thrift, .sparkRPC, .akka, .jrmi, .ssh, .ldap]), "\(response)")
        let get = candidates(UInt8(ascii: "G"), asServer: false)
        XCTAssertTrue(get.contains(.http))
        XCTAssertTrue(get.isDisjoint(with: [.tls, .sparkRPC, .ssh, .ldap, .redis, .jrmi]), "\(get)")
        let lengthPrefix = candidates(0, asServer: false)
        XCTAssertTrue(lengthPrefix.isSuperset(of: [.thrift, .sparkRPC]), "\(lengthPrefix)")
        XCTAssertTrue(lengthPrefix.isDisjoint(with: [.http, .ssh, .tls, .redis]), "\(lengthPrefix)")
        // A side none of whose bytes was captured rules nothing out.
        let nothing = PayloadBytes(UnsafeRawBufferPointer(start: nil, count: 0), sent: true)
        XCTAssertEqual(table.recognizers(forClient: nothing), SideRecognition.every)
    }

    private func mutate(_ bytes: inout [UInt8], _ random: inout SplitMix64) {
        guard bytes.count > 1 else { return }
        bytes[1 + random.below(bytes.count - 1)] = UInt8(truncatingIfNeeded: random.next())
    }
}
