import Audit
import Foundation

/// Pretty-printed JSON written straight to a `ByteSink`, byte for byte as
/// `ResultCoding.encoder()` (Foundation's JSONEncoder: pretty, sorted keys, slashes
/// unescaped) writes the same values, so a streamed result is the result JSONEncoder
/// would have built in memory:
///
/// - two spaces per level, `"key" : value`, `,` then a newline between members, and an
///   empty container as its brackets around an empty line (`[`, ``, `]`);
/// - strings escape `"`, `\`, and the control characters U+0000-U+001F (`\b`, `\f`,
///   `\n`, `\r`, `\t`, else `\u00XX` in lowercase hex), and then, as every JSON output
///   does (`JSONInvisibles`), DEL, the C1 controls, U+2028/U+2029 and the format
///   characters (bidirectional controls, zero-width ones, tags) as `\uXXXX`; everything else, other non-ASCII included, is written as its
///   UTF-8;
/// - integers in decimal (the result's one double, `duration_seconds`, is in a part
///   JSONEncoder writes itself: `JSONResultWriter`).
///
/// The caller writes an object's keys in sorted order (their UTF-8 bytes, JSONEncoder's
/// order on Linux), already in snake case; dictionaries (`counts`) are sorted here. The
/// byte-equality tests against JSONEncoder keep the two from drifting apart.
struct JSONStreamWriter {
    let sink: ByteSink
    /// Containers open, so the indentation of the next line is two spaces each.
    private(set) var depth: Int
    /// For each container this writer opened, innermost in the lowest bit: whether nothing
    /// has been written in it yet. Bits, not an array of flags: an array's uniqueness and
    /// bounds checks on every member were a tenth of the output's instructions. A result
    /// nests a few levels deep (`open` checks the 64).
    private var emptyContainers: UInt64 = 0
    private var opened = 0

    /// A writer whose first value sits at `depth` (inside `depth` containers written by
    /// someone else), so its lines are indented as theirs are.
    init(sink: ByteSink, depth: Int = 0) {
        self.sink = sink
        self.depth = depth
    }

    // MARK: Containers

    mutating func beginObject() { open(UInt8(ascii: "{")) }
    mutating func endObject() { close(UInt8(ascii: "}")) }
    mutating func beginArray() { open(UInt8(ascii: "[")) }
    mutating func endArray() { close(UInt8(ascii: "]")) }

    /// Starts the member `name` of the object being written: `name` is snake case and
    /// needs no escaping (a coding key).
    @inline(__always)
    mutating func key(_ name: StaticString) {
        startItem()
        sink.write(byte: UInt8(ascii: "\""))
        sink.write(name)
        sink.write("\" : " as StaticString)
    }

    /// Starts the member `name` (a dictionary key, escaped as any string). Named apart from
    /// `key(_:)` so that a literal key never takes this slower path.
    mutating func key(escaping name: String) {
        startItem()
        string(name)
        sink.write(" : " as StaticString)
    }

    /// Starts the next element of the array being written.
    @inline(__always)
    mutating func element() { startItem() }

    @inline(__always)
    private mutating func open(_ bracket: UInt8) {
        sink.write(byte: bracket)
        sink.write(byte: UInt8(ascii: "\n"))
        depth += 1
        precondition(opened < 64, "JSONStreamWriter: containers nested past 64")
        opened += 1
        emptyContainers = emptyContainers << 1 | 1
    }

    @inline(__always)
    private mutating func close(_ bracket: UInt8) {
        opened -= 1
        emptyContainers >>= 1
        depth -= 1
        sink.write(byte: UInt8(ascii: "\n"))
        sink.write(byte: UInt8(ascii: " "), repeating: 2 * depth)
        sink.write(byte: bracket)
    }

    @inline(__always)
    private mutating func startItem() {
        if emptyContainers & 1 != 0 {
            emptyContainers &= ~1
        } else {
            sink.write(",\n" as StaticString)
        }
        sink.write(byte: UInt8(ascii: " "), repeating: 2 * depth)
    }

    // MARK: Scalars

    /// A string, quoted and escaped.
    @inline(__always)
    func string(_ value: String) {
        var value = value
        value.withUTF8 { escaped(UnsafeRawBufferPointer($0)) }
    }

    /// A string or `null`.
    func string(_ value: String?) {
        if let value { string(value) } else { null() }
    }

    @inline(__always)
    func number(_ value: UInt64) { sink.write(decimal: value) }
    @inline(__always)
    func number(_ value: UInt16) { sink.write(decimal: UInt64(value)) }
    @inline(__always)
    func number(_ value: Int) { sink.write(decimal: Int64(value)) }

    /// A port, or `null`.
    func number(_ value: UInt16?) {
        if let value { number(value) } else { null() }
    }

    func bool(_ value: Bool) { value ? sink.write("true" as StaticString) : sink.write("false" as StaticString) }
    func null() { sink.write("null" as StaticString) }

    /// A time, as `Timestamp` encodes itself (RFC 3339 text, nine fractional digits),
    /// written in place (`ByteSink.write(_: Timestamp)`): making a string of each, or
    /// keeping one per second, cost most of the services list's output, whose first and
    /// last times alternate between seconds.
    @inline(__always)
    func time(_ value: Timestamp) {
        sink.write(byte: UInt8(ascii: "\""))
        sink.write(value)
        sink.write(byte: UInt8(ascii: "\""))
    }

