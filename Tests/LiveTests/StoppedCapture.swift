import Foundation

extension DasauditProcess {
    /// Holds the capture process still (SIGSTOP) while `count` real connections run with
    /// the loopback service at `address`:`port`, then lets it go on (SIGCONT): its kernel
    /// ring, when small (`--buffer-size 64k`), drops what it cannot hold, as under a real
    /// overload. The caller waits for the drops to be counted ("DROPS " on the status line).
    func dropPackets(whileStoppedFor count: Int, with address: String, port: UInt16) throws {
        signal(SIGSTOP)
        defer { signal(SIGCONT) }
        for _ in 0..<count { try exchange(with: address, port: port) }
    }
}
