import ConfigurationXML
import FuzzSupport

/// The libFuzzer entry point over dasaudit's XML reader (`XMLReader`), on any bytes.
///
/// Beyond "does not crash, hang or grow": the same bytes give the same answer; a refusal
/// names a line of the input; a document read keeps `XMLReaderLimits` and its tree is a
/// tree (each child after its parent, depth within the limit); and the document written
/// back from that tree reads to the same tree (names, attributes, text, children).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzXMLInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = UnsafeBufferPointer(start: data, count: size)
    let lines = input.reduce(1) { $0 + ($1 == 0x0A || $1 == 0x0D ? 1 : 0) }
    let first = Result { try XMLReader.read(input) }
    let again = Result { try XMLReader.read(input) }
    switch (first, again) {
    case (.success(let elements), .success(let elementsAgain)):
        require(elements == elementsAgain, "two reads of one input differ")
        checkTree(elements, lines: lines)
        let written = XMLFuzzing.written(elements)
        switch Result(catching: { try XMLReader.read(written) }) {
        case .success(let reread):
            require(reread.map(XMLFuzzing.Shape.init) == elements.map(XMLFuzzing.Shape.init),
                    "the document written back reads differently: \(String(decoding: written, as: UTF8.self))")
        case .failure(let error):
            fatalError("the document written back is refused (\(error)): \(String(decoding: written, as: UTF8.self))")
        }
    case (.failure(let error as XMLReadError), .failure(let errorAgain as XMLReadError)):
        require(error == errorAgain, "two reads of one input fail differently: \(error), \(errorAgain)")
        require((1...lines).contains(error.line) && !error.problem.isEmpty, "a refusal with line \(error.line) of \(lines): \(error)")
    default:
        fatalError("two reads of one input disagree, or one failed with something other than an XMLReadError: \(first), \(again)")
    }
    return 0
}

/// The read tree keeps the limits, and is a tree.
private func checkTree(_ elements: [XMLReadElement], lines: Int) {
    require(!elements.isEmpty && elements.count <= XMLReaderLimits.elements, "\(elements.count) elements")
    var depth = [Int](repeating: 0, count: elements.count)
    depth[0] = 1
    var attributes = 0
    for (index, element) in elements.enumerated() {
        require(depth[index] >= 1 && depth[index] <= XMLReaderLimits.depth, "element \(index) at depth \(depth[index])")
        require(element.name.utf8.count <= XMLReaderLimits.nameLength && element.text.utf8.count <= XMLReaderLimits.textLength,
                "element \(index) over the name or text limit")
        require((1...lines).contains(element.line), "element \(index) on line \(element.line) of \(lines)")
        attributes += element.attributes.count
        for child in element.children {
            require(child > index && child < elements.count && depth[child] == 0, "element \(index) has child \(child)")
            depth[child] = depth[index] + 1
        }
    }
    require(attributes <= XMLReaderLimits.attributes, "\(attributes) attributes")
}

/// The document written back from a read tree, and what a re-read must keep.
enum XMLFuzzing {
    /// What the reader gives that writing back keeps (lines may move).
    struct Shape: Equatable {
        let name: String, attributes: [String: String], text: String, children: [Int]
        init(_ element: XMLReadElement) {
            (name, attributes, text, children) = (element.name, element.attributes, element.text, element.children)
        }
    }

    /// Each element's text first, then its children; every character that could be read
    /// as markup, or normalised, written as a reference.
    static func written(_ elements: [XMLReadElement]) -> [UInt8] {
        var out: [UInt8] = []
        func escaped(_ text: String) -> String {
            var result = ""
            for scalar in text.unicodeScalars {
                switch scalar {
                case "&": result += "&amp;"
                case "<": result += "&lt;"
                case ">": result += "&gt;"
                case "\"": result += "&quot;"
                case "\t": result += "&#9;"
                case "\n": result += "&#10;"
                case "\r": result += "&#13;"
                default: result.unicodeScalars.append(scalar)
                }
            }
            return result
        }
        // Without recursion: a stack of (element, whether its children are written).
        var stack: [(Int, Bool)] = [(0, false)]
        while let (index, closing) = stack.popLast() {
            let element = elements[index]
            if closing {
                out += Array("</\(element.name)>".utf8)
                continue
            }
            let attributes = element.attributes.sorted { $0.key < $1.key }.map { " \($0.key)=\"\(escaped($0.value))\"" }.joined()
            out += Array("<\(element.name)\(attributes)>\(escaped(element.text))".utf8)
            stack.append((index, true))
            stack += element.children.reversed().map { ($0, false) }
        }
        return out
    }
}
