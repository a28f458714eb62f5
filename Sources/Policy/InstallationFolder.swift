import Foundation

/// Checks the `--das-home` value before any file under it is read, so that a typo is
/// named as such: an empty value, a path that does not exist, or one that is not a folder.
enum InstallationFolder {
    static let expected = "expected a DAS installation, the folder holding repository/conf"

    static func check(_ home: String) throws {
        guard !home.isEmpty else {
            throw PolicyError(source: "--das-home", message: "is empty (''); \(expected)")
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: home, isDirectory: &isDirectory) else {
            throw PolicyError(source: home.escapedForMessage, message: "does not exist (\(expected))")
        }
        guard isDirectory.boolValue else {
            throw PolicyError(source: home.escapedForMessage, message: "is not a directory (\(expected))")
        }
    }
}
