// swift-tools-version:6.0
import Foundation
import PackageDescription

let package = Package(
    name: "dasaudit",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "dasaudit", targets: ["dasaudit"]),
        // The connection table on its own, for the micro benchmarks in Benchmarks/Micro.
        .library(name: "DasauditFlows", targets: ["Flows", "Wire"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        // The only target that sees libpcap's C API.
        .systemLibrary(
            name: "CPcap",
            pkgConfig: "libpcap",
            providers: [.apt(["libpcap-dev"]), .brew(["libpcap"])]
        ),
        // File-system paths as text, byte for byte (names that are not UTF-8): no dependencies.
        .target(name: "PathBytes"),
        .target(name: "PcapKit", dependencies: ["CPcap", "PathBytes"]),
        // The C library's allocator settings (`LargeAllocations`).
        .target(name: "CMalloc"),
        // User and group lookups from local files only, for the static binary (`UserSwitch`).
        .target(name: "CUserDatabase"),
        .target(name: "Wire"),
        // What a connection speaks, from its first payload bytes: pure functions, no dependencies.
        .target(name: "Protocols"),
        // The CPU's prefetch hint, for the connection table's batch loop (FlowStorage+Prefetch.swift).
        .systemLibrary(name: "CPrefetch"),
        .target(name: "Flows", dependencies: ["Wire", "Protocols", "CPrefetch"]),
        // dasaudit's own XML reader, for DAS configuration files: no system XML library
        // (Foundation's FoundationXML needs libxml2, whose soname changes between
        // distributions), so the release binary runs wherever glibc does (docs/install.md).
        .target(name: "ConfigurationXML", dependencies: ["PathBytes"]),
        .target(
            name: "Policy",
            dependencies: ["Wire", "Protocols", "PathBytes", "ConfigurationXML", .product(name: "Yams", package: "Yams")]
        ),
        .target(
            name: "Audit",
            // Connections x policy -> services and findings: no threads, no pcap (the
            // capture engine reads). Crypto: SHA-256 of the inputs and the policy, for the
            // report's evidence.
            dependencies: ["Wire", "Flows", "Policy", "Protocols", "PathBytes", .product(name: "Crypto", package: "swift-crypto")],
            // DasauditVersion, generated from the VERSION file (Plugins/VersionStamp).
            plugins: ["VersionStamp"]
        ),
        .plugin(name: "VersionStamp", capability: .buildTool()),
        // The capture-reading engine: libpcap, threads, mmap and hashing, reading inputs
        // (files or a live device) into the connections the audit's rules take.
        .target(
            name: "CaptureEngine",
            dependencies: ["PcapKit", "PathBytes", "Wire", "Flows", "Audit", "CMalloc", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .target(name: "Reports", dependencies: ["Audit", "Policy", "Flows"]),
        // Prometheus metrics of a live audit and the small HTTP server for them (no HTTP
        // dependency: docs/design.md says why).
        .target(name: "Metrics", dependencies: ["Audit"]),
        .executableTarget(
            name: "dasaudit",
            dependencies: [
                "PcapKit", "PathBytes", "Wire", "Flows", "Policy", "Audit", "CaptureEngine", "Reports", "Metrics",
                "CUserDatabase",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Benchmarks/: the packet loop alone, with heap allocations counted (docs/performance.md).
        .target(name: "MallocCounter", path: "Benchmarks/MallocCounter"),
        .executableTarget(
            name: "dasaudit-bench",
            dependencies: ["CaptureEngine", "Audit", "Flows", "Policy", "MallocCounter"],
            path: "Benchmarks/HotLoop"
        ),
        // The capture generator: traffic of any shape, written through PcapKit (docs/performance.md).
        .target(name: "TrafficGenerator", dependencies: ["PcapKit", "Policy", "Protocols", "Wire", "Flows"]),
        .executableTarget(
            name: "dasaudit-gen",
            dependencies: ["TrafficGenerator", "PcapKit", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        // What the test targets share: `unavailable`, a skip that fails under CI, and a seeded generator.
        .target(name: "TestSupport", dependencies: ["Flows"], path: "Tests/TestSupport"),
        .testTarget(name: "TrafficGeneratorTests", dependencies: ["TrafficGenerator", "PcapKit", "Audit", "CaptureEngine", "Policy"]),
        .testTarget(name: "WireTests", dependencies: ["Wire", "TestSupport"]),
        .testTarget(name: "ProtocolsTests", dependencies: ["Protocols", "TestSupport"]),
        .testTarget(name: "FlowsTests", dependencies: ["Flows", "Wire", "TestSupport"]),
        .testTarget(name: "PolicyTests", dependencies: ["Policy", "Wire", "ConfigurationXML", "TestSupport"]),
        .testTarget(name: "AuditTests", dependencies: ["Audit", "CaptureEngine", "Flows", "Wire", "Policy", "PathBytes", "TrafficGenerator"]),
        .testTarget(name: "CaptureEngineTests", dependencies: ["CaptureEngine", "Flows", "Wire"]),
        .testTarget(name: "ReportsTests", dependencies: ["Reports", "Audit", "CaptureEngine", "Policy", "Flows", "Wire", "Protocols"]),
        .testTarget(name: "MetricsTests", dependencies: ["Metrics", "Audit", "CaptureEngine"]),
        .testTarget(
            name: "EndToEndTests",
            // Depends on the executable so `swift test` builds it for the CLI tests.
            dependencies: ["Audit", "CaptureEngine", "Reports", "Policy", "PcapKit", "PathBytes", "Flows", "TrafficGenerator", "TestSupport", "dasaudit",
                           "dasaudit-gen"]
        ),
        .testTarget(
            name: "LiveTests",
            // Live capture for real on loopback (needs root, as CI runs); builds the binary too.
            dependencies: ["Audit", "CaptureEngine", "Reports", "PcapKit", "Policy", "TestSupport", "dasaudit"]
        ),
    ],
    swiftLanguageModes: [.v6]
)

// Fuzz/: the libFuzzer targets, declared only for scripts/fuzz.sh (DASAUDIT_FUZZ=1), so a
// plain `swift build` or `swift test` neither builds nor sees them (Fuzz/README.md).
if ProcessInfo.processInfo.environment["DASAUDIT_FUZZ"] == "1" {
    package.targets += [
        .target(name: "FuzzSupport", path: "Fuzz/Support"),
        .executableTarget(name: "fuzz-decoder", dependencies: ["Wire", "FuzzSupport"], path: "Fuzz/Targets/Decoder"),
        .executableTarget(name: "fuzz-capture", dependencies: ["Audit", "CaptureEngine", "Flows", "PcapKit", "Policy", "Reports", "FuzzSupport"],
                          path: "Fuzz/Targets/Capture"),
        .executableTarget(name: "fuzz-result", dependencies: ["Audit", "Reports", "Policy", "Flows", "FuzzSupport"],
                          path: "Fuzz/Targets/Result"),
        .executableTarget(name: "fuzz-policy", dependencies: ["Policy", "FuzzSupport"], path: "Fuzz/Targets/Policy"),
        .executableTarget(name: "fuzz-das-home", dependencies: ["Policy", "FuzzSupport"], path: "Fuzz/Targets/DASHome"),
        .executableTarget(name: "fuzz-xml", dependencies: ["ConfigurationXML", "FuzzSupport"], path: "Fuzz/Targets/XML"),
    ]
}
