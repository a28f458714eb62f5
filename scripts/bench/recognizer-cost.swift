// recognizer-cost: the time ProtocolRecognizer takes per connection, on the first payload
// bytes of real connections (docs/design.md, "Protocol naming: own recognizers, not nDPI").
// Built with the Protocols sources into one optimized program by scripts/bench/recognizer-cost.sh,
// which feeds it lines "CLIENT_HEX SERVER_HEX" (either may be "-": that side sent nothing),
// each side at most 96 bytes, as dasaudit samples them. Prints the connections, the calls
// made and the nanoseconds per call (best of 5 rounds).
import Foundation

func bytes(_ hex: Substring) -> [UInt8] {
    guard hex != "-" else { return [] }
    var result: [UInt8] = [], index = hex.startIndex
    while index < hex.endIndex {
        let next = hex.index(index, offsetBy: 2)
        result.append(UInt8(hex[index..<next], radix: 16)!)
        index = next
    }
    return Array(result.prefix(96))
}

var samples: [([UInt8], [UInt8])] = []
while let line = readLine() {
    let fields = line.split(separator: " ")
    if fields.count == 2 { samples.append((bytes(fields[0]), bytes(fields[1]))) }
}
guard !samples.isEmpty else { fatalError("recognizer-cost: no samples on standard input") }
let rounds = max(1, 2_000_000 / samples.count)
var best = Double.infinity, checksum = 0
for _ in 0..<5 {
    let start = DispatchTime.now().uptimeNanoseconds
    for _ in 0..<rounds {
        for (client, server) in samples {
            client.withUnsafeBytes { c in
                server.withUnsafeBytes { s in
                    checksum &+= Int(ProtocolRecognizer.recognize(client: PayloadBytes(c), server: PayloadBytes(s)).name.rawValue)
                }
            }
        }
    }
    let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start)
    best = min(best, elapsed / Double(rounds * samples.count))
}
print("connections=\(samples.count) calls=\(rounds * samples.count) ns_per_call=\(String(format: "%.0f", best)) checksum=\(checksum)")
