import Audit
import Foundation
import Reports
import TestSupport
import XCTest

/// The network namespaces and processes of one live test, removed when it ends (`tearDown`).
/// Needs root, as every live test does (CI runs as root).
final class NamespaceLab {
    private var namespaces: [String] = []
    private var processes: [Process] = []

    /// Stops the processes started and deletes the namespaces added.
    func tearDown() {
        for process in processes where process.isRunning { process.terminate(); process.waitUntilExit() }
        for namespace in namespaces { _ = try? run(["ip", "netns", "delete", namespace]) }
        processes = []
        namespaces = []
    }

    /// Runs a command to its end; its exit status.
    @discardableResult
    func run(_ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Runs a command that must succeed.
    func require(_ arguments: [String]) throws {
        let status = try run(arguments)
        guard status == 0 else { throw CocoaError(.featureUnsupported, userInfo: [NSLocalizedDescriptionKey: "\(arguments) exited \(status)"]) }
    }

    /// A new namespace with its loopback up, deleted when the test ends.
    func addNamespace(_ name: String) throws {
        try require(["ip", "netns", "add", name])
        namespaces.append(name)
        try require(["ip", "-n", name, "link", "set", "lo", "up"])
    }

    /// Two new namespaces, nodes `a` and b, on a veth pair (`underlay` in each, addresses
    /// `underlayNet`.1 and .2/24), joined by a Linux VXLAN device `overlay` each (VNI `id`,
    /// UDP `port`, addresses `overlayNet`.1 and .2/24). Skips the test (fails it under CI)
    /// when the kernel cannot make a VXLAN device.
    func joinByVXLAN(_ a: String, _ b: String, underlay: String, overlay: String, id: Int, port: Int,
                     underlayNet: String, overlayNet: String) throws {
        try addNamespace(a)
        try addNamespace(b)
        try require(["ip", "link", "add", underlay, "netns", a, "type", "veth", "peer", "name", underlay, "netns", b])
        for (namespace, node) in [(a, 1), (b, 2)] {
            let peer = node == 1 ? 2 : 1
            try require(["ip", "-n", namespace, "address", "add", "\(underlayNet).\(node)/24", "dev", underlay])
            try require(["ip", "-n", namespace, "link", "set", underlay, "up"])
            let vxlan = ["ip", "-n", namespace, "link", "add", overlay, "mtu", "1450", "type", "vxlan", "id", "\(id)",
                         "dstport", "\(port)", "local", "\(underlayNet).\(node)", "remote", "\(underlayNet).\(peer)"]
            guard try run(vxlan) == 0 else { throw unavailable("the kernel cannot make a VXLAN device (no vxlan module)") }
            try require(["ip", "-n", namespace, "address", "add", "\(overlayNet).\(node)/24", "dev", overlay])
            try require(["ip", "-n", namespace, "link", "set", overlay, "up"])
        }
    }

    /// Starts `script` (Python) inside `namespace`, left running until the test ends.
    func start(_ script: String, in namespace: String) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["ip", "netns", "exec", namespace, "python3", "-c", script]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        processes.append(process)
        return process
    }

    /// A server on `address`:`port` in `namespace` that answers each connection's first
    /// bytes with 3,000 bytes and closes it.
    func startAnsweringServer(at address: String, port: Int, in namespace: String) throws {
        _ = try start("""
            import socket
            s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind(("\(address)", \(port))); s.listen(16)
            while True:
                c, _ = s.accept(); c.recv(100); c.sendall(b"x" * 3000); c.close()
            """, in: namespace)
    }

    /// From `namespace`: one connection to see the server up, then five that each send a
    /// request and read the answer to its end. The clients' exit status.
    func runClients(to address: String, port: Int, in namespace: String) throws -> Int32 {
        let clients = try start("""
            import socket, time
            for attempt in range(50):
                try:
                    socket.create_connection(("\(address)", \(port)), timeout=1).close(); break
                except OSError:
                    time.sleep(0.05)
            for _ in range(5):
                c = socket.create_connection(("\(address)", \(port)), timeout=5)
                c.sendall(b"hello"); data = b""
                while chunk := c.recv(4096): data += chunk
                c.close()
            """, in: namespace)
        clients.waitUntilExit()
        return clients.terminationStatus
    }

    /// `dasaudit live` with `arguments` (`-i DEVICE` first) for 5 s in `namespace`, started
    /// and seen capturing; its JSON result comes from `result(of:)`.
    func live(in namespace: String, _ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws -> DasauditProcess {
        let process = try DasauditProcess(["live"] + arguments + ["--duration", "5s", "--format", "json"],
                                          launcher: ["/usr/bin/env", "ip", "netns", "exec", namespace])
        XCTAssertTrue(process.waitForError(containing: "capturing on \(arguments[1])"), process.stderr, file: file, line: line)
        return process
    }

    /// The result of a live audit that ran to its end.
    func result(of process: DasauditProcess, file: StaticString = #filePath, line: UInt = #line) throws -> AuditResult {
        let (status, output) = process.finish()
        XCTAssertNotEqual(status, 2, process.stderr, file: file, line: line)
        return try JSONReport.parse(Data(output.utf8))
    }
}
