import ArgumentParser
import Reports

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
        try write(ProfileListing.render(), to: nil)
    }
}
