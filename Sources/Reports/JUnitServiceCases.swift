import Audit

extension JUnitReport {
    /// Each service's findings, in the order of `result.services`: those at its address and
    /// port. Looked up once, for the suite's count of failures and for the cases.
    static func findingsOfEachService(_ result: AuditResult) -> [[Finding]] {
        var byEndpoint: [EndpointKey: [Finding]] = [:]
        for finding in result.findings {
            guard let address = finding.address, let port = finding.port else { continue }
            byEndpoint[EndpointKey(address: address, port: port), default: []].append(finding)
        }
        // By index: a closure over each service copied it whole, its strings and tables.
        return result.services.indices.map { index in
            byEndpoint[EndpointKey(address: result.services[index].address, port: result.services[index].port)] ?? []
        }
    }

    /// A server endpoint as the result names it.
    struct EndpointKey: Hashable {
        var address: String
        var port: UInt16
    }

    /// Writes a service's case, "10.0.0.1:8083 unexpected" (with its catalog key when it has
    /// one), failed by `findings` that fail the audit, its traffic in `system-out`: "26
    /// connections, 260 packets, 141232 bytes; protocol http". Written from the service
    /// itself, without its name and note made as strings first.
    static func writeServiceCase(_ service: ServiceSummary, findings: [Finding], failOn: FailThreshold, to sink: ByteSink) {
        writeCase(classname: "dasaudit.services", findings: findings, failOn: failOn, to: sink) { sink in
            sink.write(htmlEscaping: service.endpoint)
            sink.write(byte: UInt8(ascii: " "))
            sink.write(htmlEscaping: service.classification.rawValue)
            if let key = service.catalogKeys.first {
                sink.write(byte: UInt8(ascii: " "))
                sink.write(htmlEscaping: key)
            }
        } note: { sink in
            sink.write(decimal: service.connections)
            sink.write(" connections, " as StaticString)
            sink.write(decimal: service.packets)
            sink.write(" packets, " as StaticString)
            sink.write(decimal: service.bytes)
            sink.write(" bytes; protocol " as StaticString)
            sink.write(htmlEscaping: service.protocolText)
        }
    }
}
