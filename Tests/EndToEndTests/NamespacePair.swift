import Foundation
import TestSupport
import XCTest

/// Two network namespaces of the test's own, `server` and `client`, joined by a veth pair:
/// a private network where firewall rules can be loaded and probed for real without
/// touching the machine's own. The server has 192.0.2.1 and fd00:da5a:f1e::1; the client
/// 192.0.2.2, 192.0.2.3, fd00:da5a:f1e::2 and ::3 (TEST-NET-1 and a ULA prefix: nothing
/// leaves the namespaces). `remove()` deletes both; the pair goes with them.
final class NamespacePair {
    static let serverIPv4 = "192.0.2.1", clientIPv4 = "192.0.2.2", outsiderIPv4 = "192.0.2.3"
    static let serverIPv6 = "fd00:da5a:f1e::1", clientIPv6 = "fd00:da5a:f1e::2", outsiderIPv6 = "fd00:da5a:f1e::3"

    let server: String
    let client: String
    private var listeners: [Process] = []
    nonisolated(unsafe) private static var created = 0

    /// Creates the namespaces and the link; skips the test when not root.
    init() throws {
        guard getuid() == 0 else {
            throw unavailable("firewall rules are loaded in network namespaces of the test's own, which needs root (CI runs as root)")
        }
        NamespacePair.created += 1
        let tag = "\(getpid() % 100_000)x\(NamespacePair.created)"
        server = "dasaudit-fw-s\(tag)"
        client = "dasaudit-fw-c\(tag)"
        let serverLink = "dfs\(tag)", clientLink = "dfc\(tag)"
        do {
            try NamespacePair.run(["ip", "netns", "add", server])
            try NamespacePair.run(["ip", "netns", "add", client])
            try NamespacePair.run(["ip", "link", "add", serverLink, "netns", server, "type", "veth", "peer", "name", clientLink,
                                   "netns", client])
            for (namespace, link, addresses) in [
                (server, serverLink, [NamespacePair.serverIPv4 + "/24", NamespacePair.serverIPv6 + "/64"]),
                (client, clientLink, [NamespacePair.clientIPv4 + "/24", NamespacePair.outsiderIPv4 + "/24",
                                      NamespacePair.clientIPv6 + "/64", NamespacePair.outsiderIPv6 + "/64"]),
            ] {
                for address in addresses {
                    // nodad: an IPv6 address is usable at once instead of after duplicate detection.
                    try inside(namespace, ["ip", "address", "add", address, "dev", link] + (address.contains(":") ? ["nodad"] : []))
                }
                try inside(namespace, ["ip", "link", "set", "lo", "up"])
                try inside(namespace, ["ip", "link", "set", link, "up"])
            }
        } catch {
            remove()
            throw error
        }
    }

    /// Stops the listeners and deletes both namespaces (and with them the veth pair and
    /// every rule loaded inside). Safe to call more than once.
    func remove() {
        for listener in listeners where listener.isRunning { listener.terminate(); listener.waitUntilExit() }
        listeners = []
        for namespace in [server, client] { _ = try? NamespacePair.run(["ip", "netns", "delete", namespace], check: false) }
    }

    /// Runs `arguments` inside `namespace`; throws on a non-zero exit, with its output.
    @discardableResult
    func inside(_ namespace: String, _ arguments: [String], check: Bool = true) throws -> CommandResult {
        try NamespacePair.run(["ip", "netns", "exec", namespace] + arguments, check: check)
    }

    /// Starts a TCP listener in the server namespace on each of `ports`, IPv4 and IPv6
    /// (one dual-stack socket each), accepting and closing every connection.
    func listen(on ports: [UInt16]) throws {
        let script = """
        import select, socket, sys
        sockets = []
        for port in map(int, sys.argv[1:]):
            s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
            s.bind(("::", port))
            s.listen(64)
            sockets.append(s)
        print("ready", flush=True)
        while True:
            for s in select.select(sockets, [], [])[0]:
                s.accept()[0].close()
        """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["ip", "netns", "exec", server, "python3", "-c", script] + ports.map(String.init)
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        listeners.append(process)
        let greeting = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
        guard greeting.hasPrefix("ready") else { throw NamespaceError("the listener in \(server) did not start: '\(greeting)'") }
    }

    /// What a TCP connect from `source` (nil: the kernel's choice) to `destination`:`port`
    /// gives, run in `namespace`: `connected`, `refused` or `timeout` (one second).
    func connect(in namespace: String, _ probes: [(source: String?, destination: String, port: UInt16)]) throws -> [String] {
        let script = """
        import socket, sys
        for spec in sys.argv[1:]:
            source, destination, port = spec.split(",")
            s = socket.socket(socket.AF_INET6 if ":" in destination else socket.AF_INET, socket.SOCK_STREAM)
            s.settimeout(1.0)
            if source:
                s.bind((source, 0))
            try:
                s.connect((destination, int(port)))
                print("connected")
            except socket.timeout:
                print("timeout")
            except ConnectionRefusedError:
                print("refused")
            except OSError as error:
                print("error: %s" % error)
            s.close()
        """
        let specs = probes.map { "\($0.source ?? ""),\($0.destination),\($0.port)" }
        let run = try inside(namespace, ["python3", "-c", script] + specs)
        return run.stdout.split(separator: "\n").map(String.init)
    }

    /// Runs a command (found on PATH); throws when it fails and `check` is set.
    @discardableResult
    static func run(_ arguments: [String], check: Bool = true) throws -> CommandResult {
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = (environment["PATH"] ?? "/usr/bin:/bin") + ":/usr/sbin:/sbin"
        let result = try runProgram(URL(fileURLWithPath: "/usr/bin/env"), arguments, environment: environment)
        if check && result.status != 0 {
            throw NamespaceError("\(arguments.joined(separator: " ")) exited \(result.status): \(result.stderr)\(result.stdout)")
        }
        return result
    }
}

struct NamespaceError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
