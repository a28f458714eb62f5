import Flows
import Wire

/// Connections folded into their server endpoints: traffic per service, attempts per
/// endpoint, and the connections that could not be oriented.
struct ServiceTally {
    struct Traffic {
        var connections: UInt64 = 0
        var packets: UInt64 = 0
        var bytes: UInt64 = 0
        var payloadBytes: UInt64 = 0
        var clients: Set<IPAddress> = []
        var basis: [DirectionBasis: UInt64] = [:]
        var states: [ConnectionState: UInt64] = [:]
        var firstSeen = Int64.max
        var lastSeen = Int64.min
    }

    struct Attempts {
        var refused: UInt64 = 0
        var unanswered: UInt64 = 0
        var clients: Set<IPAddress> = []
        var firstSeen = Int64.max
        var lastSeen = Int64.min
    }

    var services: [Endpoint: Traffic] = [:]
    var attempts: [Endpoint: Attempts] = [:]
    var unresolved: [Connection] = []

    init(_ connections: [Connection]) {
        for connection in connections {
            if connection.directionBasis == .unknown {
                unresolved.append(connection)
            } else if connection.state.isTraffic {
                services[connection.server, default: Traffic()].add(connection)
            } else {
                attempts[connection.server, default: Attempts()].add(connection)
            }
        }
    }
}

extension ServiceTally.Traffic {
    mutating func add(_ connection: Connection) {
        connections += 1
        packets += connection.packets
        bytes += connection.bytes
        payloadBytes += connection.payloadBytesToServer + connection.payloadBytesToClient
        clients.insert(connection.client.address)
        basis[connection.directionBasis, default: 0] += 1
        states[connection.state, default: 0] += 1
        firstSeen = min(firstSeen, connection.firstSeen)
        lastSeen = max(lastSeen, connection.lastSeen)
    }
}

extension ServiceTally.Attempts {
    mutating func add(_ connection: Connection) {
        if connection.state == .refused { refused += 1 } else { unanswered += 1 }
        clients.insert(connection.client.address)
        firstSeen = min(firstSeen, connection.firstSeen)
        lastSeen = max(lastSeen, connection.lastSeen)
    }
}
