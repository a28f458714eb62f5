/// An approved exception: findings of `kind` (on `port`, on `host`) are shown as waived,
/// with the reason, until the expiry date; after it they count again and the expired
/// waiver is reported.
public struct Waiver: Hashable, Sendable {
    /// A finding kind (`unexpected-port`, `unused-opening`, ...).
    public var kind: String
    /// Nil matches every port.
    public var port: UInt16?
    /// An address, a CIDR block or a node name; nil matches every host.
    public var host: String?
    public var reason: String
    /// The last day the waiver holds (inclusive), as `YYYY-MM-DD`.
    public var expires: Day

    public init(kind: String, port: UInt16? = nil, host: String? = nil, reason: String, expires: Day) {
        self.kind = kind
        self.port = port
        self.host = host
        self.reason = reason
        self.expires = expires
    }

    public func hasExpired(on today: Day) -> Bool { today > expires }

    /// The finding kinds a waiver may name: those the audit reports (Audit's
    /// `Finding.Kind`, which depends on this module, so the list lives here; a test in
    /// EndToEndTests keeps the two equal). A waiver of another kind would never match.
    public static let kinds = scopes.map(\.kind)

    /// Which of a waiver's `port` and `host` a finding of each kind can match: whether its
    /// findings carry a port, and a host (an address or a node). A waiver naming a field its
    /// kind's findings never carry would never match, so the policy file refuses it. A test
    /// in EndToEndTests checks these against the findings of real audits.
    public static let scopes: [Scope] = [
        Scope("unexpected-port", port: true, host: true), Scope("executor-out-of-range", port: true, host: true),
        Scope("not-in-mode", port: true, host: true), Scope("unused-opening", port: true, host: true),
        Scope("direction-unknown", port: false, host: false), Scope("incomplete-input", port: false, host: false),
        Scope("packets-dropped", port: false, host: false), Scope("role-mismatch", port: true, host: true),
        Scope("offset-mismatch", port: false, host: true), Scope("expected-service-not-answering", port: true, host: true),
        Scope("protocol-mismatch", port: true, host: true),
        Scope("plaintext-on-tls-port", port: true, host: true), Scope("deprecated-tls", port: true, host: true),
        Scope("port-scan", port: false, host: true), Scope("insufficient-traffic", port: false, host: false),
        Scope("undeclared-dependency", port: true, host: true), Scope("node-not-seen", port: false, host: true),
        Scope("undeclared-tunnel", port: true, host: false), Scope("client-outside-cluster", port: true, host: true),
    ]

    /// The finding kinds no waiver may name, and why: a policy file that names one is
    /// refused with the reason, not told the kind is unknown. `waiver-expired` findings are
    /// made from the expired waivers after the waivers apply, so no waiver ever sees one.
    public static let unwaivableKinds: [String: String] = [
        "no-traffic": "an audit of nothing cannot be approved into a pass",
        "waiver-unused": "its remedy is removing the waiver that matched nothing, not a second waiver",
        "waiver-expired": "waiver-expired findings are made after the waivers apply, so no waiver can match one; renew "
            + "the expired waiver with a new reason and expiry date, or fix what it excused",
    ]

    /// The fields a finding kind's findings carry (`scopes`).
    public struct Scope: Sendable {
        public var kind: String
        public var port: Bool
        public var host: Bool

        /// "a port and a host", "a host only", "a port only", "neither a port nor a host".
        public var carried: String {
            switch (port, host) {
            case (true, true): "a port and a host"
            case (false, true): "a host only"
            case (true, false): "a port only"
            case (false, false): "neither a port nor a host"
            }
        }

        init(_ kind: String, port: Bool, host: Bool) {
            self.kind = kind
            self.port = port
            self.host = host
        }
    }

    /// The years an expiry date may fall in. A waiver is a dated exception: a date before
    /// 2000 or after 2999 (`0000-01-01`, `9999-12-31`) is a typo or a permanent exception in
    /// disguise, which `allow:` states openly.
    public static let expiryYears = 2000...2999
}

/// A calendar day, compared as year, month, day.
public struct Day: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `YYYY-MM-DD`; nil for anything else or an impossible date.
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              (1...12).contains(month) else { return nil }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard (1...lengths[month - 1]).contains(day) else { return nil }
        self.init(year: year, month: month, day: day)
    }

    public static func < (lhs: Day, rhs: Day) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    public var description: String {
        func pad(_ value: Int, _ width: Int) -> String {
            String(repeating: "0", count: max(0, width - String(value).count)) + String(value)
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }
}
