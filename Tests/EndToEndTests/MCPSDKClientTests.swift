import Foundation
import TestSupport
import Testing

/// The official MCP Python SDK as a client of `binance-shell --mcp`: `Tests/mcp/sdk_client_check.py`.
@Suite struct MCPSDKClientTests {
    @Test func officialPythonClientPassesItsChecks() async throws {
        let root = BinaryRunner.packageRoot
        let python = root.appendingPathComponent(".venv/bin/python").path
        guard FileManager.default.isExecutableFile(atPath: python) else {
            Issue.record("'\(python)' is missing: run 'Scripts/setup-python' to install the MCP Python SDK into .venv")
            return
        }
        let script = root.appendingPathComponent("Tests/mcp/sdk_client_check.py").path
        let binary = try BinaryRunner.binaryPath()
        var environment = ProcessInfo.processInfo.environment.filter { key, _ in !key.lowercased().hasSuffix("_proxy") }
        environment["no_proxy"] = "127.0.0.1,localhost"
        let childEnvironment = environment
        let (status, text) = try await runOffThePool {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: python)
            process.arguments = [script, "--binary", binary]
            process.environment = childEnvironment
            let output = Pipe()
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            try process.run()
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            return (process.terminationStatus, text)
        }
        #expect(status == 0, "sdk_client_check.py failed:\n\(text)")
        #expect(text.contains("ok: every check passed"), "unexpected output:\n\(text)")
    }
}
