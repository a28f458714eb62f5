import Foundation
import Policy
import Wire

/// Where a result's packets were captured: a name, and how the name was chosen.
///
/// `dasaudit merge` joins a connection cut by two time windows only within one capture
/// point (one clock, one vantage), and counts a connection seen from two capture points
/// (its two ends) once (docs/merge.md). The name is free text when derived (a file name,
/// a host name), so every report escapes it; a name given with `--capture-point` follows
/// the node-name rule (`NameRules`).
public struct CapturePoint: Codable, Equatable, Hashable, Sendable, Comparable {
    /// The name `merge` tells capture points apart by.
    public var name: String
    /// How `name` was chosen.
    public var basis: Basis
    /// The host that captured, when known (a live capture: this host's name).
    @Nullable public var host: String? = nil
    /// The interface captured on, when known (a live capture).
    @Nullable public var interface: String? = nil

    public enum Basis: String, CaseIterable, Codable, Sendable, Comparable {
        /// Given with `--capture-point`.
        case option
        /// A live capture: this host's name and the interface, `host/interface`.
        case hostInterface = "host-interface"
        /// An audit of files: the recording host is unknown, so the first input's file name.
        case fileName = "file-name"

        public static func < (lhs: Basis, rhs: Basis) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    public init(name: String, basis: Basis, host: String? = nil, interface: String? = nil) {
        self.name = name
        self.basis = basis
        self.host = host
        self.interface = interface
    }

    public static func == (lhs: CapturePoint, rhs: CapturePoint) -> Bool {
        (lhs.name, lhs.basis, lhs.host, lhs.interface) == (rhs.name, rhs.basis, rhs.host, rhs.interface)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(basis)
        hasher.combine(host)
        hasher.combine(interface)
    }

    public static func < (lhs: CapturePoint, rhs: CapturePoint) -> Bool {
        (lhs.name, lhs.basis, lhs.host ?? "", lhs.interface ?? "") < (rhs.name, rhs.basis, rhs.host ?? "", rhs.interface ?? "")
    }

    /// A name given with `--capture-point`, or why it is refused: the node-name rule, or an
    /// IPv6 address (`fd00:27::1`), since a fleet recipe names each point after the host it
    /// ssh-es to and an IPv6-addressed fleet lists addresses. Nothing downstream relies on
    /// the name lacking ':' (derived names are free text already), and an address's text is
    /// hex digits, ':' and '.' only; a zone id (`fe80::1%eth0`) is not an address here.
    public static func named(_ name: String) throws -> CapturePoint {
        if let problem = NameRules.problem(with: name), IPAddress(name) == nil {
            throw CapturePointError(description: "--capture-point '\(name.escapedForMessage)' \(problem): "
                + "a capture point name is \(NameRules.description), or an IPv6 address")
        }
        return CapturePoint(name: name, basis: .option)
    }

    /// A live capture's point: this host's name and the interface.
    public static func live(interface: String, host: String = ProcessInfo.processInfo.hostName) -> CapturePoint {
        CapturePoint(name: "\(host)/\(interface)", basis: .hostInterface, host: host, interface: interface)
    }

    /// An audit of files: which host recorded them is unknown, so the point is named after
    /// the file name of the first input read (`-` is `stdin`; a rotated set's oldest file,
    /// `TimeOrder`). Windows of one host's rotated
    /// captures audited apart need one `--capture-point` to be joined by `merge`.
    public static func files(_ paths: [String]) -> CapturePoint {
        let first = paths.first ?? "-"
        return CapturePoint(name: first == "-" ? "stdin" : URL(fileURLWithPath: first).lastPathComponent, basis: .fileName)
    }

    /// What a report says about the basis.
    public var basisText: String {
        switch basis {
        case .option: return "named with --capture-point"
        case .hostInterface: return "host and interface"
        case .fileName: return "file name: the host that recorded it is unknown"
        }
    }
}

/// A `--capture-point` name the node-name rule refuses.
public struct CapturePointError: Error, CustomStringConvertible {
    public var description: String
}

extension AuditResult {
    /// Stamps `point` on the result, its inputs and its listed connections: done once, by
    /// the command that made the result.
    public mutating func record(capturePoint point: CapturePoint) {
        capturePoints = [point]
        for index in inputs.indices { inputs[index].capturePoint = point.name }
        if connections != nil {
            for index in connections!.indices { connections![index].capturePoint = point.name }
        }
    }
}
