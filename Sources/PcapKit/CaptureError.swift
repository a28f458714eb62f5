/// Why a capture could not be opened or read. Each message names the input and says
/// what was wrong, so the CLI can print it as is.
public enum CaptureError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file could not be opened as a capture (missing, unreadable, not a capture...).
    case cannotOpen(path: String, reason: String)
    /// The file was opened but reading stopped with an error after some packets.
    case readFailed(path: String, reason: String, packetsRead: Int)

    public var description: String {
        switch self {
        case let .cannotOpen(path, reason):
            return "\(path): \(reason)"
        case let .readFailed(path, reason, packetsRead):
            return "\(path): \(reason) (after \(packetsRead) packets)"
        }
    }
}
