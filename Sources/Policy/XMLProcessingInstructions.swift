import Foundation

/// Takes processing instructions (`<?target data?>`) out of an XML document before
/// Foundation's `XMLParser` sees it.
///
/// swift-corelibs-foundation reads a processing instruction's data with `strlen` even when
/// libxml2 reports none, so `<?x?>` anywhere in carbon.xml crashed dasaudit on a null
/// pointer (found by the das-home fuzz target, Fuzz/README.md). dasaudit reads no processing
/// instruction, so each one but the XML declaration is overwritten with spaces (its line
/// breaks kept, so the parser's line numbers stay right); those in comments and CDATA
/// sections are text and stay.
enum XMLProcessingInstructions {
    static func blankedOut(_ data: Data) -> Data {
        var bytes = [UInt8](data)
        func matches(_ pattern: String, at position: Int) -> Bool {
            let pattern = Array(pattern.utf8)
            return position + pattern.count <= bytes.count && bytes[position..<position + pattern.count].elementsEqual(pattern)
        }
        func end(of close: String, from position: Int) -> Int {
            var position = position
            while position < bytes.count && !matches(close, at: position) { position += 1 }
            return min(position + close.utf8.count, bytes.count)
        }
        let declarationStart = matches("\u{FEFF}", at: 0) ? 3 : 0
        var position = 0
        while position < bytes.count {
            if matches("<!--", at: position) {
                position = end(of: "-->", from: position + 4)
            } else if matches("<![CDATA[", at: position) {
                position = end(of: "]]>", from: position + 9)
            } else if matches("<?", at: position) {
                let instructionEnd = end(of: "?>", from: position + 2)
                let isDeclaration = position == declarationStart && matches("<?xml", at: position)
                    && position + 5 < bytes.count && [0x20, 0x09, 0x0D, 0x0A].contains(bytes[position + 5])
                if !isDeclaration {
                    for index in position..<instructionEnd where bytes[index] != 0x0A { bytes[index] = 0x20 }
                }
                position = instructionEnd
            } else {
                position += 1
            }
        }
        return Data(bytes)
    }
}
