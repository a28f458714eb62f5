import Protocols

/// The libFuzzer entry point over `ProtocolRecognizer`: the first input byte says where
/// the rest splits into the client's and the server's bytes and whether the capture cut
/// each; the two sides get heap buffers of exactly their size, so AddressSanitizer sees any
/// read past them. Built by `scripts/fuzz-protocols.sh` (not part of the package).
///
/// Besides "no crash": the same bytes give the same answer twice, a TLS version comes only
/// with `tls`, and bytes no cut touched are never `unknown`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzProtocolRecognizer(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let control = Int(data[0])
    let rest = size - 1
    let split = rest == 0 ? 0 : (control >> 2) % (rest + 1)
    let clientCut = control & 1 != 0, serverCut = control & 2 != 0
    func copy(_ start: Int, _ count: Int) -> UnsafeMutableRawBufferPointer {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: count, alignment: 1)
        if count > 0 { buffer.copyMemory(from: UnsafeRawBufferPointer(start: data + 1 + start, count: count)) }
        return buffer
    }
    let client = copy(0, split), server = copy(split, rest - split)
    defer {
        client.deallocate()
        server.deallocate()
    }
    func recognize() -> ProtocolEvidence {
        ProtocolRecognizer.recognize(
            client: PayloadBytes(UnsafeRawBufferPointer(client), sent: split > 0 || clientCut, cutByCapture: clientCut),
            server: PayloadBytes(UnsafeRawBufferPointer(server), sent: rest > split || serverCut, cutByCapture: serverCut))
    }
    let first = recognize()
    precondition(first == recognize(), "recognition is not deterministic")
    precondition(first.tlsVersion == nil || first.name == .tls, "a TLS version without TLS")
    precondition(first.name != .unknown || clientCut || serverCut, "unknown without a cut")
    return 0
}
