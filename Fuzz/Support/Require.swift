/// A check of the harness that stops the fuzzer with its message: `precondition` drops its
/// message in -O builds, and a crash report should say what went wrong.
public func require(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
                    file: StaticString = #fileID, line: UInt = #line) {
    if !condition() { fatalError(message(), file: file, line: line) }
}