    // MARK: Composites

    /// An array of strings.
    mutating func strings(_ values: [String]) {
        beginArray()
        for value in values {
            element()
            string(value)
        }
        endArray()
    }

    /// An array of strings, or `null`.
    mutating func strings(_ values: [String]?) {
        if let values { strings(values) } else { null() }
    }

    /// A dictionary of counts, its keys sorted as JSONEncoder sorts them (UTF-8 bytes).
    /// Most services count one state, one basis and one protocol: a single member is
    /// written without sorting, whose array was a third of the services list's output.
    mutating func counts(_ dictionary: [String: UInt64]) {
        beginObject()
        if dictionary.count == 1, let (key, value) = dictionary.first {
            self.key(escaping: key)
            number(value)
        } else {
            for (key, value) in dictionary.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }) {
                self.key(escaping: key)
                number(value)
            }
        }
        endObject()
    }

    /// A dictionary of counts, or `null`.
    mutating func counts(_ dictionary: [String: UInt64]?) {
        if let dictionary { counts(dictionary) } else { null() }
    }

    /// `value` as JSONEncoder writes it with `ResultCoding.encoder()`, indented to sit here:
    /// for the bounded parts of a result, so they follow the model's Codable conformance
    /// whatever fields it gains.
    func encoded(_ value: some Encodable) throws {
        reindented(JSONInvisibles.escaped(try ResultCoding.encoder().encode(value)))
    }

    /// JSON written at depth 0 by JSONEncoder, each line after the first indented by this
    /// writer's depth (an empty line, inside an empty container, stays empty).
    func reindented(_ json: Data) {
        json.withUnsafeBytes { bytes in
            var start = 0
            for index in bytes.indices where bytes[index] == UInt8(ascii: "\n") {
                sink.write(UnsafeRawBufferPointer(rebasing: bytes[start...index]))
                start = index + 1
                if start < bytes.count, bytes[start] != UInt8(ascii: "\n") {
                    sink.write(byte: UInt8(ascii: " "), repeating: 2 * depth)
                }
            }
            sink.write(UnsafeRawBufferPointer(rebasing: bytes[start...]))
        }
    }

    /// `bytes` (UTF-8) between quotes, escaped as JSONEncoder escapes them, then as
    /// `JSONInvisibles` escapes JSONEncoder's text.
    @inline(__always)
    private func escaped(_ bytes: UnsafeRawBufferPointer) {
        sink.write(byte: UInt8(ascii: "\""))
        var start = 0
        var next = 0
        while next < bytes.count {
            // Eight bytes at a time while none needs a look: most text is plain ASCII.
            if bytes.count - next >= 8,
               !Self.mayNeedEscaping(bytes.loadUnaligned(fromByteOffset: next, as: UInt64.self)) {
                next &+= 8
                continue
            }
            let index = next
            next &+= 1
            let byte = bytes[index]
            guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte >= 0x7F else { continue }
            if byte >= 0x7F {
                // DEL, a C1, line-separator or format character: escaped as `JSONInvisibles`
                // escapes what JSONEncoder wrote; its continuation bytes pass as others do.
                guard let found = JSONInvisibles.scalar(in: bytes, at: index) else { continue }
                if index > start { sink.write(UnsafeRawBufferPointer(rebasing: bytes[start..<index])) }
                JSONInvisibles.write(found.value, to: sink)
                start = index + found.length
                continue
            }
            if index > start { sink.write(UnsafeRawBufferPointer(rebasing: bytes[start..<index])) }
            start = index + 1
            switch byte {
            case UInt8(ascii: "\""): sink.write("\\\"")
            case UInt8(ascii: "\\"): sink.write("\\\\")
            case 0x08: sink.write("\\b")
            case 0x0C: sink.write("\\f")
            case 0x0A: sink.write("\\n")
            case 0x0D: sink.write("\\r")
            case 0x09: sink.write("\\t")
            default: JSONInvisibles.write(UInt32(byte), to: sink)
            }
        }
        if bytes.count > start { sink.write(UnsafeRawBufferPointer(rebasing: bytes[start...])) }
        sink.write(byte: UInt8(ascii: "\""))
    }

    /// Whether any of the eight bytes in `word` is one `escaped` must look at: below 0x20,
    /// `"`, `\`, or 0x7F and above. Exact, never a byte missed: the classic "has a byte
    /// less than n" and "has a zero byte" tests, whose borrows can only mark bytes above
    /// one that matched.
    @inline(__always)
    static func mayNeedEscaping(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        @inline(__always) func hasZeroByte(_ value: UInt64) -> Bool { (value &- ones) & ~value & highs != 0 }
        let belowSpace = (word &- ones &* 0x20) & ~word & highs != 0
        return belowSpace || word & highs != 0 || hasZeroByte(word ^ (ones &* 0x22))
            || hasZeroByte(word ^ (ones &* 0x5C)) || hasZeroByte(word ^ (ones &* 0x7F))
    }
}
