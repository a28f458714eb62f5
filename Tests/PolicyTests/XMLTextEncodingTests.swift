import Foundation
import Policy
import XCTest

/// A DAS configuration file that is not UTF-8 and does not say so: found by the das-home
/// fuzz target (Fuzz/crashes/das-home-latin1-comment), where a Latin-1 byte in a comment
/// made Foundation's XMLParser trap (it force-unwraps each comment's UTF-8 decoding).
final class XMLTextEncodingTests: XCTestCase {
    /// `<!-- café -->` saved in Latin-1, in a file with no encoding declared.
    let latin1Comment = Data("<?xml version=\"1.0\"?>\n<Server><!-- caf".utf8) + Data([0xE9])
        + Data(" --><Ports><Offset>1</Offset></Ports></Server>\n".utf8)

    func testALatin1CommentInCarbonXMLIsAnErrorNamingTheFileAndLine() throws {
        let home = try scratchHome(["carbon.xml": latin1Comment])
        XCTAssertThrowsError(try DASInstallation.read(home: home)) { error in
            XCTAssertEqual((error as? PolicyError)?.source, "\(home)/repository/conf/carbon.xml", "\(error)")
            XCTAssertEqual((error as? PolicyError)?.line, 2, "\(error)")
            XCTAssertTrue("\(error)".contains("is not UTF-8 text, nor UTF-16 with a byte order mark, nor declared ISO-8859-1"), "\(error)")
        }
    }

    func testTheFuzzersInputsAreErrorsToo() throws {
        for name in ["das-home-latin1-comment", "das-home-latin1-broken-declaration", "das-home-latin1-element-name",
                     "das-home-latin1-odd-version"] {
            let input = try Data(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
                .appendingPathComponent("../../Fuzz/crashes/\(name)"))
            // The das-home target's form: carbon.xml, spark-defaults.conf, event-processor.xml, split at NUL bytes.
            let parts = input.split(separator: 0, maxSplits: 2, omittingEmptySubsequences: false).map { Data($0) }
            let names = ["carbon.xml", "analytics/spark/spark-defaults.conf", "event-processor.xml"]
            let home = try scratchHome(Dictionary(uniqueKeysWithValues: zip(names, parts)))
            XCTAssertThrowsError(try DASInstallation.read(home: home), name) { error in
                XCTAssertTrue(error is PolicyError, "\(name): \(error)")
            }
        }
    }

    func testADeclarationLibxml2DoesNotTakeNamesNoEncoding() throws {
        var broken = latin1Comment
        broken.replaceSubrange(0..<21, with: Data("<?xml version=\"1.0\" encod<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>".utf8))
        let home = try scratchHome(["carbon.xml": broken])
        XCTAssertThrowsError(try DASInstallation.read(home: home)) { error in
            XCTAssertTrue("\(error)".contains("is not UTF-8 text, nor UTF-16 with a byte order mark, nor declared ISO-8859-1"), "\(error)")
        }
    }

    func testALatin1CommentInEventProcessorXMLIsAnError() throws {
        let carbon = Data("<Server><Ports><Offset>1</Offset></Ports></Server>".utf8)
        let home = try scratchHome(["carbon.xml": carbon, "event-processor.xml": latin1Comment])
        XCTAssertThrowsError(try DASInstallation.read(home: home)) { error in
            XCTAssertEqual((error as? PolicyError)?.source, "\(home)/repository/conf/event-processor.xml", "\(error)")
        }
    }

    func testLatin1ThatSaysSoIsRead() throws {
        var declared = latin1Comment
        declared.replaceSubrange(0..<21, with: Data("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>".utf8))
        let home = try scratchHome(["carbon.xml": declared])
        XCTAssertEqual(try DASInstallation.read(home: home).offset, 1)
    }

    func testAnOddVersionMakesTheDeclarationCountForNothing() throws {
        var odd = latin1Comment
        odd.replaceSubrange(0..<21, with: Data("<?xml version=\"q.0\" encoding=\"ISO-8859-1\"?>".utf8))
        let home = try scratchHome(["carbon.xml": odd])
        XCTAssertThrowsError(try DASInstallation.read(home: home))
    }

    func testLatin1TextIsReadAsItsCharacters() throws {
        let carbon = Data("<?xml version='1.0' encoding='iso-8859-1'?>\n<Server><Ports><Offset>4</Offset></Ports></Server>".utf8)
        let events = Data("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><c><!-- r".utf8) + Data([0xE9])
            + Data("sum".utf8) + Data([0xE9]) + Data(" --><mode name=\"HA\" enable=\"true\"><nodeType><worker enable=\"true\"/></nodeType><management><port>10105</port></management></mode></c>".utf8)
        let home = try scratchHome(["carbon.xml": carbon, "event-processor.xml": events])
        let settings = try DASInstallation.read(home: home)
        XCTAssertEqual(settings.offset, 4)
        XCTAssertEqual(settings.basePorts["ha.management.port"], 10105)
    }

    func testUTF8WithAByteOrderMarkIsRead() throws {
        let home = try scratchHome(["carbon.xml": Data([0xEF, 0xBB, 0xBF]) + Data("<Server><!-- café --><Ports><Offset>2</Offset></Ports></Server>".utf8)])
        XCTAssertEqual(try DASInstallation.read(home: home).offset, 2)
    }

    /// A DAS installation holding `files` (paths under repository/conf).
    private func scratchHome(_ files: [String: Data]) throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("das-home-\(UUID())")
        addTeardownBlock { try? FileManager.default.removeItem(at: root) }
        for (name, data) in files {
            let file = root.appendingPathComponent("repository/conf/\(name)")
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: file)
        }
        return root.path
    }
}
