import ArgumentParser
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
        let listing = devices.map {
            InterfaceListing(name: $0.name, isUp: $0.isUp, isRunning: $0.isRunning, isLoopback: $0.isLoopback,
                             addresses: $0.addresses, description: $0.description)
        }
        switch format {
        case .json: try write(InterfaceListing.json(listing), to: nil)
        case .text: try write(InterfaceListing.text(listing), to: nil)
        }
    }
}
