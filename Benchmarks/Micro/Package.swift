// swift-tools-version: 6.1
// Micro benchmarks of the connection table (Flows): the per-packet path and the end stage,
// with ordo-one/benchmark (wall clock, instructions where the kernel lets it count them,
// and heap allocations through malloc-interposer). A package of its own, so that neither
// `swift build` nor `swift test` of dasaudit builds it. Run from this folder:
//
//   swift package --allow-writing-to-package-directory benchmark
//
// (docs/performance-log.md, "Micro benchmarks").
import PackageDescription

let package = Package(
    name: "dasaudit-micro-benchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "dasaudit", path: "../.."),
        .package(url: "https://github.com/ordo-one/benchmark", exact: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/ordo-one/malloc-interposer", exact: "1.6.1"),
    ],
    targets: [
        .executableTarget(
            name: "FlowTable",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "DasauditFlows", package: "dasaudit"),
            ],
            path: "Benchmarks/FlowTable",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
