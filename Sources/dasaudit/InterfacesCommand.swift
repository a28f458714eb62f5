import ArgumentParser
import Foundation
import PcapKit
import Reports

struct InterfacesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "interfaces",
        abstract: "List the interfaces `dasaudit live` can capture on.",
        discussion: """
        Lists the devices libpcap finds (pcap_findalldevs), with their state and addresses. \
        Listing needs no privileges; capturing needs CAP_NET_RAW.

        Examples:
          dasaudit interfaces
          dasaudit interfaces --format json
        """
    )

    @Option(help: ArgumentHelp("Output format: text or json.", valueName: "format"))
    var format: OutputFormat = .text

    func run() throws {
        let devices: [CaptureDevice]
        do {
            devices = try CaptureDevice.all()
        } catch {
            printError("\(error)")
            throw ExitCode(2)
        }
        switch format {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            encoder.keyEncodingStrategy = .convertToSnakeCase
            try write(String(decoding: try encoder.encode(devices.map(Listing.init)), as: UTF8.self) + "\n", to: nil)
        case .text:
            try write(text(devices), to: nil)
        }
    }

    private func text(_ devices: [CaptureDevice]) -> String {
        let rows = devices.map(Listing.init).map { row in
            [row.name, row.state, row.addresses.isEmpty ? "-" : row.addresses.joined(separator: ", "), row.description ?? ""]
        }
        return TextTable(headers: ["NAME", "STATE", "ADDRESSES", "DESCRIPTION"], rows: rows).render(indent: "") + "\n"
    }

    /// One device as listed: its state in words.
    struct Listing: Encodable {
        var name: String
        var state: String
        var loopback: Bool
        var addresses: [String]
        var description: String?

        init(_ device: CaptureDevice) {
            name = device.name
            state = device.isUp ? (device.isRunning ? "up" : "up, not running") : "down"
            loopback = device.isLoopback
            addresses = device.addresses
            description = device.description
        }
    }
}
