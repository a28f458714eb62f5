import Flows
import TrafficGenerator
import Wire

/// The audit tests' traffic: connections scripted by the capture generator's own packet
/// sequences (`ConnectionScripter`) straight into a connection table.
typealias ScriptedFlows = ConnectionScripter<FlowTable>

/// The tests name endpoints as text: ("10.0.0.1", 7077).
extension ConnectionScripter {
    private static func endpoint(_ text: (String, UInt16)) -> Endpoint {
        guard let address = IPAddress(text.0) else { preconditionFailure("not an IP address: \(text.0)") }
        return (address, text.1)
    }

    mutating func connect(_ client: (String, UInt16), _ server: (String, UInt16)) {
        connect(Self.endpoint(client), Self.endpoint(server))
    }

    mutating func refused(_ client: (String, UInt16), _ server: (String, UInt16)) {
        refused(Self.endpoint(client), Self.endpoint(server))
    }

    mutating func send(_ from: (String, UInt16), _ to: (String, UInt16), _ flags: TCPFlags) {
        send(Self.endpoint(from), Self.endpoint(to), flags)
    }
}
