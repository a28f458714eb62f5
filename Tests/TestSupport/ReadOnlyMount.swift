import Foundation
import XCTest

extension XCTestCase {
    /// A read-only bind mount of `directory` (writable), at `directory-ro`, unmounted when
    /// the test ends: a place where not even root can create a file, as on a read-only
    /// file system. Skipped where mounting is not allowed (not root, a container without
    /// CAP_SYS_ADMIN), except under CI (`unavailable`).
    public func readOnlyMount(of directory: String) throws -> String {
        let mountPoint = directory + "-ro"
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: false)
        guard try mount(["--bind", directory, mountPoint]) else { throw unavailable("cannot bind-mount \(directory) here") }
        addTeardownBlock {
            // A descriptor the code under test kept open in it would hold the mount busy,
            // left behind after the run.
            XCTAssertTrue((try? Self.run("/usr/bin/umount", [mountPoint])) == true, "\(mountPoint) is unmounted: nothing holds it open")
            try? FileManager.default.removeItem(atPath: mountPoint)
        }
        guard try mount(["-o", "remount,bind,ro", mountPoint]) else { throw unavailable("cannot make a bind mount read-only here") }
        return mountPoint
    }

    private func mount(_ arguments: [String]) throws -> Bool { try Self.run("/usr/bin/mount", arguments) }

    /// Runs `program` with `arguments`, its output discarded; whether it exited 0.
    private static func run(_ program: String, _ arguments: [String]) throws -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus == 0
    }
}
