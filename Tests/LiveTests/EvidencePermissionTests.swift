import Foundation
import PcapKit
import XCTest

/// Evidence files hold whole packets: `CaptureWriter` makes them 0600 in a directory it
/// creates 0700, whatever the umask, and never writes through a link at the directory's
/// path unless told to (`EvidenceDirectory`).
final class EvidencePermissionTests: XCTestCase {
    var base = ""

    override func setUp() {
        base = NSTemporaryDirectory() + "dasaudit-evidence-\(UUID().uuidString)"
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: base)
    }

    private func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    private func writer(_ directory: String, followLink: Bool = false) throws -> CaptureWriter {
        try CaptureWriter(directory: directory, linkType: 1, snapshotLength: 65535, rotation: .init(), startTime: 0,
                          followLink: followLink)
    }

    func testFilesAre0600InDirectoriesMade0700EvenWithAnOpenUmask() throws {
        let previous = umask(0)
        defer { umask(previous) }
        let writer = try writer(base + "/made/evidence")
        writer.close()
        XCTAssertEqual(try mode(base), 0o700)
        XCTAssertEqual(try mode(base + "/made"), 0o700)
        XCTAssertEqual(try mode(base + "/made/evidence"), 0o700)
        XCTAssertEqual(writer.files.count, 1)
        XCTAssertEqual(try mode(writer.files[0]), 0o600)
    }

    func testAnExistingDirectoryKeepsItsModeAndItsFilesAre0600() throws {
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: false,
                                                attributes: [.posixPermissions: 0o755])
        let writer = try writer(base)
        writer.close()
        XCTAssertEqual(try mode(base), 0o755, "the operator's directory is left as it is")
        XCTAssertEqual(try mode(writer.files[0]), 0o600)
    }

    func testALinkedDirectoryIsRefusedUnlessFollowed() throws {
        let real = base + "/real", link = base + "/link"
        try FileManager.default.createDirectory(atPath: real, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: real)
        XCTAssertThrowsError(try writer(link)) {
            XCTAssertEqual("\($0)", "cannot write capture file \(link): \(link) is a symbolic link; "
                + "captures are not written through a link unless --write-follow-symlink is given")
        }
        XCTAssertThrowsError(try EvidenceDirectory.check(link, followLink: false))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: real), [])
        XCTAssertNoThrow(try EvidenceDirectory.check(link, followLink: true))
        let followed = try writer(link, followLink: true)
        followed.close()
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: real).count, 1)
    }

    func testAnotherUsersLinkIsRefusedEvenWhenFollowed() throws {
        // nobody plants a link in a sticky, world-writable directory (/tmp) at the name the
        // operator's evidence directory will have: --write-follow-symlink is for the
        // operator's own link, and root's captures must not land where nobody chose.
        let real = base + "/real", planted = base + "/evidence"
        try FileManager.default.createDirectory(atPath: real, withIntermediateDirectories: true)
        XCTAssertEqual(chmod(base, 0o1777), 0)
        try FileManager.default.createSymbolicLink(atPath: planted, withDestinationPath: real)
        let nobody = try XCTUnwrap(getpwnam("nobody")).pointee
        XCTAssertEqual(lchown(planted, nobody.pw_uid, nobody.pw_gid), 0)
        let refusal = "the path goes through \(planted), a symbolic link that belongs to another user"
        XCTAssertThrowsError(try EvidenceDirectory.check(planted, followLink: true)) { XCTAssertEqual("\($0)", refusal) }
        XCTAssertThrowsError(try writer(planted, followLink: true)) {
            XCTAssertEqual("\($0)", "cannot write capture file \(planted): \(refusal)")
        }
        let run = try runDasaudit(["live", "-i", "lo", "--filter", "host 127.0.0.254", "--duration", "1s",
                                   "--write", planted, "--write-follow-symlink"])
        XCTAssertEqual(run.status, 2, run.stderr)
        XCTAssertTrue(run.stderr.contains("--write \(planted): \(refusal)"), run.stderr)
        XCTAssertFalse(run.stderr.contains("capturing on"), "refused before capturing")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: real), [], "nothing written where the link points")
    }

    func testTheCheckNamesWhatIsWrongWithoutCreatingAnything() throws {
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: false)
        let file = base + "/file"
        try Data().write(to: URL(fileURLWithPath: file))
        XCTAssertThrowsError(try EvidenceDirectory.check(file, followLink: false)) { XCTAssertEqual("\($0)", "\(file) is not a directory") }
        XCTAssertThrowsError(try EvidenceDirectory.check(file + "/sub", followLink: false)) {
            XCTAssertEqual("\($0)", "cannot create \(file)/sub: \(file) is not a directory")
        }
        XCTAssertNoThrow(try EvidenceDirectory.check(base + "/new/deeper", followLink: false))
        XCTAssertFalse(FileManager.default.fileExists(atPath: base + "/new"))
    }
}
