import FuzzSupport

/// The entry point SwiftPM links as `main` (see `LibFuzzerDriver`).
@_cdecl("fuzz_policy_main")
func fuzzPolicyMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    LibFuzzerDriver.run(argc, argv, fuzzPolicyFileInput)
}
