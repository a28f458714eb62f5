import Foundation
import Policy
import XCTest

/// A processing instruction without data (`<?x?>`): found by the das-home fuzz target
/// (Fuzz/crashes/das-home-empty-processing-instruction), where Foundation's XMLParser ran
/// `strlen` on the null pointer libxml2 gives for the missing data.
final class XMLProcessingInstructionTests: XCTestCase {
    func testAnInstructionWithoutDataIsIgnored() throws {
        let home = try scratchHome(carbon: "<?x?>\n<Server><?y?><Ports><Offset>3<?z ?></Offset></Ports></Server>\n")
        XCTAssertEqual(try DASInstallation.read(home: home).offset, 3)
    }

    func testTheFuzzersInputIsRead() throws {
        let input = try Data(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Fuzz/crashes/das-home-empty-processing-instruction"))
        let carbon = input.split(separator: 0, maxSplits: 1, omittingEmptySubsequences: false)[0]
        let home = try scratchHome(carbon: String(decoding: carbon, as: UTF8.self))
        XCTAssertEqual(try DASInstallation.read(home: home).offset, 4)
    }

    func testLinesStayRightAfterAnInstruction() throws {
        let home = try scratchHome(carbon: "<?xml version=\"1.0\"?>\n<?pi\nover\nlines?>\n<Server><Ports><Offset>x</Offset></Ports></Server>\n")
        XCTAssertThrowsError(try DASInstallation.read(home: home)) { error in
            XCTAssertEqual((error as? PolicyError)?.line, 5, "\(error)")
        }
    }

    func testInstructionsInCommentsAndCDATAAreText() throws {
        let home = try scratchHome(carbon: "<Server><!-- <?x?> --><Name><![CDATA[<?y?>]]></Name><Ports><Offset>2</Offset></Ports></Server>")
        XCTAssertEqual(try DASInstallation.read(home: home).offset, 2)
    }

    private func scratchHome(carbon: String) throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("das-home-\(UUID())")
        let conf = root.appendingPathComponent("repository/conf")
        try FileManager.default.createDirectory(at: conf, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: root) }
        try Data(carbon.utf8).write(to: conf.appendingPathComponent("carbon.xml"))
        return root.path
    }
}
