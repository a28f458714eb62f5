import Foundation
import XCTest

/// The rules of a clustered node let Hazelcast's multicast discovery through: DAS's stock
/// axis2.xml has its members find each other by multicast (`membershipScheme` multicast,
/// `mcastPort` 45564, Hazelcast's group 224.2.2.3), and the rules dropped every UDP
/// packet, so each member stayed alone in a cluster of one while every TCP port was open.
/// Loaded for real in `NamespacePair`'s server namespace and probed with real multicast
/// joins from the client namespace: accepted from a node, dropped from elsewhere and, with
/// `membership: wka`, from everyone; and the node answers a querier's IGMP query, without
/// which a switch that snoops IGMP stops forwarding the group to it.
final class FirewallMulticastTests: XCTestCase {
    static let group = "224.2.2.3"
    var namespaces: NamespacePair!
    var directory: URL!

    override func setUpWithError() throws {
        namespaces = try NamespacePair()
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("dasaudit-multicast-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDown() {
        namespaces?.remove()
        if let directory { try? FileManager.default.removeItem(at: directory) }
    }

    func testMulticastJoinsReachTheNodeFromTheNodesAlone() throws {
        for (dialect, loader) in [("nftables", ["nft", "-f"]), ("iptables", ["iptables-restore"])] {
            try load(policy(membership: ""), dialect: dialect, loader: loader)
            XCTAssertEqual(try joins(from: NamespacePair.clientIPv4), "received", "\(dialect): from das2, a node")
            XCTAssertEqual(try joins(from: NamespacePair.outsiderIPv4), "nothing", "\(dialect): from a host of no node")
            try unload(dialect)
        }
    }

    /// A port said in the policy is the one opened; `membership: wka` opens none.
    func testThePolicySaysWhichPortIfAny() throws {
        try load(policy(membership: "multicast_port: 45570"), dialect: "nftables", loader: ["nft", "-f"])
        XCTAssertEqual(try joins(from: NamespacePair.clientIPv4, port: 45570), "received")
        XCTAssertEqual(try joins(from: NamespacePair.clientIPv4, port: 45564), "nothing")
        try unload("nftables")
        let rules = try load(policy(membership: "membership: wka"), dialect: "nftables", loader: ["nft", "-f"])
        XCTAssertFalse(rules.contains("udp"), rules)
        XCTAssertEqual(try joins(from: NamespacePair.clientIPv4), "nothing")
    }

    func testTheNodeAnswersAQuerierForItsGroup() throws {
        for (dialect, loader) in [("nftables", ["nft", "-f"]), ("iptables", ["iptables-restore"])] {
            try load(policy(membership: ""), dialect: dialect, loader: loader)
            XCTAssertEqual(try reportsAfterQuery(), "report", "\(dialect): the node answers an IGMP general query")
            try unload(dialect)
        }
        // The control: the same rules with IGMP left to the drop policy.
        try load(policy(membership: ""), dialect: "nftables", loader: ["nft", "-f"], dropping: "ip protocol igmp accept")
        XCTAssertEqual(try reportsAfterQuery(), "none", "without the rule the query never reaches the node")
    }

    // MARK: - Helpers

    /// das1 (the server namespace) and das2 (the client's first address), clustered.
    func policy(membership: String) -> String {
        """
        offset: 2
        mode: cluster
        features: {clustering: on}
        \(membership)
        nodes:
          - name: das1
            addresses: [\(NamespacePair.serverIPv4)]
          - name: das2
            addresses: [\(NamespacePair.clientIPv4)]
        """
    }

    /// das1's rules in `dialect`, loaded in the server namespace (less any line holding
    /// `dropping`); returns them.
    @discardableResult
    func load(_ policyText: String, dialect: String, loader: [String], dropping: String? = nil) throws -> String {
        let policy = directory.appendingPathComponent("policy.yaml")
        try policyText.write(to: policy, atomically: true, encoding: .utf8)
        let generated = try runDasaudit(["ports", "--policy", policy.path, "--node", "das1", "--firewall", dialect])
        XCTAssertEqual(generated.status, 0, generated.stderr)
        var rules = generated.stdout
        if let dropping {
            let kept = rules.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.contains(dropping) }
            XCTAssertLessThan(kept.count, rules.split(separator: "\n", omittingEmptySubsequences: false).count, "no line holds \(dropping)")
            rules = kept.joined(separator: "\n")
        }
        let file = directory.appendingPathComponent("das1.\(dialect)")
        try rules.write(to: file, atomically: true, encoding: .utf8)
        try namespaces.inside(namespaces.server, loader + [file.path])
        return rules
    }

