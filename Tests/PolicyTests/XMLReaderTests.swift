import ConfigurationXML
import Foundation
import Policy
import XCTest

/// dasaudit's XML reader on its own: what it gives for a document, where it says a broken
/// one breaks, and the limits it keeps on hostile input (XMLReaderLimits), each refused with
/// an error that says which.
final class XMLReaderTests: XCTestCase {
    func testElementsAttributesAndTextAreReadAsWritten() throws {
        let elements = try XMLReader.read(Array("""
            <?xml version="1.0"?>\r
            <c:Server xmlns:c="urn:x" a='1 &amp; &#50;'>\r
              <Offset><![CDATA[3]]></Offset><Empty/>\r
            </c:Server>
            """.utf8))
        XCTAssertEqual(elements.map(\.name), ["c:Server", "Offset", "Empty"])
        XCTAssertEqual(elements[0].localName, "Server")
        XCTAssertEqual(elements[0].attributes, ["xmlns:c": "urn:x", "a": "1 & 2"])
        XCTAssertEqual(elements[0].children, [1, 2])
        XCTAssertEqual(elements[0].text, "\n  \n", "CR LF is read as LF")
        XCTAssertEqual(elements[1].text, "3")
        XCTAssertEqual(elements.map(\.line), [2, 3, 3])
    }

    func testAStartTagOverLinesIsOnTheLineItEnds() throws {
        let elements = try XMLReader.read(Array("<Server>\n<Connector\n port=\"9443\"\n/>\n</Server>".utf8))
        XCTAssertEqual(elements[1].line, 4)
    }

    func testABrokenDocumentIsRefusedWithItsLineAndProblem() {
        let cases: [(String, Int, String)] = [
            ("<Server>\n<Ports>\n</Offset>\n</Server>", 3, "</Offset> closes <Ports> (line 2)"),
            ("<Server>\n<!-- a -- b -->\n</Server>", 2, "'--' inside a comment"),
            ("<Server>\n\n<Name>&nbsp;</Name></Server>", 3, "&nbsp; is not one of XML's five entities"),
            ("<Server a='1' a='2'/>", 1, "the attribute a appears twice on <Server>"),
            ("<Server>\n<Ports>", 2, "the document ends inside <Ports> (line 2)"),
            ("<Server/>\n<Server/>", 2, "text or markup after the root element"),
            ("<!DOCTYPE x [<!ENTITY e \"e\">]><x>&e;</x>", 1, "a document type declaration (<!DOCTYPE>)"),
            ("<Server>\u{1}</Server>", 1, "U+0001, a character XML does not allow"),
            ("", 1, "no root element"),
        ]
        for (document, line, problem) in cases {
            XCTAssertThrowsError(try XMLReader.read(Array(document.utf8)), document.debugDescription) { error in
                let error = error as? XMLReadError
                XCTAssertEqual(error?.line, line, document.debugDescription)
                XCTAssertTrue(error?.problem.hasPrefix(problem) == true, "\(document.debugDescription): \(String(describing: error))")
                XCTAssertEqual(error?.isOverLimit, false)
            }
        }
        XCTAssertThrowsError(try XMLReader.read([0x3C, 0x61, 0x3E, 0xFF, 0x3C, 0x2F, 0x61, 0x3E])) { error in
            XCTAssertEqual((error as? XMLReadError)?.problem, "a byte that is not UTF-8 (0xFF)")
        }
    }

    func testEachLimitIsKeptAndNamed() {
        let overLimit: [(String, String)] = [
            (String(repeating: "<a>", count: XMLReaderLimits.depth + 1), "elements nest deeper than 256 levels"),
            ("<r>" + String(repeating: "<a/>", count: XMLReaderLimits.elements) + "</r>", "more than 100000 elements"),
            ("<" + String(repeating: "n", count: XMLReaderLimits.nameLength + 1) + "/>", "a name longer than 1000 bytes"),
            ("<r>" + String(repeating: "x", count: XMLReaderLimits.textLength + 1) + "</r>", "<r> (line 1) holds more than 1048576 bytes of text"),
            ("<r a='" + String(repeating: "x", count: XMLReaderLimits.attributeValueLength + 1) + "'/>", "an attribute value longer than 65536 bytes"),
            ("<r" + (0...XMLReaderLimits.attributesPerElement).map { " a\($0)='1'" }.joined() + "/>", "more than 256 attributes on <r>"),
        ]
        for (document, problem) in overLimit {
            XCTAssertThrowsError(try XMLReader.read(Array(document.utf8))) { error in
                let error = error as? XMLReadError
                XCTAssertEqual(error?.isOverLimit, true, problem)
                XCTAssertTrue(error?.problem.hasPrefix(problem) == true, "\(String(describing: error)) is not '\(problem)'")
            }
        }
        // At the limits, the same documents are read.
        XCTAssertEqual(try XMLReader.read(Array((String(repeating: "<a>", count: XMLReaderLimits.depth)
            + String(repeating: "</a>", count: XMLReaderLimits.depth)).utf8)).count, XMLReaderLimits.depth)
        XCTAssertEqual(try XMLReader.read(Array(("<r>" + String(repeating: "<a/>", count: XMLReaderLimits.elements - 1) + "</r>").utf8)).count,
                       XMLReaderLimits.elements)
    }

    /// Through `--das-home`: the error names the file, the line and the problem.
    func testACarbonXMLThatIsNotWellFormedIsNamedWithItsLine() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("das-home-\(UUID())")
        let conf = root.appendingPathComponent("repository/conf")
        try FileManager.default.createDirectory(at: conf, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: root) }
        try Data("<Server>\n  <Ports>\n    <Offset>2</Offset>\n  </Port>\n</Server>\n".utf8).write(to: conf.appendingPathComponent("carbon.xml"))
        XCTAssertThrowsError(try DASInstallation.read(home: root.path)) { error in
            XCTAssertEqual("\(error)", "\(conf.path)/carbon.xml:4: not well-formed XML (</Port> closes <Ports> (line 2))")
        }
    }
}
