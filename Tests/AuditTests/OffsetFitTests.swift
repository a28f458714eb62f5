@testable import Audit
@testable import Policy
import XCTest

/// `OffsetFit` computes the offsets that explain a port as merged ranges, without a set per
/// port (the end stage asks for tens of thousands of ports). These tests hold it to the
/// set the catalog arithmetic defines, built here the slow way.
final class OffsetFitTests: XCTestCase {
    let policies = [
        Policy(offset: 2, mode: .cluster, coresPerNode: 2),
        Policy(offset: 0, mode: .cluster, coresPerNode: 16),
        Policy(offset: 4, mode: .cluster, coresPerNode: 1),
    ]

    /// The offsets at which `port` is an expected port of `policy`, by definition: nil when
    /// an unshifted entry covers it (it fits every offset). Only offsets the catalog allows
    /// (`Policy.largestOffset`: every shifted port within 65535).
    func referenceOffsets(_ port: UInt16, _ policy: Policy) -> Set<Int>? {
        var offsets = Set<Int>()
        for entry in policy.expectedEntries {
            let span = entry.isExecutorBand ? policy.coresPerNode : entry.ports(offset: 0, cores: policy.coresPerNode).count - 1
            if !entry.shiftedByOffset {
                if (Int(entry.basePort)...(Int(entry.basePort) + span)).contains(Int(port)) { return nil }
                continue
            }
            for step in 0...span {
                let offset = Int(port) - Int(entry.basePort) - step
                if (0...policy.largestOffset).contains(offset) { offsets.insert(offset) }
            }
        }
        return offsets
    }

    var ports: [UInt16] {
        Array(stride(from: UInt16(0), to: UInt16.max, by: 89)) + [4000, 4045, 7082, 8086, 9443, 11005, 12005, 12016,
                                                                   13005, 31337, 55535, 65535]
    }

    func testRangesAreTheCatalogArithmeticsOffsetsAscendingAndDisjoint() {
        for policy in policies {
            let fit = OffsetFit(policy: policy)
            for port in ports {
                var ranges: [ClosedRange<Int>] = []
                let moved = fit.forEachOffsetRange(explaining: port) { ranges.append($0) }
                let reference = referenceOffsets(port, policy)
                XCTAssertEqual(moved, reference != nil, "port \(port)")
                XCTAssertEqual(fit.offsets(explaining: port), reference, "port \(port)")
                guard moved else { XCTAssertTrue(ranges.isEmpty); continue }
                XCTAssertEqual(Set(ranges.flatMap { $0 }), reference, "port \(port)")
                for (a, b) in zip(ranges, ranges.dropFirst()) {
                    XCTAssertLessThan(a.upperBound + 1, b.lowerBound, "port \(port): ranges merged and ascending")
                }
            }
        }
    }

    func testIntersectionOfRangeLists() {
        XCTAssertEqual(OffsetFit.intersection([0...5, 10...20, 30...30], [3...12, 19...40]), [3...5, 10...12, 19...20, 30...30])
        XCTAssertEqual(OffsetFit.intersection([0...5], [6...9]), [])
        XCTAssertEqual(OffsetFit.intersection([], [1...2]), [])
    }

    func testTheOffsetExplainingAHostsPortsIsTheSmallestCommonOneButTheGiven() {
        let policy = Policy(offset: 4, mode: .cluster, coresPerNode: 2)
        let fit = OffsetFit(policy: policy)
        for ports: Set<UInt16> in [[11007, 11507, 12007], [11004, 11504], [11007], [4000, 11007, 11507], [11007, 31337],
                                   [7082, 8086, 13005]] {
            var common: Set<Int>?
            var moved = 0
            for port in ports {
                guard let offsets = referenceOffsets(port, policy) else { continue }
                moved += 1
                common = common.map { $0.intersection(offsets) } ?? offsets
            }
            let expected = moved >= 2 ? common.flatMap { $0.subtracting([policy.offset]).min() } : nil
            XCTAssertEqual(fit.offset(explaining: ports), expected, "ports \(ports.sorted())")
        }
        XCTAssertEqual(fit.offset(explaining: [11007, 11507, 12007] as Set<UInt16>), 7)
    }

    /// Ports of one per-core band (the block manager and its executors) fit it at some
    /// offset whatever they are, so they name none; two keys do. No offset past the largest
    /// the catalog allows (47455 for das) is named.
    func testOneBandNamesNoOffsetAndNoneIsPastTheCatalogsLargest() {
        let fit = OffsetFit(policy: Policy(offset: 0, mode: .cluster, coresPerNode: 2))
        XCTAssertNil(fit.offset(explaining: [31002, 31003] as Set<UInt16>), "12000 and 12001 at 19002: one band")
        XCTAssertNil(fit.offset(explaining: [31002, 31003, 31004] as Set<UInt16>))
        XCTAssertEqual(fit.offset(explaining: [31002, 32002] as Set<UInt16>), 17502, "spark.executor.port and spark.replClassServer.port")
        XCTAssertNil(fit.offset(explaining: [62000, 63000] as Set<UInt16>), "offset 50000: past every shifted port's 65535")
        XCTAssertEqual(fit.validOffsets, 0...47455)
    }
}
