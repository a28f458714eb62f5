/// For each value of a side's first byte, the recognizers that may accept bytes beginning
/// with it, as the client's and as the server's: what `ProtocolRecognizer` tries, so that
/// a side is read by the one or two recognizers its first byte leaves instead of all
/// thirteen.
///
/// The table is not written by hand: each recognizer is asked once, for each byte value
/// and side, about that byte alone as the capture cut it. A recognizer that says no to a
/// cut first byte says no to every side beginning with it, longer or whole, since
/// `undecided` is its answer for bytes that end too soon to tell; so leaving it out never
/// changes an answer. The tests hold the dispatched answer to the one with every recognizer
/// tried on every real sample at every length, and the fuzz target on every input it makes.
///
/// Measured on 2.5 M short connections (docs/performance-log.md, "Recognizers picked by the
/// first byte"): the recognition's instructions per connection fell from about 750.
// Unchecked Sendable: the raw table is written once, in `init`, and only read after.
public struct FirstByteCandidates: @unchecked Sendable {
    /// 256 entries as the client's first byte, then 256 as the server's: the bits of the
    /// recognizers that did not say no (`SideRecognition.bit`). Raw memory made once and
    /// never freed: read per connection without a reference count or a bounds check.
    private let bits: UnsafePointer<UInt32>

    /// The table, made on first use. Each read of it is a call (`swift_once`): a caller
    /// that recognizes connection after connection reads it once and hands it over
    /// (`ProtocolRecognizer.recognize(client:server:fromStart:candidates:)`).
    public static let table = FirstByteCandidates()

    private init() {
        let bits = UnsafeMutablePointer<UInt32>.allocate(capacity: 512)
        let byte = UnsafeMutableRawBufferPointer.allocate(byteCount: 1, alignment: 1)
        defer { byte.deallocate() }
        for value in 0..<256 {
            byte[0] = UInt8(value)
            let cut = PayloadBytes(UnsafeRawBufferPointer(byte), sent: true, cutByCapture: true)
            var asClient: UInt32 = 0, asServer: UInt32 = 0
            for position in 0..<32 {
                let recognizer = UInt32(1) << UInt32(position)
                if SideRecognition(client: cut, server: .silent, trying: recognizer).said { asClient |= recognizer }
                if SideRecognition(client: .silent, server: cut, trying: recognizer).said { asServer |= recognizer }
            }
            bits[value] = asClient
            bits[256 + value] = asServer
        }
        self.bits = UnsafePointer(bits)
    }

    /// The recognizers to try on the client's side (every one when none of its bytes was
    /// captured: nothing rules any out).
    @inline(__always)
    func recognizers(forClient side: PayloadBytes) -> UInt32 {
        side.has(1) ? bits[Int(side[0])] : SideRecognition.every
    }

    /// The recognizers to try on the server's side.
    @inline(__always)
    func recognizers(forServer side: PayloadBytes) -> UInt32 {
        side.has(1) ? bits[256 + Int(side[0])] : SideRecognition.every
    }
}

extension SideRecognition {
    /// Whether a recognizer said anything but no.
    var said: Bool { found != nil || undecided != 0 }
}
