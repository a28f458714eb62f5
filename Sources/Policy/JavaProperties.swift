/// A `.properties` text read the way `java.util.Properties.load(Reader)` reads it, which is
/// how Spark reads spark-defaults.conf (`Utils.getPropertiesFromFile`) and so how DAS sees it:
/// - lines end at `\n`, `\r` or `\r\n`; leading space, tab and form feed are skipped;
/// - a line whose first other character is `#` or `!` is a comment (never continued);
/// - a line ending in an odd number of backslashes continues on the next one, whose
///   leading whitespace is dropped;
/// - the key ends at the first unescaped `=`, `:` or whitespace; whitespace around it and
///   at most one `=` or `:` separate it from the value, which keeps its trailing whitespace;
/// - `\t`, `\n`, `\r`, `\f` and `\uXXXX` are escapes, any other `\x` stands for `x`;
///   a malformed `\u` is an error (Java throws `IllegalArgumentException`).
///
/// It works on Unicode scalars, not Swift `Character`s, where `\r\n` is a single one.
public enum JavaProperties {
    /// One key and value with the line its logical line starts on (1-based).
    public struct Entry: Equatable, Sendable {
        public var key: String
        public var value: String
        public var line: Int

        public init(key: String, value: String, line: Int) {
            self.key = key
            self.value = value
            self.line = line
        }
    }

    /// A malformed `\uXXXX` escape, with its line.
    public struct MalformedEscape: Error, Equatable, Sendable {
        public var line: Int

        public init(line: Int) { self.line = line }
    }

    /// The entries of `text` in file order; a later entry for a key replaces an earlier
    /// one in `Properties`, as in `values(_:)`.
    public static func entries(_ text: String) throws(MalformedEscape) -> [Entry] {
        var entries: [Entry] = []
        for logical in logicalLines(Array(text.unicodeScalars)) {
            let (keyEnd, valueStart) = split(logical.scalars)
            let scalars = logical.scalars
            guard let key = unescaped(scalars[0..<keyEnd]),
                  let value = unescaped(scalars[valueStart..<scalars.count]) else {
                throw MalformedEscape(line: logical.line)
            }
            entries.append(Entry(key: key, value: value, line: logical.line))
        }
        return entries
    }

    /// Each key's last value and its line, as `Properties` holds them after `load`.
    public static func values(_ text: String) throws(MalformedEscape) -> [String: (value: String, line: Int)] {
        var values: [String: (value: String, line: Int)] = [:]
        for entry in try entries(text) { values[entry.key] = (entry.value, entry.line) }
        return values
    }

    private static func isBlank(_ c: Unicode.Scalar) -> Bool { c == " " || c == "\t" || c == "\u{0C}" }
    private static func isLineEnd(_ c: Unicode.Scalar) -> Bool { c == "\n" || c == "\r" }

    /// The logical lines (continuations joined, comments and blank lines dropped), as
    /// Java 8's `Properties.LineReader` returns them.
    static func logicalLines(_ input: [Unicode.Scalar]) -> [(scalars: [Unicode.Scalar], line: Int)] {
        var lines: [(scalars: [Unicode.Scalar], line: Int)] = []
        var buffer: [Unicode.Scalar] = []
        var lineNumber = 1, startLine = 1
        var skipWhiteSpace = true, isCommentLine = false, isNewLine = true
        var appendedLineBegin = false, precedingBackslash = false, skipLF = false
        func startOver() {
            buffer = []
            skipWhiteSpace = true; isCommentLine = false; isNewLine = true
            appendedLineBegin = false; precedingBackslash = false
        }
        var afterCR = false
        for c in input {
            // The physical line c is on: "\r\n" is one line end.
            defer {
                if c == "\r" || (c == "\n" && !afterCR) { lineNumber += 1 }
                afterCR = c == "\r"
            }
            if skipLF {
                skipLF = false
                if c == "\n" { continue }
            }
            if skipWhiteSpace {
                if isBlank(c) { continue }
                if !appendedLineBegin && isLineEnd(c) { continue }
                skipWhiteSpace = false
                appendedLineBegin = false
            }
            if isNewLine {
                isNewLine = false
                startLine = lineNumber
                if c == "#" || c == "!" { isCommentLine = true; continue }
            }
            if !isLineEnd(c) {
                buffer.append(c)
                precedingBackslash = c == "\\" ? !precedingBackslash : false
            } else if isCommentLine || buffer.isEmpty {
                startOver()
            } else if precedingBackslash {
                buffer.removeLast()
                skipWhiteSpace = true
                appendedLineBegin = true
                precedingBackslash = false
                skipLF = c == "\r"
            } else {
                lines.append((buffer, startLine))
                startOver()
            }
        }
        // End of input: Java drops a last continuation backslash.
        if !buffer.isEmpty && !isCommentLine {
            if precedingBackslash { buffer.removeLast() }
            lines.append((buffer, startLine))
        }
        return lines
    }

    /// Where the key ends and the value starts in a logical line.
    static func split(_ line: [Unicode.Scalar]) -> (keyEnd: Int, valueStart: Int) {
        var keyEnd = 0, valueStart = line.count
        var hasSeparator = false, precedingBackslash = false
        while keyEnd < line.count {
            let c = line[keyEnd]
            if (c == "=" || c == ":") && !precedingBackslash {
                valueStart = keyEnd + 1
                hasSeparator = true
                break
            }
            if isBlank(c) && !precedingBackslash {
                valueStart = keyEnd + 1
                break
            }
            precedingBackslash = c == "\\" ? !precedingBackslash : false
            keyEnd += 1
        }
        while valueStart < line.count {
            let c = line[valueStart]
            if !isBlank(c) {
                guard !hasSeparator && (c == "=" || c == ":") else { break }
                hasSeparator = true
            }
            valueStart += 1
        }
        return (keyEnd, valueStart)
    }

    /// `loadConvert`: the escapes resolved, in UTF-16 as Java's chars (an escaped surrogate
    /// pair makes one character; a lone surrogate becomes U+FFFD); nil for a malformed `\u`.
    static func unescaped(_ scalars: ArraySlice<Unicode.Scalar>) -> String? {
        var units: [UInt16] = []
        units.reserveCapacity(scalars.count)
        var index = scalars.startIndex
        while index < scalars.endIndex {
            var c = scalars[index]
            index += 1
            guard c == "\\", index < scalars.endIndex else {
                units.append(contentsOf: c.utf16)
                continue
            }
            c = scalars[index]
            index += 1
            switch c {
            case "u":
                guard scalars.endIndex - index >= 4 else { return nil }
                var code: UInt16 = 0
                for digit in scalars[index..<index + 4] {
                    guard let value = Character(digit).hexDigitValue, digit.isASCII else { return nil }
                    code = code << 4 | UInt16(value)
                }
                index += 4
                units.append(code)
            case "t": units.append(0x09)
            case "r": units.append(0x0D)
            case "n": units.append(0x0A)
            case "f": units.append(0x0C)
            default: units.append(contentsOf: c.utf16)
            }
        }
        return String(decoding: units, as: UTF16.self)
    }
}
