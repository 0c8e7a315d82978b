import BinanceAPI
import Foundation
import Testing
import TestSupport
@testable import Simulator

/// Runs Binance's own Python connector against the simulator's loopback server.
@Test func binanceConnectorRunsAgainstServer() async throws {
    let root = BinaryRunner.packageRoot
    let python = root.appendingPathComponent(".venv/bin/python")
    let script = root.appendingPathComponent("Tests/wire/binance_connector_run.py")
    try #require(
        FileManager.default.isExecutableFile(atPath: python.path),
        "Missing \(python.path): run Scripts/setup-python to install binance-connector into .venv."
    )
    let options = SimulatorOptions(databasePath: ":memory:")
    let exchange = try SimulatedExchange(options: options)
    let server = try SimulatorServer.start(exchange: exchange)
    defer { server.stop() }

    let process = Process()
    process.executableURL = python
    process.arguments = [script.path]
    var environment = ProcessInfo.processInfo.environment
    environment["BINANCE_BASE_URL"] = server.url
    environment["BINANCE_API_KEY"] = SimulatedExchange.paperAPIKey
    environment["BINANCE_API_SECRET"] = SimulatedExchange.paperSecret
    environment["no_proxy"] = "127.0.0.1,localhost"
    environment["NO_PROXY"] = "127.0.0.1,localhost"
    process.environment = environment
    let output = Pipe()
    let errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    let outputData = output.fileHandleForReading.readDataToEndOfFile()
    let errorData = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let printed = String(decoding: outputData, as: UTF8.self)
    let complaint = String(decoding: errorData, as: UTF8.self)
    #expect(process.terminationStatus == 0, "binance-connector run failed:\n\(printed)\(complaint)")
    #expect(printed.contains("ok   my trades"), "missing steps:\n\(printed)")
    #expect(exchange.orderCount(clientOrderId: "wireLimit1") == 1)
}
