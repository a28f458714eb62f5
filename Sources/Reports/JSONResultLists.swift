import Audit

/// The elements of the result's long lists, written as JSONEncoder writes them (the
/// snake-case keys of their synthesized Codable conformances, in sorted order). A field
/// added to one of these types must be added here too: the byte-equality tests against
/// JSONEncoder (`JSONStreamingTests`) fail until it is.
extension JSONStreamWriter {
    /// An array of `elements`, each written by `write`.
    mutating func list<Element>(_ elements: [Element], _ write: (inout JSONStreamWriter, Element) -> Void) {
        beginArray()
        for element in elements {
            self.element()
            write(&self, element)
        }
        endArray()
    }

    mutating func service(_ service: ServiceSummary) {
        beginObject()
        key("address"); string(service.address)
        key("also_catalog_keys"); strings(service.alsoCatalogKeys)
        key("bytes"); number(service.bytes)
        key("catalog_key"); string(service.catalogKey)
        key("classification"); string(service.classification.rawValue)
        key("clients"); number(service.clients)
        key("connections"); number(service.connections)
        key("dependency"); string(service.dependency)
        key("direction_basis"); counts(service.directionBasis)
        key("first_seen"); time(service.firstSeen)
        key("hint"); string(service.hint)
        key("last_seen"); time(service.lastSeen)
        key("node"); string(service.node)
        key("packets"); number(service.packets)
        key("payload_bytes"); number(service.payloadBytes)
        key("port"); number(service.port)
        key("protocol"); string(service.protocol)
        key("protocols"); counts(service.protocols)
        key("sample_clients"); strings(service.sampleClients)
        key("states"); counts(service.states)
        key("tls_versions"); strings(service.tlsVersions)
        endObject()
    }

    mutating func attempt(_ attempt: AttemptSummary) {
        beginObject()
        key("address"); string(attempt.address)
        key("catalog_key"); string(attempt.catalogKey)
        key("clients"); number(attempt.clients)
        key("cut_by_end")
        if let cut = attempt.cutByEnd { number(cut) } else { null() }
        key("first_seen"); time(attempt.firstSeen)
        key("last_seen"); time(attempt.lastSeen)
        key("port"); number(attempt.port)
        key("refused"); number(attempt.refused)
        key("unanswered"); number(attempt.unanswered)
        endObject()
    }

    mutating func unresolved(_ connection: UnresolvedConnection) {
        beginObject()
        key("address_a"); string(connection.addressA)
        key("address_b"); string(connection.addressB)
        key("bytes"); number(connection.bytes)
        key("first_seen"); time(connection.firstSeen)
        key("packets"); number(connection.packets)
        key("port_a"); number(connection.portA)
        key("port_b"); number(connection.portB)
        endObject()
    }

    mutating func unusedOpening(_ opening: UnusedOpening) {
        beginObject()
        key("catalog_key"); string(opening.catalogKey)
        key("feature"); string(opening.feature)
        key("group"); string(opening.group)
        key("node"); string(opening.node)
        key("normally_bound"); bool(opening.normallyBound)
        key("port"); number(opening.port)
        key("summary"); string(opening.summary)
        endObject()
    }

    mutating func finding(_ finding: Finding) {
        beginObject()
        key("address"); string(finding.address)
        key("kind"); string(finding.kind.rawValue)
        key("message"); string(finding.message)
        key("node"); string(finding.node)
        key("port"); number(finding.port)
        key("remediation"); string(finding.remediation)
        key("severity"); string(finding.severity.rawValue)
        key("waiver")
        if let waiver = finding.waiver {
            beginObject()
            key("expires"); string(waiver.expires)
            key("reason"); string(waiver.reason)
            endObject()
        } else {
            null()
        }
        endObject()
    }

    mutating func scan(_ scan: PortScanSummary) {
        beginObject()
        key("first_seen"); time(scan.firstSeen)
        key("kind"); string(scan.kind.rawValue)
        key("last_seen"); time(scan.lastSeen)
        key("open_ports"); strings(scan.openPorts)
        key("port_ranges"); string(scan.portRanges)
        key("ports"); number(scan.ports)
        key("probes"); number(scan.probes)
        key("refused"); number(scan.refused)
        key("scanner"); string(scan.scanner)
        key("shared_probes"); number(scan.sharedProbes)
        key("targets"); strings(scan.targets)
        key("type"); string(scan.type.rawValue)
        key("unanswered"); number(scan.unanswered)
        key("unfiltered_ports"); strings(scan.unfilteredPorts)
        key("window_shared"); bool(scan.windowShared)
        endObject()
    }

    mutating func connection(_ entry: ConnectionEntry) {
        beginObject()
        key("bytes_to_client"); number(entry.bytesToClient)
        key("bytes_to_server"); number(entry.bytesToServer)
        key("capture_point"); string(entry.capturePoint)
        key("client"); string(entry.client)
        key("client_isn")
        if let isn = entry.clientIsn { number(UInt64(isn)) } else { null() }
        key("client_port"); number(entry.clientPort)
        key("direction_basis"); string(entry.directionBasis.rawValue)
        key("ending"); string(entry.ending?.rawValue)
        key("first_seen"); time(entry.firstSeen)
        key("last_seen"); time(entry.lastSeen)
        key("packets_to_client"); number(entry.packetsToClient)
        key("packets_to_server"); number(entry.packetsToServer)
        key("payload_bytes_to_client"); number(entry.payloadBytesToClient)
        key("payload_bytes_to_server"); number(entry.payloadBytesToServer)
        key("protocol"); string(entry.protocol)
        key("server"); string(entry.server)
        key("server_port"); number(entry.serverPort)
        key("state"); string(entry.state.rawValue)
        key("tls_version"); string(entry.tlsVersion)
        key("tunnel"); string(entry.tunnel)
        key("vlan"); number(entry.vlan)
        endObject()
    }
}
