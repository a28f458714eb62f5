import FuzzSupport

/// The entry point SwiftPM links as `main` (see `LibFuzzerDriver`).
@_cdecl("fuzz_capture_main")
func fuzzCaptureMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    LibFuzzerDriver.run(argc, argv, fuzzCaptureInput)
}
