import Wire

/// One input file (or stdin, or a live device) and what was read from it: what the capture
/// engine (`CaptureEngine`) tells the audit about each input, and the result's `inputs`.
public struct InputSummary: Codable, Sendable {
    public var path: String
    /// libpcap's DLT value and name (`1`, `EN10MB`); nil when the file could not be opened.
    @Nullable public var linkType: Int32?
    @Nullable public var linkTypeName: String?
    /// The snapshot length: the most bytes of a packet the input kept (pcap file header
    /// `snaplen`; pcapng: its interfaces', which libpcap requires to be equal; a live
    /// capture's `--snaplen`), as libpcap applies it: 0 ("unlimited") and lengths past its
    /// maximum are 262,144 (`InputSummary.largestSnaplen`). Below `InputSummary.wholeSampleSnaplen`
    /// payloads are cut before protocol recognition has read them. Null when the input could
    /// not be opened, describes no interface, or in results made before it.
    @Nullable public var snaplen: Int32? = nil
    public var packets: UInt64
    public var tcpSegments: UInt64
    /// Packets that gave no TCP segment, by reason (`not-tcp`, `fragment`, ...); zero counts omitted.
    public var skipped: [String: UInt64]
    /// TCP segments taken out of a tunnel (the capture was made on an underlay), by tunnel:
    /// `vxlan`, `geneve`, `gre`, `erspan`, `ip-in-ip`; zero counts omitted; null in older results.
    @Nullable public var tunneled: [String: UInt64]?
    /// Connections captured twice, before and after address translation (NAT) on the
    /// capturing host, and audited once, in the view that reached the server (or left the
    /// host), by translation: `10.208.0.254:19763 -> 10.207.0.2:9763` (a destination
    /// translated), `client 10.207.0.2 -> 10.208.0.254` (a source translated), `other`
    /// past 256 named; null in older results.
    @Nullable public var translated: [String: UInt64]?
    /// The UDP datagrams not opened as tunnels, by destination port (`UDPCoverage`); null
    /// when there were none, and in older results.
    @Nullable public var udp: UDPCoverage? = nil
    /// Records whose header claimed a wire length above 1 MiB, more than any link carries
    /// (`PacketHeader.longestBelievedWireLength`): not believed, each counted at its
    /// captured bytes instead. Nil (absent from the JSON) when there were none, and in
    /// older results.
    public var wireLengthsNotBelieved: UInt64? = nil
    /// The `duplicate` packets of an input whose first TCP segments held copies of each
    /// other (`InputSample`: a file that holds every packet twice without naming two
    /// interfaces, `mergecap` of two capture points' files): its copies were looked for, as
    /// with `--deduplicate`, without being asked. Nil (absent from the JSON) for any other
    /// input, and in older results.
    public var duplicatesFoundBySample: UInt64? = nil
    /// The wrong TCP checksums among the judged ones of an input's first segments, when they
    /// were too many to be damage (`WrongChecksums`): the input's checksums were not judged,
    /// and no segment of it counts as `bad-checksum`. Nil (absent from the JSON) for any
    /// other input, and in older results.
    public var checksumsNotJudged: WrongChecksums? = nil
    @Nullable public var firstSeen: Timestamp?
    @Nullable public var lastSeen: Timestamp?
    /// The most, in seconds, a packet came behind the latest one before it in the input,
    /// up to `TimeDisorder.largestDisorder` (1 s): how far out of time order the capture
    /// wrote its packets (dumpcap on several interfaces: some 0.25 s). Null without packets,
    /// and in older results.
    @Nullable public var outOfOrderSeconds: Double? = nil
    /// How many times the packet time went back by more than 1 s from one packet to the
    /// next (`TimeDisorder`): a clock stepped back while the capture ran, after which
    /// `firstSeen` to `lastSeen` is not the recording's length. Null without packets, and
    /// in older results.
    @Nullable public var clockStepsBack: UInt64? = nil
    /// False when reading stopped early (a file cut short), the input was unusable, a live
    /// capture dropped packets, packets were cut inside a tunnel before their inner TCP
    /// header (`cutInTunnels`), or fragments of TCP could not be joined (`unjoinedFragments`).
    public var complete: Bool
    /// Why the input was unusable or cut short.
    @Nullable public var error: String?
    /// Packets a live capture lost, or a pcapng file records as lost (read in place to its
    /// end); null for other files, which record no drops or whose records were not read.
    @Nullable public var drops: Drops?
    /// Where `drops` come from, or why they are null (`DropsSource`); null in older results.
    @Nullable public var dropsSource: DropsSource?
    /// The name of the capture point the input was recorded at (`CapturePoint`).
    @Nullable public var capturePoint: String? = nil

    public init(path: String, linkType: Int32? = nil, linkTypeName: String? = nil, snaplen: Int32? = nil,
                packets: UInt64, tcpSegments: UInt64,
                skipped: [String: UInt64], tunneled: [String: UInt64]? = nil, translated: [String: UInt64]? = nil,
                firstSeen: Timestamp? = nil,
                lastSeen: Timestamp? = nil, outOfOrderSeconds: Double? = nil, clockStepsBack: UInt64? = nil,
                complete: Bool, error: String? = nil, drops: Drops? = nil, dropsSource: DropsSource? = nil) {
        self.path = path
        self.linkType = linkType
        self.linkTypeName = linkTypeName
        self.snaplen = snaplen.map(InputSummary.applied)
        self.packets = packets
        self.tcpSegments = tcpSegments
        self.skipped = skipped
        self.tunneled = tunneled
        self.translated = translated
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.outOfOrderSeconds = outOfOrderSeconds
        self.clockStepsBack = clockStepsBack
        self.complete = complete
        self.error = error
        self.drops = drops
        self.dropsSource = dropsSource
    }
}

