import Audit
import Foundation

/// One capture device as `dasaudit interfaces` lists it: its state in words. Built from
/// what libpcap says of the device (`CaptureDevice` in PcapKit), so that Reports needs no
/// libpcap.
public struct InterfaceListing: Encodable, Equatable, Sendable {
    public var name: String
    /// `up`, `up, not running` or `down`.
    public var state: String
    public var loopback: Bool
    public var addresses: [String]
    public var description: String?

    public init(name: String, isUp: Bool, isRunning: Bool, isLoopback: Bool, addresses: [String], description: String?) {
        self.name = name
        state = isUp ? (isRunning ? "up" : "up, not running") : "down"
        loopback = isLoopback
        self.addresses = addresses
        self.description = description
    }

    /// The devices as a table: name, state, addresses (`-` for none), description.
    public static func text(_ devices: [InterfaceListing]) -> String {
        let rows = devices.map { device in
            [device.name, device.state, device.addresses.isEmpty ? "-" : device.addresses.joined(separator: ", "),
             device.description ?? ""]
        }
        return TextTable(headers: ["NAME", "STATE", "ADDRESSES", "DESCRIPTION"], rows: rows).render(indent: "") + "\n"
    }

    /// The devices as a JSON array, written as results are (`ResultCoding`).
    public static func json(_ devices: [InterfaceListing]) throws -> String {
        String(decoding: JSONInvisibles.escaped(try ResultCoding.encoder().encode(devices)), as: UTF8.self) + "\n"
    }
}
