import ArgumentParser

/// `--deduplicate` for the commands that count packets (`audit`, `flows`, `live`): a packet
/// seen again within 67 ms with the same IP and TCP fields is counted once whatever the
/// capture's link type (`InterfaceCopies`). A capture on every interface (`tcpdump -i any`)
/// and a pcapng of several interfaces are always read so, by interface; this is for copies
/// the capture cannot name an interface for.
struct DeduplicateOption: ParsableArguments {
    @Flag(help: ArgumentHelp(
        "Count a packet seen again within 67 ms (the same IP and TCP fields) once, whatever the link type: for a switch's "
            + "mirror port that sends frames twice. Captures with tcpdump -i any, and pcapng files of several interfaces "
            + "(dumpcap -i a -i b), always are, by the interface each packet names."))
    var deduplicate = false
}