extension InputSummary {
    /// The packets cut inside a tunnel the decoder opened, before their inner TCP header
    /// (`truncated-in-tunnel`): the snapshot length held the outer headers, not the inner
    /// ones, and the segments they carried are missing from the audit.
    public var cutInTunnels: UInt64 { skipped[SkipReason.truncatedInTunnel.name] ?? 0 }

    /// The packets the snapshot length cut before the end of their TCP header, outside any
    /// tunnel (`truncated`: `tcpdump -s 64` or `live --snaplen 64` keeps 10 bytes of TCP
    /// over Ethernet and IPv6, 4 at `-i any`): the segments they carried, and the services
    /// only they reached, are missing from the audit.
    public var cutBeforeTCP: UInt64 { skipped[SkipReason.truncated.name] ?? 0 }

    /// The snapshot length that keeps every header the port audit reads, the longest usual
    /// ones: Linux SLL2 (20 bytes) or Ethernet with a VLAN tag (18), IPv6 (40) and TCP's fixed
    /// 20 make 80 (docs/inputs.md#recording-for-an-audit).
    public static let headersSnaplen = 96

    /// What `count` packets cut before their TCP header mean, at `snaplen` when known: "36
    /// packets cut by the snapshot length (64 bytes) before the end of their TCP header: the
    /// TCP they carried was not audited; a snapshot length of 96 keeps it (tcpdump -s 96)".
    /// What the `incomplete-input` finding of such an input and every report's coverage say.
    public static func cutBeforeTCPText(_ count: UInt64, snaplen: Int32?) -> String {
        "\(count) packet\(count == 1 ? "" : "s") cut by the snapshot length\(snaplen.map { " (\($0) bytes)" } ?? "") "
            + "before the end of \(count == 1 ? "its" : "their") TCP header: the TCP \(count == 1 ? "it" : "they") "
            + "carried was not audited; a snapshot length of \(headersSnaplen) keeps it (tcpdump -s \(headersSnaplen))"
    }

    /// The IP fragments of TCP that could not be joined into their datagram's segment
    /// (`fragment`: the fragments holding the TCP header never came, too many datagrams at
    /// once, overlapping fragments): the TCP they carried is missing from the audit.
    public var unjoinedFragments: UInt64 { skipped[SkipReason.fragment.name] ?? 0 }

    /// What `count` unjoined fragments mean: what the `incomplete-input` finding of such an
    /// input and every report's coverage say.
    public static func unjoinedFragmentsText(_ count: UInt64) -> String {
        "\(count) IP fragment\(count == 1 ? "" : "s") of TCP could not be joined to \(count == 1 ? "its" : "their") "
            + "datagram (the fragment with the TCP header missing, or fragments overlapping): the TCP "
            + "\(count == 1 ? "it" : "they") carried was not audited"
    }

    /// The snapshot length that keeps the inner TCP header of every tunnel dasaudit opens,
    /// IPv6 outside and in, with the longest TCP options (docs/inputs.md, Tunnels).
    public static let tunnelSnaplen = 256

    /// What `count` packets cut inside a tunnel mean, at `snaplen` when known: "176 packets
    /// cut by the snapshot length (96 bytes) inside a tunnel, before their inner TCP header:
    /// the TCP they carried was not audited; a snapshot length of 256 keeps it (tcpdump -s
    /// 256)". What the `incomplete-input` finding of such an input and every report's
    /// coverage say.
    public static func cutInTunnelsText(_ count: UInt64, snaplen: Int32?) -> String {
        "\(count) packet\(count == 1 ? "" : "s") cut by the snapshot length\(snaplen.map { " (\($0) bytes)" } ?? "") "
            + "inside a tunnel, before \(count == 1 ? "its" : "their") inner TCP header: the TCP "
            + "\(count == 1 ? "it" : "they") carried was not audited; a snapshot length of \(tunnelSnaplen) keeps it "
            + "(tcpdump -s \(tunnelSnaplen))"
    }

    /// Whether nothing of the input could be used (the commands exit 2): it could not be
    /// opened, or its error came before any packet. A capture cut short after some packets
    /// is usable: what was read before the cut counts; so is a pcapng of sections only,
    /// read to its end without an interface (no link type, no error, no packet).
    public var isUnusable: Bool { error != nil && packets == 0 }

    /// The largest snapshot length libpcap keeps for the link types dasaudit reads
    /// (`MAXIMUM_SNAPLEN`): a file header's 0 or more reads as this.
    public static let largestSnaplen: Int32 = 262_144

    /// The shortest snapshot length that keeps the whole 96-byte payload sample protocol
    /// recognition reads (docs/protocols.md) behind the longest usual headers: Linux SLL2
    /// (20 bytes), IPv6 (40) and TCP with timestamps (32) make 92, and 96 more fit with 4 to
    /// spare: the README's `-s 192`. Below it payloads may be cut before a recognizer could
    /// decide, and the report says so (docs/inputs.md#recording-for-an-audit).
    public static let wholeSampleSnaplen: Int32 = 192

    /// A snapshot length as read from an input (a pcap file header's `snaplen` is any 32
    /// bits a file holds, and libpcap passes some through): 0, negative and past
    /// `largestSnaplen` mean "whole packets", applied as `largestSnaplen`, so that a result
    /// never carries a value its own validation refuses.
    static func applied(_ snaplen: Int32) -> Int32 {
        (1...largestSnaplen).contains(snaplen) ? snaplen : largestSnaplen
    }
}
