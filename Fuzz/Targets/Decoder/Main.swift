import FuzzSupport

/// The entry point SwiftPM links as `main` (see `LibFuzzerDriver`).
@_cdecl("fuzz_decoder_main")
func fuzzDecoderMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    LibFuzzerDriver.run(argc, argv, fuzzPacketDecoder)
}
