/// A capture's link-layer header type (libpcap's DLT_/LINKTYPE_ value, as pcap_datalink
/// returns it).
public struct LinkType: Hashable, Sendable {
    public let rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    public static let null = LinkType(rawValue: 0)          // BSD loopback, host byte order family
    public static let ethernet = LinkType(rawValue: 1)
    public static let raw = LinkType(rawValue: 12)          // DLT_RAW on Linux/most BSDs
    public static let rawOpenBSD = LinkType(rawValue: 14)   // DLT_RAW on OpenBSD
    public static let loop = LinkType(rawValue: 108)        // OpenBSD loopback, network byte order
    public static let linuxSLL = LinkType(rawValue: 113)
    public static let rawLinktype = LinkType(rawValue: 101) // LINKTYPE_RAW in files
    public static let ipv4 = LinkType(rawValue: 228)
    public static let ipv6 = LinkType(rawValue: 229)
    public static let nflog = LinkType(rawValue: 239)     // Linux netfilter log messages (tcpdump -i nflog:N)
    public static let linuxSLL2 = LinkType(rawValue: 276)
    public static let ppp = LinkType(rawValue: 9)             // PPP, bare or in HDLC-like framing
    public static let pppSerial = LinkType(rawValue: 50)      // LINKTYPE_PPP_HDLC: PPP or Cisco PPP in HDLC framing
    public static let ciscoHDLC = LinkType(rawValue: 104)     // Cisco HDLC (DLT_C_HDLC)

    public var isSupported: Bool {
        switch self {
        case .null, .ethernet, .raw, .rawOpenBSD, .loop, .linuxSLL, .rawLinktype, .ipv4, .ipv6, .linuxSLL2, .nflog,
             .ppp, .pppSerial, .ciscoHDLC: true
        default: false
        }
    }

    /// Whether a live device of this type can be audited as it captures: every supported
    /// type but NFLOG, whose log group libpcap reads with a blocking `recv` that neither its
    /// timeout nor `pcap_breakloop` interrupts (libpcap 1.10; non-blocking, it fails with
    /// EAGAIN), so a live audit would stop or report only at the group's next message.
    /// Its recordings are audited from files.
    public var isLive: Bool { isSupported && self != .nflog }

    /// The supported types, for a message that refuses another: those of files
    /// (`isSupported`), or of live devices (`isLive`).
    public static func supportedKinds(live: Bool) -> String {
        "Ethernet, Linux SLL/SLL2, " + (live ? "" : "NFLOG, ") + "BSD NULL/LOOP, RAW, IPV4, IPV6, PPP and Cisco HDLC"
    }

    /// libpcap's short name for the type (`EN10MB`, `LINUX_SLL2`, ...), or `DLT n`.
    public var name: String {
        switch self {
        case .null: "NULL"
        case .ethernet: "EN10MB"
        case .raw, .rawOpenBSD, .rawLinktype: "RAW"
        case .loop: "LOOP"
        case .linuxSLL: "LINUX_SLL"
        case .linuxSLL2: "LINUX_SLL2"
        case .ipv4: "IPV4"
        case .ipv6: "IPV6"
        case .nflog: "NFLOG"
        case .ppp: "PPP"
        case .pppSerial: "PPP_SERIAL"
        case .ciscoHDLC: "C_HDLC"
        default: "DLT \(rawValue)"
        }
    }
}
