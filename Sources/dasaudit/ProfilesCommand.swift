import ArgumentParser
import Policy

struct ProfilesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profiles",
        abstract: "List the built-in policy profiles.",
        discussion: """
        A profile is the catalog a policy starts from. Pick one with --profile or `profile:` \
        in a policy file, then see its ports with `dasaudit ports --profile NAME`.
        """
    )

    func run() throws {
        let width = Profile.all.map(\.name.count).max() ?? 0
        var lines: [String] = []
        for profile in Profile.all {
            let name = profile.name + String(repeating: " ", count: width - profile.name.count)
            let marker = profile.name == Profile.default.name ? " (default)" : ""
            lines.append("\(name)  \(profile.summary)\(marker)")
            let groups = CatalogGroup.allCases.filter(profile.groups.contains).map(\.rawValue).joined(separator: ", ")
            lines.append(String(repeating: " ", count: width + 2) + "\(profile.catalog.count) ports; expects \(groups); "
                + "mode \(profile.mode.rawValue) unless set")
        }
        try write(lines.joined(separator: "\n") + "\n", to: nil)
    }
}
