extension IPAddress {
    /// Whether the address is a loopback address, which never leaves its host:
    /// 127.0.0.0/8 (RFC 1122) or ::1 (RFC 4291).
    @inlinable
    public var isLoopback: Bool {
        if let v4 = ipv4Value { return v4 >> 24 == 127 }
        return high == 0 && low == 1
    }
}
