/// libFuzzer's driver, started from the fuzz target's own `main`.
///
/// SwiftPM links every executable with `--defsym main=<module>_main` (so tests can link
/// executables), which would leave libFuzzer's `main` unused and the link without an entry
/// point. Each target therefore defines `<module>_main` (`@_cdecl`) and hands over to
/// `LLVMFuzzerRunDriver`, libFuzzer's documented entry point for programs with a main of their own.
public enum LibFuzzerDriver {
    public typealias TestOneInput = @convention(c) (UnsafePointer<UInt8>, Int) -> CInt

    /// Runs libFuzzer over `testOneInput` with the process's arguments; returns its exit status.
    public static func run(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>,
                           _ testOneInput: TestOneInput) -> CInt {
        var count = argc
        var arguments: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = argv
        return LLVMFuzzerRunDriver(&count, &arguments, testOneInput)
    }
}

@_silgen_name("LLVMFuzzerRunDriver")
private func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ testOneInput: LibFuzzerDriver.TestOneInput) -> CInt