    func unload(_ dialect: String) throws {
        if dialect == "nftables" {
            try namespaces.inside(namespaces.server, ["nft", "delete", "table", "inet", "dasaudit"])
        } else {
            try namespaces.inside(namespaces.server, ["sh", "-c", "iptables -P INPUT ACCEPT && iptables -F && iptables -X"])
        }
    }

    /// Five Hazelcast-like joins sent from `source` to the group on `port`, and whether a
    /// member on das1, joined to the group on that port, got one: `received` or `nothing`.
    func joins(from source: String, port: UInt16 = 45564) throws -> String {
        let receiver = """
            import socket, struct, sys
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind(("", \(port)))
            s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP,
                         socket.inet_aton("\(Self.group)") + socket.inet_aton("\(NamespacePair.serverIPv4)"))
            s.settimeout(2)
            try:
                s.recvfrom(2000); print("received")
            except socket.timeout:
                print("nothing")
            """
        let sender = """
            import socket, time
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.bind(("\(source)", \(port)))
            s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton("\(source)"))
            for _ in range(5):
                s.sendto(b"join", ("\(Self.group)", \(port))); time.sleep(0.2)
            """
        let result = try NamespacePair.run(["sh", "-c", """
            ip netns exec \(namespaces.server) python3 -c '\(receiver)' & sleep 0.3
            ip netns exec \(namespaces.client) python3 -c '\(sender)'
            wait
            """])
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A member on das1 joins the group; once its own unsolicited reports are over, das2
    /// sends an IGMPv3 general query (the kernel answers within the query's 1 s), and
    /// tcpdump on das2 says whether a report from das1 came back: `report` or `none`.
    func reportsAfterQuery() throws -> String {
        let member = """
            import socket, time
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP,
                         socket.inet_aton("\(Self.group)") + socket.inet_aton("\(NamespacePair.serverIPv4)"))
            time.sleep(9)
            """
        // Type 0x11, max response 1 s, checksum, group 0.0.0.0, QRV 2, QQIC 125, no sources.
        let querier = """
            import socket, struct
            q = bytearray(b"\\x11\\x0a\\x00\\x00" + bytes(4) + b"\\x02\\x7d\\x00\\x00")
            total = sum(struct.unpack("!6H", bytes(q))); total = (total >> 16) + (total & 0xffff); total += total >> 16
            struct.pack_into("!H", q, 2, ~total & 0xffff)
            s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_IGMP)
            s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton("\(NamespacePair.clientIPv4)"))
            s.sendto(bytes(q), ("224.0.0.1", 0))
            """
        try NamespacePair.run(["sh", "-c", """
            ip netns exec \(namespaces.server) python3 -c '\(member)' & sleep 4
            ip netns exec \(namespaces.client) timeout 3 tcpdump -n -l -i any -c 1 'igmp and src \(NamespacePair.serverIPv4)' \
                > \(directory.path)/reports 2>/dev/null & sleep 1
            ip netns exec \(namespaces.client) python3 -c '\(querier)'
            wait
            """])
        let reports = try String(contentsOf: directory.appendingPathComponent("reports"), encoding: .utf8)
        return reports.contains("igmp") ? "report" : "none"
    }
}
