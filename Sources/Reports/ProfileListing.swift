import Policy

/// The text of `dasaudit profiles`: each built-in profile with its summary, the default
/// marked, and on a second line its port count, the groups it expects and its mode.
public enum ProfileListing {
    public static func render(_ profiles: [Profile] = Profile.all, defaultName: String = Profile.default.name) -> String {
        let width = profiles.map(\.name.count).max() ?? 0
        var lines: [String] = []
        for profile in profiles {
            let name = profile.name + String(repeating: " ", count: width - profile.name.count)
            let marker = profile.name == defaultName ? " (default)" : ""
            lines.append("\(name)  \(profile.summary)\(marker)")
            let groups = CatalogGroup.allCases.filter(profile.groups.contains).map(\.rawValue).joined(separator: ", ")
            // Keys at port 0 (the spark profile's random RPC ports) are counted apart: no port until pinned.
            let unpinned = profile.catalog.filter { $0.basePort == 0 }.count
            lines.append(String(repeating: " ", count: width + 2) + "\(profile.catalog.count - unpinned) ports"
                + (unpinned == 0 ? "" : " (and \(unpinned) random unless pinned)") + "; expects \(groups); "
                + "mode \(profile.mode.rawValue) unless set")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
