@testable import Flows
import TestSupport
import Protocols
import XCTest

final class CaseCountsTests: XCTestCase {
    /// Every case has its own counter, and the dictionary view lists exactly the cases
    /// counted (what the result's `states`, `direction_basis` and `protocols` hold).
    func testCountsEachCaseApartAndTheDictionaryListsOnlyCountedCases() {
        var states = CaseCounts<ConnectionState>()
        XCTAssertEqual(states.dictionary, [:])
        states.increment(.closed)
        states.increment(.closed)
        states.increment(.midstream)
        XCTAssertEqual(states.dictionary, [.closed: 2, .midstream: 1])
        var protocols = CaseCounts<ProtocolName>()
        for name in ProtocolName.allCases { for _ in 0...Int(name.rawValue) { protocols.increment(name) } }
        XCTAssertEqual(protocols.dictionary, Dictionary(uniqueKeysWithValues: ProtocolName.allCases.map { ($0, UInt64($0.rawValue) + 1) }))
        var versions = CaseCounts<TLSVersion>()
        versions.increment(.tls13)
        versions.increment(.ssl2)
        XCTAssertEqual(versions.dictionary, [.tls13: 1, .ssl2: 1])
    }

    /// Every case's number is in range and distinct, so no two cases share a counter.
    func testDenseIndexesAreDistinctAndInRange() {
        func check<Key: DenselyNumbered>(_: Key.Type) {
            let indexes = Key.allCases.map(\.denseIndex)
            XCTAssertEqual(indexes, Array(0..<Key.allCases.count), "\(Key.self)")
            XCTAssertLessThanOrEqual(Key.allCases.count, CaseCounts<Key>.capacity, "\(Key.self)")
        }
        check(ConnectionState.self)
        check(DirectionBasis.self)
        check(ProtocolName.self)
        check(TLSVersion.self)
    }

    /// Merged counts saturate (counts from result files may be near 2^64) instead of trapping.
    func testAddingSaturates() {
        var x = CaseCounts<DirectionBasis>(), y = CaseCounts<DirectionBasis>()
        x[.policy] = UInt64.max - 1
        y[.policy] = 5
        y[.handshake] = 3
        x.add(y)
        XCTAssertEqual(x.dictionary, [.policy: .max, .handshake: 3])
    }

    /// A service's dominant protocol and TLS versions read from the counters as they did
    /// from the dictionaries: the most connections wins, ties by name.
    func testDominantProtocolFromTheCounters() {
        var traffic = ServiceTraffic()
        XCTAssertEqual(traffic.dominantProtocol, ProtocolName.none)
        traffic.protocolCounts[.other] = 9
        XCTAssertEqual(traffic.dominantProtocol, .other)
        traffic.protocolCounts[.http] = 2
        traffic.protocolCounts[.tls] = 2
        XCTAssertEqual(traffic.dominantProtocol, [ProtocolName.http, .tls].min())
        traffic.tlsVersionCounts[.tls12] = 1
        traffic.tlsVersionCounts[.tls10] = 4
        XCTAssertEqual(traffic.tlsVersionsSeen, [.tls10, .tls12])
    }

    /// A client's plaintext the server never answered names the port only when nothing else
    /// does: 8 TLS and 8 unanswered HTTP connections speak `tls` (a tie by name made it
    /// `http`); one HTTP connection the server answered puts HTTP back in the count; with no
    /// TLS or SSH, the unanswered plaintext is all there is to tell.
    func testUnansweredPlaintextNamesThePortOnlyWhenNothingElseDoes() {
        var traffic = ServiceTraffic()
        traffic.protocolCounts[.tls] = 8
        traffic.protocolCounts[.http] = 8
        traffic.unansweredPlaintextConnections = 8
        XCTAssertEqual(traffic.dominantProtocol, .tls)
        traffic.protocolCounts[.http] = 9
        XCTAssertEqual(traffic.dominantProtocol, .http, "one plaintext connection was answered")
        traffic.protocolCounts[.tls] = 0
        traffic.protocolCounts[.http] = 8
        XCTAssertEqual(traffic.dominantProtocol, .http)
        XCTAssertEqual(TrafficCounts.dominant(in: traffic.protocolCounts, unansweredPlaintext: 8), .http)
    }

    /// `dominantProtocol` and `tlsVersionsSeen`, now one pass over cases made once, give what
    /// their definitions with arrays gave (`max(by:)` over the recognized protocols, ties by
    /// name; the versions filtered and sorted), on random counts with many ties.
    func testDominantProtocolAndVersionsEqualTheirArrayDefinitions() {
        var random = SplitMix64(seed: 31)
        for _ in 0..<5_000 {
            var traffic = ServiceTraffic()
            for name in ProtocolName.allCases where Int.random(in: 0..<3, using: &random) == 0 {
                traffic.protocolCounts[name] = UInt64.random(in: 0...3, using: &random)
            }
            for version in TLSVersion.allCases where Bool.random(using: &random) {
                traffic.tlsVersionCounts[version] = UInt64.random(in: 0...2, using: &random)
            }
            let counts = traffic.protocolCounts
            let recognized = ProtocolName.allCases.filter { $0.isRecognized && counts[$0] > 0 }
            let expected = recognized.max(by: { (counts[$0], $1) < (counts[$1], $0) })
                ?? [ProtocolName.other, .unknown].first { counts[$0] > 0 } ?? ProtocolName.none
            XCTAssertEqual(traffic.dominantProtocol, expected)
            XCTAssertEqual(traffic.tlsVersionsSeen, TLSVersion.allCases.filter { traffic.tlsVersionCounts[$0] > 0 }.sorted())
        }
    }

    /// A counter read by dense index is the counter read by case.
    func testCountAtDenseIndexIsTheCountOfTheCase() {
        var counts = CaseCounts<ProtocolName>()
        for (offset, name) in ProtocolName.allCases.enumerated() { counts[name] = UInt64(offset * 7 + 1) }
        for name in ProtocolName.allCases { XCTAssertEqual(counts.count(atDenseIndex: name.denseIndex), counts[name]) }
        var states = CaseCounts<ConnectionState>()
        states.increment(.closed)
        for state in ConnectionState.allCases {
            XCTAssertEqual(states.count(atDenseIndex: state.denseIndex), state == .closed ? 1 : 0)
        }
    }
}
