/// An inclusive range of TCP ports, written `LOW-HIGH` on the command line and in files.
public struct PortRange: Hashable, Codable, Sendable, CustomStringConvertible {
    public var lowerBound: UInt16
    public var upperBound: UInt16

    public init(_ lowerBound: UInt16, _ upperBound: UInt16) {
        self.lowerBound = lowerBound
        self.upperBound = upperBound
    }

    /// Parses `LOW-HIGH` (or a single port); nil when the text is not a valid range.
    public init?(parsing text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count),
              let low = UInt16(parts[0].trimmingCharacters(in: .whitespaces)),
              let high = UInt16(parts[parts.count - 1].trimmingCharacters(in: .whitespaces)),
              low <= high else { return nil }
        self.init(low, high)
    }

    public func contains(_ port: UInt16) -> Bool { lowerBound <= port && port <= upperBound }

    public var description: String {
        lowerBound == upperBound ? "\(lowerBound)" : "\(lowerBound)-\(upperBound)"
    }

    /// Linux's default `net.ipv4.ip_local_port_range`.
    public static let linuxEphemeral = PortRange(32768, 60999)
}

import Foundation
