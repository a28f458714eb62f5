import FuzzSupport

/// The entry point SwiftPM links as `main` (see `LibFuzzerDriver`).
@_cdecl("fuzz_das_home_main")
func fuzzDASHomeMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    LibFuzzerDriver.run(argc, argv, fuzzDASInstallationInput)
}
