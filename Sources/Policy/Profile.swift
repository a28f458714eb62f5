/// A built-in starting point for a policy: which catalog applies, which groups are
/// expected, and the Spark mode it assumes.
public struct Profile: Sendable {
    public let name: String
    public let summary: String
    public let catalog: [CatalogEntry]
    public let groups: Set<CatalogGroup>
    public let mode: SparkMode

    /// The profile used when none is named: a real DAS node of any 3.x version.
    public static let `default` = das

    public static let das = Profile(
        name: "das",
        summary: "A DAS node: the WSO2 DAS port specification (receivers, HA, Spark) and its Carbon server's ports, "
            + "all shifted by the offset but Hazelcast",
        catalog: SparkHTTPSPorts.adding(to: Catalog.das), groups: Set(CatalogGroup.allCases), mode: .local)

    public static let das30 = Profile(
        name: "das-3.0", summary: "DAS 3.0.x with Spark 1.4: HA ports not shifted by the offset; Carbon ports",
        catalog: Catalog.receivers + Catalog.ha(shifted: false) + Catalog.spark + Catalog.sparkCluster + Catalog.carbon,
        groups: Set(CatalogGroup.allCases), mode: .local)

    public static let das31 = Profile(
        name: "das-3.1", summary: "DAS 3.1.0 with Spark 1.6: HA ports shifted; driver actor system; executor ports; Carbon ports",
        catalog: Catalog.receivers + Catalog.ha(shifted: true) + Catalog.spark16 + Catalog.sparkCluster + Catalog.carbon,
        groups: Set(CatalogGroup.allCases), mode: .local)

    public static let das32 = Profile(
        name: "das-3.2", summary: "DAS 3.2.0 with Spark 1.6: as das-3.1",
        catalog: das31.catalog, groups: das31.groups, mode: .local)

    public static let spark = Profile(
        name: "spark",
        summary: "A stock Apache Spark standalone cluster: Spark's default ports, no offset; RPC and block manager ports "
            + "random unless pinned (ports:)",
        catalog: SparkHTTPSPorts.adding(to: Catalog.stockSpark), groups: [.spark, .sparkCluster], mode: .cluster)

    public static let all: [Profile] = [das, das30, das31, das32, spark]

    /// The profile called `name`, in any letter case (`DAS-3.1` is `das-3.1`).
    public static func named(_ name: String) -> Profile? {
        EditDistance.matching(name, among: all.map(\.name)).flatMap { match in all.first { $0.name == match } }
    }
}
