// swift-tools-version:6.0
import PackageDescription

let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "binance-shell",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "binance-shell", targets: ["binance-shell"]),
    ],
    targets: [
        .systemLibrary(name: "CEditLine", pkgConfig: "libedit", providers: [.apt(["libedit-dev"])]),
        .systemLibrary(name: "CCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        // Only curl.h comes from here. The transport loads libcurl with dlopen, so no pkg-config link flags.
        .systemLibrary(name: "CCurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .target(name: "BinanceAPI", dependencies: ["CCrypto", "CCurl"], swiftSettings: strictSettings),
        .target(
            name: "Simulator",
            dependencies: ["BinanceAPI", "CSQLite"],
            resources: [.copy("Resources")],
            swiftSettings: strictSettings
        ),
        .target(name: "Tools", dependencies: ["BinanceAPI"], swiftSettings: strictSettings),
        .target(name: "Shell", dependencies: ["Tools", "CEditLine"], swiftSettings: strictSettings),
        .target(name: "MCP", dependencies: ["Tools"], swiftSettings: strictSettings),
        .executableTarget(
            name: "binance-shell",
            dependencies: ["Shell", "MCP", "Tools", "BinanceAPI", "Simulator"],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "binance-shell-bench",
            dependencies: ["Tools", "Simulator", "BinanceAPI", "Shell"],
            path: "Benchmarks/binance-shell-bench",
            swiftSettings: strictSettings
        ),
        .target(
            name: "TestSupport",
            dependencies: ["BinanceAPI", "Simulator", "Tools"],
            path: "Tests/TestSupport",
            swiftSettings: strictSettings
        ),
        .testTarget(name: "BinanceAPITests", dependencies: ["BinanceAPI", "TestSupport"], swiftSettings: strictSettings),
        .testTarget(name: "SimulatorTests", dependencies: ["Simulator", "TestSupport"], swiftSettings: strictSettings),
        .testTarget(name: "ToolsTests", dependencies: ["Tools", "TestSupport"], swiftSettings: strictSettings),
        .testTarget(name: "ShellTests", dependencies: ["Shell", "TestSupport"], swiftSettings: strictSettings),
        .testTarget(name: "MCPTests", dependencies: ["MCP", "TestSupport"], swiftSettings: strictSettings),
        .testTarget(name: "EndToEndTests", dependencies: ["TestSupport"], swiftSettings: strictSettings),
        .testTarget(
            name: "ReliabilityTests",
            dependencies: ["TestSupport", "BinanceAPI", "Simulator", "Tools", "MCP", "Shell"],
            swiftSettings: strictSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
