import Foundation
import Policy
import XCTest

extension XCTestCase {
    /// What `--das-home` reads from a DAS tree of carbon.xml at `offset` (2 unless given)
    /// and `sparkDefaults` as spark-defaults.conf, made in a temporary directory removed
    /// after the test.
    func settings(sparkDefaults: String, offset: Int = 2) throws -> PolicySettings {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("das-home-\(UUID())")
        let spark = root.appendingPathComponent("repository/conf/analytics/spark")
        try FileManager.default.createDirectory(at: spark, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: root) }
        try Data("<Server><Ports><Offset>\(offset)</Offset></Ports></Server>".utf8)
            .write(to: root.appendingPathComponent("repository/conf/carbon.xml"))
        try Data(sparkDefaults.utf8).write(to: spark.appendingPathComponent("spark-defaults.conf"))
        return try DASInstallation.read(home: root.path)
    }
}
