import ArgumentParser

/// `--connections` for the commands that make a result `merge` can take (`audit`, `live`):
/// every connection listed in the JSON result, so that `merge` can join a connection cut
/// between time windows and count one captured at both ends once (docs/merge.md). The
/// list is kept until the end, so memory grows with the connections.
struct ConnectionsOption: ParsableArguments {
    @Flag(help: "List every connection in the JSON result too, for 'dasaudit merge' (memory then grows with the connections).")
    var connections = false
}
