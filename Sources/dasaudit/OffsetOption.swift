import ArgumentParser

/// `--offset N`, or `--offset auto` for `audit`: the offset the captures fit best, as
/// `dasaudit infer` finds it (`PolicyInference`), so a cluster's offset need not be known
/// before its first audit.
enum OffsetOption: Equatable, ExpressibleByArgument {
    case number(Int)
    case auto

    init?(argument: String) {
        if argument.lowercased() == "auto" {
            self = .auto
        } else if let value = Int(argument) {
            self = .number(value)
        } else {
            return nil
        }
    }

    static var defaultCompletionKind: CompletionKind { .list(["auto"]) }
}
