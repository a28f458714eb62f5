import Foundation
import XCTest

/// The error for a test whose set-up this machine cannot give: a skip with the reason, or,
/// under CI (the `CI` variable set), a failure, so nothing is skipped there silently.
public func unavailable(_ reason: String) -> Error {
    ProcessInfo.processInfo.environment["CI"] == nil ? XCTSkip(reason) : UnavailableUnderCI(reason: reason)
}

/// Why a test could not run under CI.
public struct UnavailableUnderCI: Error, CustomStringConvertible {
    public var reason: String
    public var description: String { "cannot run under CI: \(reason)" }
}
