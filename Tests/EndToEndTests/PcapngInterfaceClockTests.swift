@testable import PcapKit
import XCTest

/// A pcapng interface's clock turns microsecond and nanosecond counts into times by
/// multiplying by a reciprocal instead of dividing (`PcapngInterfaceClock.nanoseconds`):
/// it must give the quotient a division gives for every 64-bit count, the edges included.
final class PcapngInterfaceClockTests: XCTestCase {
    /// An Interface Description Block of Ethernet whose `if_tsresol` is 10^-`exponent` s.
    func interfaceBlock(resolutionExponent exponent: UInt8) -> [UInt8] {
        let length: UInt32 = 32
        var block: [UInt8] = []
        func append32(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { block += $0 } }
        append32(1)  // Interface Description Block
        append32(length)
        block += [1, 0, 0, 0]  // link type Ethernet, reserved
        append32(262_144)  // snapshot length
        block += [9, 0, 1, 0, exponent, 0, 0, 0]  // if_tsresol, padded
        block += [0, 0, 0, 0]  // opt_endofopt
        append32(length)
        return block
    }

    func clock(resolutionExponent exponent: UInt8) throws -> PcapngInterfaceClock {
        let block = interfaceBlock(resolutionExponent: exponent)
        return try XCTUnwrap(block.withUnsafeBytes { PcapngInterfaceClock(interfaceBlock: $0, swapped: false) })
    }

    func testMicrosecondAndNanosecondCountsDivideExactlyForEveryCount() throws {
        var generator = SystemRandomNumberGenerator()
        for (exponent, unitsPerSecond, scale) in [(UInt8(6), UInt64(1_000_000), Int64(1_000)), (9, 1_000_000_000, 1)] {
            let clock = try clock(resolutionExponent: exponent)
            XCTAssertEqual(clock.unitsPerSecond, unitsPerSecond)
            let edges: [UInt64] = [0, 1, unitsPerSecond - 1, unitsPerSecond, unitsPerSecond + 1, 1 << 32, (1 << 32) - 1,
                                   1_767_225_600 * unitsPerSecond, UInt64(Int64.max), 1 << 63, .max, .max - 1]
            for units in edges + (0..<200_000).map({ _ in UInt64.random(in: 0 ... .max, using: &generator) }) {
                let (seconds, fraction) = units.quotientAndRemainder(dividingBy: unitsPerSecond)
                let expected = PacketHeader.nanoseconds(seconds: Int64(bitPattern: seconds),
                                                        fraction: Int64(Int32(truncatingIfNeeded: fraction &* UInt64(scale))),
                                                        fractionScale: 1)
                XCTAssertEqual(clock.nanoseconds(units: units), expected, "\(units) units of 1/\(unitsPerSecond) s")
            }
        }
    }
}
