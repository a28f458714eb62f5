import CPcap
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A BPF filter in tcpdump's syntax (pcap-filter(7)), compiled by libpcap: the same code
/// sets it on a live device (`dasaudit live --filter`) and on a capture file being read
/// (`audit` and `flows --filter`), so a filter means the same everywhere.
public enum CaptureFilter {
    /// Compiles `expression` for `handle` and makes it the handle's filter. Returns
    /// libpcap's message when it does not compile or the handle refuses it, nil when set.
    static func apply(_ expression: String, to handle: OpaquePointer) -> String? {
        switch compile(expression, for: handle) {
        case .success(let program):
            defer { program.free() }
            return pcap_setfilter(handle, program.code) == 0 ? nil : String(cString: pcap_geterr(handle))
        case .failure(let problem):
            return problem.reason
        }
    }

    /// `expression` compiled for `handle`'s link type, or libpcap's message.
    static func compile(_ expression: String, for handle: OpaquePointer) -> Result<Program, InputProblem> {
        let code = UnsafeMutablePointer<bpf_program>.allocate(capacity: 1)
        code.initialize(to: bpf_program())
        guard pcap_compile(handle, code, expression, 1, PCAP_NETMASK_UNKNOWN) == 0 else {
            code.deallocate()
            return .failure(InputProblem(reason: String(cString: pcap_geterr(handle))))
        }
        return .success(Program(code: code))
    }

    /// A compiled filter, run on packets read in place as libpcap runs it on those it reads
    /// (`pcap_offline_filter`, the `pcap_filter` of `pcap_next_ex`); `free` gives it back.
    @usableFromInline
    struct Program {
        @usableFromInline let code: UnsafeMutablePointer<bpf_program>

        /// Whether the filter takes the packet `bytes` whose lengths `header` gives.
        @inlinable
        func matches(_ header: PacketHeader, _ bytes: UnsafeRawBufferPointer) -> Bool {
            var record = pcap_pkthdr()
            record.caplen = header.capturedLength
            record.len = header.wireLength
            return pcap_offline_filter(code, &record, bytes.baseAddress?.assumingMemoryBound(to: UInt8.self)) != 0
        }

        func free() {
            pcap_freecode(code)
            code.deallocate()
        }
    }

    /// Why `expression` is not a filter libpcap can compile for Ethernet, or nil: checks a
    /// filter before any input is read. An input of another link type may still refuse a
    /// filter that names link-layer fields (`ether host`); that input is then reported.
    public static func problem(with expression: String) -> String? {
        guard let handle = pcap_open_dead(DLT_EN10MB, 262_144) else {
            return "libpcap could not make a handle: \(POSIXFile.describe(errno))"
        }
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
