// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "corslog",
    products: [
        .executable(name: "corslog", targets: ["corslog"]),
        .library(name: "CorsLogKit", targets: ["CorsLogKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.0.0"),
    ],
    targets: [
        // zlib from Debian's zlib1g-dev; `inflateInit2` is a macro, wrapped in shim.h.
        .systemLibrary(
            name: "CZlib",
            path: "Sources/CZlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // ISA-L's inflate_state layout and call helpers; the library itself is loaded
        // at run time (dlopen "libisal.so.2"), so nothing is linked or needed to build.
        .systemLibrary(name: "CIsal", path: "Sources/CIsal"),
        // glibc's mallopt (one malloc arena, a fixed mmap threshold: `MallocTuning`); header only.
        .systemLibrary(name: "CMalloc", path: "Sources/CMalloc"),
        // The engine: read → parse → aggregate → infer → render → report.
        .target(
            name: "CorsLogKit",
            dependencies: ["CZlib", "CIsal", "CMalloc", .product(name: "Yams", package: "Yams")],
            resources: [.copy("Infer/Resources")]
        ),
        // Thin command-line front.
        .executableTarget(
            name: "corslog",
            dependencies: [
                "CorsLogKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The libFuzzer targets, one executable (fuzz/run builds it with
        // -sanitize=fuzzer,address -DCORSLOG_FUZZ; otherwise it replays files).
        .executableTarget(
            name: "corslog-fuzz",
            dependencies: ["CorsLogKit"]
        ),
        .testTarget(
            name: "CorsLogKitTests",
            dependencies: ["CorsLogKit", "corslog"],
            exclude: ["Expected", "Infer/Fixtures"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
