import CPcap

/// The libpcap the process is running with, as `pcap_lib_version()` names it
/// (e.g. "libpcap version 1.10.3 (with TPACKET_V3)"): the shared library found at run
/// time, which on an installed host is the distribution's, not the one built against.
public enum PcapLibrary {
    public static var version: String { String(cString: pcap_lib_version()) }
}
