import CPcap

/// A BPF filter in tcpdump's syntax (pcap-filter(7)), compiled by libpcap: the same code
/// sets it on a live device (`dasaudit live --filter`) and on a capture file being read
/// (`audit` and `flows --filter`), so a filter means the same everywhere.
public enum CaptureFilter {
    /// Compiles `expression` for `handle` and makes it the handle's filter. Returns
    /// libpcap's message when it does not compile or the handle refuses it, nil when set.
    static func apply(_ expression: String, to handle: OpaquePointer) -> String? {
        var program = bpf_program()
        guard pcap_compile(handle, &program, expression, 1, PCAP_NETMASK_UNKNOWN) == 0 else {
            return String(cString: pcap_geterr(handle))
        }
        defer { pcap_freecode(&program) }
        return pcap_setfilter(handle, &program) == 0 ? nil : String(cString: pcap_geterr(handle))
    }

    /// Why `expression` is not a filter libpcap can compile for Ethernet, or nil: checks a
    /// filter before any input is read. An input of another link type may still refuse a
    /// filter that names link-layer fields (`ether host`); that input is then reported.
    public static func problem(with expression: String) -> String? {
        guard let handle = pcap_open_dead(DLT_EN10MB, 262_144) else { return "libpcap could not make a handle" }
        defer { pcap_close(handle) }
        var program = bpf_program()
        guard pcap_compile(handle, &program, expression, 1, PCAP_NETMASK_UNKNOWN) == 0 else {
            return String(cString: pcap_geterr(handle))
        }
        pcap_freecode(&program)
        return nil
    }

    /// The message for a filter libpcap refused: the filter, libpcap's reason, and the syntax.
    public static func message(filter: String, reason: String) -> String {
        "bad capture filter '\(filter)': \(reason); filters use tcpdump's syntax (pcap-filter(7)), "
            + "for example 'tcp and host 10.0.0.5'"
    }
}
