import ArgumentParser
import Foundation

/// Writes `text` to `path`, or to standard output when `path` is nil or "-".
func write(_ text: String, to path: String?) throws {
    guard let path, path != "-" else {
        FileHandle.standardOutput.write(Data(text.utf8))
        return
    }
    do {
        // A regular file is replaced atomically; anything else that exists (/dev/null, a
        // FIFO, /dev/stdout) is written in place: renaming over it would replace the device.
        let type = (try? FileManager.default.attributesOfItem(atPath: path))?[.type] as? FileAttributeType
        if let type, type != .typeRegular, let handle = FileHandle(forWritingAtPath: path) {
            defer { try? handle.close() }
            try handle.write(contentsOf: Data(text.utf8))
        } else {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        }
    } catch {
        printError("cannot write \(path): \((error as NSError).localizedDescription)")
        throw ExitCode(2)
    }
}

/// Prints `dasaudit: error: message` on standard error.
func printError(_ message: String, label: String = "error") {
    FileHandle.standardError.write(Data("dasaudit: \(label): \(message)\n".utf8))
}
