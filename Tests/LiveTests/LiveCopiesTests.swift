import Audit
import Foundation
import Reports
import XCTest

/// `dasaudit live -i any` on a host with a bridge: the host is a network namespace of the
/// test's own, with a bridge whose two ports lead to two more namespaces, a client
/// (10.207.0.1) and a server (10.207.0.2). Every packet between them crosses both ports,
/// so a capture on every interface sees it twice. The live audit counts it once, as a live
/// audit of one bridge port, run at the same time, does; and it counts the other copy as a
/// duplicate.
final class LiveCopiesTests: XCTestCase {
    private var namespaces: [String] = []
    private var processes: [Process] = []

    override func tearDown() {
        for process in processes where process.isRunning { process.terminate(); process.waitUntilExit() }
        for namespace in namespaces { _ = try? run(["ip", "netns", "delete", namespace]) }
    }

    @discardableResult
    private func run(_ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    private func require(_ arguments: [String]) throws {
        let status = try run(arguments)
        guard status == 0 else { throw CocoaError(.featureUnsupported, userInfo: [NSLocalizedDescriptionKey: "\(arguments) exited \(status)"]) }
    }

    /// Starts `script` (Python) inside `namespace`, left running until the test ends.
    private func start(_ script: String, in namespace: String) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["ip", "netns", "exec", namespace, "python3", "-c", script]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        processes.append(process)
        return process
    }

    func testALiveCaptureOnEveryInterfaceCountsABridgedPacketOnce() throws {
        guard getuid() == 0 else {
            if ProcessInfo.processInfo.environment["CI"] != nil { return XCTFail("CI runs as root: namespaces need it") }
            throw XCTSkip("network namespaces need root (CI runs as root)")
        }
        let tag = "\(getpid() % 100_000)"
        let host = "dasaudit-cp-h\(tag)", client = "dasaudit-cp-a\(tag)", server = "dasaudit-cp-b\(tag)"
        let bridge = "dcpbr\(tag)", clientPort = "dcpa\(tag)", serverPort = "dcpb\(tag)"
        for namespace in [host, client, server] {
            try require(["ip", "netns", "add", namespace])
            namespaces.append(namespace)
            try require(["ip", "-n", namespace, "link", "set", "lo", "up"])
        }
        try require(["ip", "-n", host, "link", "add", bridge, "type", "bridge"])
        try require(["ip", "-n", host, "link", "set", bridge, "up"])
        for (port, namespace, address) in [(clientPort, client, "10.207.0.1/24"), (serverPort, server, "10.207.0.2/24")] {
            try require(["ip", "-n", host, "link", "add", port, "type", "veth", "peer", "name", "eth0", "netns", namespace])
            try require(["ip", "-n", host, "link", "set", port, "master", bridge])
            try require(["ip", "-n", host, "link", "set", port, "up"])
            try require(["ip", "-n", namespace, "address", "add", address, "dev", "eth0"])
            try require(["ip", "-n", namespace, "link", "set", "eth0", "up"])
        }
        // A server on thrift.tcp.port that answers each connection with 3,000 bytes.
        _ = try start("""
            import socket
            s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind(("10.207.0.2", 7611)); s.listen(16)
            while True:
                c, _ = s.accept(); c.recv(100); c.sendall(b"x" * 3000); c.close()
            """, in: server)

        let evidence = NSTemporaryDirectory() + "dasaudit-live-copies-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: evidence) }
        let inside = ["/usr/bin/env", "ip", "netns", "exec", host]
        let everyInterface = try DasauditProcess(["live", "-i", "any", "--filter", "tcp", "--duration", "5s", "--format", "json",
                                                  "--write", evidence], launcher: inside)
        let onePort = try DasauditProcess(["live", "-i", clientPort, "--filter", "tcp", "--duration", "5s", "--format", "json"],
                                          launcher: inside)
        XCTAssertTrue(everyInterface.waitForError(containing: "capturing on any"), everyInterface.stderr)
        XCTAssertTrue(onePort.waitForError(containing: "capturing on \(clientPort)"), onePort.stderr)
        let clients = try start("""
            import socket, time
            for attempt in range(50):
                try:
                    socket.create_connection(("10.207.0.2", 7611), timeout=1).close(); break
                except OSError:
                    time.sleep(0.05)
            for _ in range(5):
                c = socket.create_connection(("10.207.0.2", 7611), timeout=5)
                c.sendall(b"hello"); data = b""
                while chunk := c.recv(4096): data += chunk
                c.close()
            """, in: client)
        clients.waitUntilExit()
        XCTAssertEqual(clients.terminationStatus, 0, "the clients reached the server")

        let (everyStatus, everyOutput) = everyInterface.finish()
        let (portStatus, portOutput) = onePort.finish()
        XCTAssertNotEqual(everyStatus, 2, everyInterface.stderr)
        XCTAssertNotEqual(portStatus, 2, onePort.stderr)
        let all = try JSONReport.parse(Data(everyOutput.utf8))
        let one = try JSONReport.parse(Data(portOutput.utf8))

        let service = try XCTUnwrap(all.services.first { $0.port == 7611 })
        let truth = try XCTUnwrap(one.services.first { $0.port == 7611 })
        XCTAssertEqual(service.connections, 6, "a first connection to see the server up, then five")
        XCTAssertEqual([service.connections, service.packets, service.payloadBytes],
                       [truth.connections, truth.packets, truth.payloadBytes])
        XCTAssertEqual(one.coverage.skipped["duplicate"], nil)
        XCTAssertEqual(all.coverage.tcpSegments, one.coverage.tcpSegments)
        XCTAssertEqual(all.coverage.skipped["duplicate"], one.coverage.packets, "every packet crossed both ports")
        XCTAssertEqual(all.coverage.packets, 2 * one.coverage.packets)
        XCTAssertEqual(all.coverage.drops?.total, 0)

        // The evidence holds every copy, as captured; its audit counts each packet once too.
        let files = try FileManager.default.contentsOfDirectory(atPath: evidence).sorted().map { "\(evidence)/\($0)" }
        let reread = try JSONReport.parse(Data(try runDasaudit(["audit"] + files + ["--format", "json"]).stdout.utf8))
        let rereadService = try XCTUnwrap(reread.services.first { $0.port == 7611 })
        XCTAssertEqual([rereadService.connections, rereadService.packets, rereadService.payloadBytes],
                       [truth.connections, truth.packets, truth.payloadBytes])
        XCTAssertEqual(reread.coverage.packets, all.coverage.packets)
        XCTAssertEqual(reread.coverage.skipped, all.coverage.skipped)
    }
}
