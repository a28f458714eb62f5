import Protocols

/// The libFuzzer entry point over `ProtocolRecognizer`: the first input byte says where
/// the rest splits into the client's and the server's bytes and whether the capture cut
/// each; the two sides get heap buffers of exactly their size, so AddressSanitizer sees any
/// read past them. Built by `scripts/fuzz-protocols.sh` (not part of the package).
///
/// Besides "no crash": every answer is the one with every recognizer tried on each side
/// (the first byte's choice of recognizers changes no answer), the same bytes give the same answer twice, a TLS version comes only
/// with `tls`, bytes no cut touched are never `unknown` (unless a PROXY protocol header
/// fills the client's: `ProxyProtocolHeader`), the same bytes picked up mid-stream
/// differ only in `other` becoming `unknown`, and docs/protocols.md's promise: where the two sides' whole bytes name a
/// protocol, each side cut by the capture (at lengths the input's last byte chooses, one
/// side, the other, both) gives the same protocol or `unknown`, never another.
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
    /// The answer for the first `clientKeep` and `serverKeep` bytes of each side, in buffers
    /// of exactly that size; a side is cut if the flag says so or if fewer bytes are kept.
    func recognize(clientKeep: Int, serverKeep: Int, clientCut: Bool, serverCut: Bool, fromStart: Bool = true) -> ProtocolEvidence {
        let client = copy(0, clientKeep), server = copy(split, serverKeep)
        defer {
            client.deallocate()
            server.deallocate()
        }
        let clientBytes = PayloadBytes(UnsafeRawBufferPointer(client), sent: split > 0 || clientCut,
                                       cutByCapture: clientCut || clientKeep < split)
        let serverBytes = PayloadBytes(UnsafeRawBufferPointer(server), sent: rest > split || serverCut,
                                       cutByCapture: serverCut || serverKeep < rest - split)
        let answer = ProtocolRecognizer.recognize(client: clientBytes, server: serverBytes, fromStart: fromStart)
        precondition(answer == ProtocolRecognizer.recognizeTryingEvery(client: clientBytes, server: serverBytes, fromStart: fromStart),
                     "the first byte's recognizers answer otherwise than every recognizer")
        return answer
    }
    /// Whether the client's bytes are a PROXY protocol header and nothing after it: its own
    /// bytes not seen, as if the capture had cut them.
    func headerFillsClientBytes() -> Bool {
        let client = copy(0, split)
        defer { client.deallocate() }
        let after = ProxyProtocolHeader.clientBytes(after: PayloadBytes(UnsafeRawBufferPointer(client), sent: split > 0))
        return split > 0 && after.count == 0
    }
    let first = recognize(clientKeep: split, serverKeep: rest - split, clientCut: clientCut, serverCut: serverCut)
    precondition(first == recognize(clientKeep: split, serverKeep: rest - split, clientCut: clientCut,
                                    serverCut: serverCut), "recognition is not deterministic")
    precondition(first.tlsVersion == nil || first.name == .tls, "a TLS version without TLS")
    precondition(first.name != .unknown || clientCut || serverCut || headerFillsClientBytes(),
                 "unknown without a cut")
    // Picked up mid-stream, the same bytes say the same, except that unknown bytes are `unknown`.
    let midStream = recognize(clientKeep: split, serverKeep: rest - split, clientCut: clientCut, serverCut: serverCut,
                              fromStart: false)
    precondition(midStream == first || (first.name == .other && midStream == .unknown), "mid-stream says another")
    let whole = recognize(clientKeep: split, serverKeep: rest - split, clientCut: false, serverCut: false)
    if whole.name.isRecognized {
        let lengths = Int(data[size - 1])
        let clientKeep = lengths % (split + 1), serverKeep = lengths % (rest - split + 1)
        for (keepClient, keepServer) in [(clientKeep, rest - split), (split, serverKeep), (clientKeep, serverKeep)] {
            let cut = recognize(clientKeep: keepClient, serverKeep: keepServer, clientCut: false, serverCut: false)
            precondition(cut.name == whole.name || cut.name == .unknown,
                         "cut to \(keepClient)/\(keepServer): \(cut.name.name), whole: \(whole.name.name)")
        }
    }
    return 0
}
