import Foundation

extension ResultDiff {
    /// The `protocol` of each service in a JSON result, where the result names one (a
    /// string field of `services[i]`): read from the JSON itself, so a diff compares
    /// protocols whenever the results carry them. Anything else there is ignored.
    public static func protocols(inJSON data: Data) -> [ServiceEndpoint: String] {
        guard let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let services = root["services"] as? [[String: Any]] else { return [:] }
        var protocols: [ServiceEndpoint: String] = [:]
        for service in services {
            guard let address = service["address"] as? String, let port = (service["port"] as? NSNumber)?.uint16Value,
                  let name = service["protocol"] as? String else { continue }
            protocols[ServiceEndpoint(address: address, port: port)] = name
        }
        return protocols
    }
}
