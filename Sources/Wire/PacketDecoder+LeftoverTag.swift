/// Linux's cooked captures (`tcpdump -i any`, SLL and SLL2) of frames that carried two VLAN
/// tags, an 802.1ad S-tag outside an 802.1Q C-tag: on an 802.1ad bridge with
/// `vlan_filtering` and on the parent of 802.1ad sub-interfaces (Linux 6.1, veth's VLAN
/// offloads on), the kernel hands some packets to the capture with the cooked header's
/// protocol already that of the IP packet inside (0x0800), but the last 4 bytes of the
/// inner tag (its tag control information and the EtherType) still before the IP header:
///
///     SLL2 protocol 0x0800 | 01 90 08 00 | 45 00 ...    (C-tag VLAN 400, then IPv4)
///
/// (SLL v1 puts the S-tag libpcap re-inserts first: `88a8 012c 0800 | 01 90 08 00 | 45`.)
/// tshark reads "Bogus IPv4 version (0, must be 4)"; so did dasaudit, `malformed`. Where a
/// packet crossed the host so on every interface, it was lost from the audit: a refused
/// connect's RST, and the connect read as unanswered (captures/qinq-bridge-any-sll2.pcap).
extension PacketDecoder {
    /// The packet behind the 4 bytes the kernel left, when a cooked frame's bytes read as a
    /// malformed or cut IP packet and are exactly those 4 bytes (their EtherType equal to
    /// the protocol the header named) before an IP header of that protocol's version;
    /// nil otherwise. Its VLAN is the tag's when the frame had no other. Out of line: only
    /// a cooked packet that did not decode comes here.
    @usableFromInline @inline(never)
    static func decodeBehindLeftoverTag(_ etherType: UInt16, _ payload: UnsafeRawBufferPointer,
                                        around: Encapsulation) -> DecodeOutcome? {
        var type = etherType
        var rest = payload
        var around = around
        while EtherType.isVLANTag(type) {
            guard let tag = VLANTag(rest) else { return nil }
            if around.vlan == nil && tag.vlanID != 0 { around.vlan = tag.vlanID }
            type = tag.etherType
            rest = tag.payload
        }
        let version: UInt8
        switch type {
        case EtherType.ipv4: version = 4
        case EtherType.ipv6: version = 6
        default: return nil
        }
        guard let leftover = VLANTag(rest), leftover.etherType == type,
              let first = leftover.payload.first, first >> 4 == version else { return nil }
        if around.vlan == nil && leftover.vlanID != 0 { around.vlan = leftover.vlanID }
        return version == 4 ? decodeIPv4(leftover.payload, around: around) : decodeIPv6(leftover.payload, around: around)
    }

    /// `outcome` of a cooked frame, or what its packet is behind a tag the kernel left.
    @inlinable @inline(__always)
    static func cooked(_ outcome: DecodeOutcome, _ etherType: UInt16, _ payload: UnsafeRawBufferPointer,
                       around: Encapsulation) -> DecodeOutcome {
        switch outcome {
        case .skipped(.malformed), .skipped(.truncated):
            return decodeBehindLeftoverTag(etherType, payload, around: around) ?? outcome
        default:
            return outcome
        }
    }
}
