import ConfigurationXML
import Foundation
@testable import Policy
import TestSupport
import XCTest

/// dasaudit's XML reader and libxml2 (the library Foundation's XMLParser used, through
/// python3's lxml: scripts/xml-libxml2-tree.py) read the same documents the same way: every
/// XML file of the test fixtures (the DAS installations, the stock WSO2 files) and the
/// corpus of Tests/Fixtures/xml-corpus (scripts/make-xml-corpus.py: the stock files saved
/// with CRLF, a byte order mark, UTF-16, Latin-1, a carbon.xml with everything an operator
/// may write), to the same tree; and both refuse each malformed document of the corpus.
final class XMLDifferentialTests: XCTestCase {
    let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    func testTheReaderAndLibxml2AgreeOnEveryDocument() throws {
        let paths = try xmlFiles()
        let malformed = paths.filter { $0.contains("/xml-corpus/malformed/") }
        XCTAssertGreaterThan(malformed.count, 30)
        XCTAssertGreaterThan(paths.count - malformed.count, 30, "the fixtures' XML files and the well-formed corpus")
        let libxml2 = try libxml2Trees(paths)
        XCTAssertEqual(libxml2.count, paths.count)
        for path in paths {
            let ours = Node.read(try Data(contentsOf: URL(fileURLWithPath: path)))
            let theirs = libxml2[path] ?? nil
            let name = path.replacingOccurrences(of: fixtures.path + "/", with: "")
            if malformed.contains(path) {
                XCTAssertNil(theirs, "\(name): libxml2 reads a document the corpus calls malformed")
                XCTAssertTrue(ours == nil, "\(name): libxml2 refuses it, dasaudit's reader reads it")
            } else {
                XCTAssertNotNil(theirs, "\(name): libxml2 refuses it")
                XCTAssertEqual(ours, theirs, "\(name): dasaudit's reader and libxml2 read different trees")
            }
        }
    }

    /// Every `.xml` under Tests/Fixtures.
    private func xmlFiles() throws -> [String] {
        let walker = try XCTUnwrap(FileManager.default.enumerator(atPath: fixtures.path))
        return walker.compactMap { $0 as? String }.filter { $0.hasSuffix(".xml") }.sorted()
            .map { fixtures.appendingPathComponent($0).path }
    }

    /// libxml2's tree of each file, nil where it refuses the file.
    private func libxml2Trees(_ paths: [String]) throws -> [String: Node?] {
        let script = fixtures.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("scripts/xml-libxml2-tree.py")
        let process = Process()
        // Debian's interpreter, where python3-lxml (scripts/setup.sh) installs: a python3 found
        // first on PATH (pyenv, a venv) may not have it.
        let debianPython = "/usr/bin/python3"
        if FileManager.default.isExecutableFile(atPath: debianPython) {
            process.executableURL = URL(fileURLWithPath: debianPython)
            process.arguments = [script.path] + paths
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", script.path] + paths
        }
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let json = output.fileHandleForReading.readDataToEndOfFile()
        let complaint = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        if complaint.contains("No module named 'lxml'") || complaint.contains("No such file") {
            throw unavailable("python3 with lxml (pip install lxml) is needed to compare with libxml2: \(complaint)")
        }
        XCTAssertEqual(process.terminationStatus, 0, complaint)
        return try JSONDecoder().decode([String: Node?].self, from: json)
    }

    /// An element as both readers give it (scripts/xml-libxml2-tree.py says what each part is).
    struct Node: Decodable, Equatable, CustomStringConvertible {
        let name: String
        let attributes: [String: String]
        let text: String
        let children: [Node]

        /// The tree dasaudit reads from `data` (the encodings as `--das-home` takes them), nil
        /// when it refuses the document.
        static func read(_ data: Data) -> Node? {
            guard let document = XMLTextEncoding.utf8Document(data),
                  let elements = try? XMLReader.read(document) else { return nil }
            // Built from the last element back, so each element's children exist before it does.
            var nodes = [Node?](repeating: nil, count: elements.count)
            for (index, element) in elements.enumerated().reversed() {
                nodes[index] = Node(name: element.name,
                                    attributes: element.attributes.filter { $0.key != "xmlns" && !$0.key.hasPrefix("xmlns:") },
                                    text: element.text, children: element.children.compactMap { nodes[$0] })
            }
            return nodes[0]
        }

        init(name: String, attributes: [String: String], text: String, children: [Node]) {
            (self.name, self.attributes, self.text, self.children) = (name, attributes, text, children)
        }

        var description: String { "<\(name) \(attributes.sorted { $0.key < $1.key })>\(text.debugDescription)\(children)</\(name)>" }
    }
}
