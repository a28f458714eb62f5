/// The UDP ports besides 4789 and 8472 that carry VXLAN on the captured network, declared
/// by the user (`dasaudit audit --vxlan-port 9999`): an overlay set up with a port of its
/// own (`ip link add type vxlan dstport 9999`, a vendor's default) looks like any other UDP,
/// and only the user can say it is VXLAN. At most `capacity` ports.
///
/// Held inline (a SIMD vector, no heap), so that it rides in `Encapsulation` through the
/// decoder's inlined functions as the VLAN id does: the decoder reads it only for a UDP
/// datagram that is not to a port it knows, so a capture without UDP pays nothing.
@frozen
public struct VXLANPorts: Sendable, BitwiseCopyable, Equatable {
    /// The ports, 0 in the unused lanes (UDP port 0 is no destination).
    @usableFromInline var lanes: SIMD8<UInt16>

    /// How many ports can be declared.
    @inlinable public static var capacity: Int { SIMD8<UInt16>.scalarCount }

    /// No port besides the standard ones.
    @inlinable
    public init() { lanes = SIMD8(repeating: 0) }

    /// `ports` (duplicates once), or nil when there are more than `capacity` distinct ones
    /// or one is 0.
    public init?(_ ports: [UInt16]) {
        var distinct: [UInt16] = []
        for port in ports where !distinct.contains(port) { distinct.append(port) }
        guard distinct.count <= Self.capacity, !distinct.contains(0) else { return nil }
        self.init()
        for (lane, port) in distinct.enumerated() { lanes[lane] = port }
    }

    /// Whether `port` was declared.
    @inlinable
    public func contains(_ port: UInt16) -> Bool {
        port != 0 && any(lanes .== SIMD8(repeating: port))
    }

    /// The declared ports, in the order given.
    public var ports: [UInt16] { (0..<Self.capacity).map { lanes[$0] }.filter { $0 != 0 } }

    public var isEmpty: Bool { ports.isEmpty }
}
