import FuzzSupport

/// The entry point SwiftPM links as `main` (see `LibFuzzerDriver`).
@_cdecl("fuzz_result_main")
func fuzzResultMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    LibFuzzerDriver.run(argc, argv, fuzzResultInput)
}
