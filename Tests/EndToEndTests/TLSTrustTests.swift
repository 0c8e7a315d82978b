import Foundation
import Testing
import TestSupport
import Tools

/// A venue with a self-signed HTTPS certificate is trusted through `BINANCE_CA_FILE` or `SSL_CERT_FILE`, and
/// rejected without either.
@Suite struct TLSTrustTests {
    private static let priceBody = #"{"symbol":"BTCUSDT","price":"12345.67000000"}"#

    private func runPrice(server: StaticTLSServer, extra: [String: String]) async throws -> BinaryRunner.Output {
        let home = try BinaryRunner.temporaryHome()
        var settings = [
            "BINANCE_BASE_URL": "https://127.0.0.1:\(try await server.waitForPort())",
            "BINANCE_API_KEY": ReliabilityHarness.canaryKey,
            "BINANCE_API_SECRET": ReliabilityHarness.canarySecret,
            "MCP_LOG_SECURITY": "false",
            "BINANCE_CALL_TIMEOUT": "20000",
        ]
        settings.merge(extra) { _, given in given }
        var environment = BinaryRunner.cleanEnvironment(home: home, extra: settings)
        if extra["SSL_CERT_FILE"] == nil { environment["SSL_CERT_FILE"] = nil }
        return try await ReliabilityHarness.runBinary(
            ["--json"],
            input: "price BTCUSDT\n",
            environment: environment,
            timeout: .seconds(120)
        )
    }

    @Test(arguments: ["BINANCE_CA_FILE", "SSL_CERT_FILE"])
    func selfSignedServerIsTrustedWithCAFile(_ variable: String) async throws {
        let server = try StaticTLSServer(files: ["api/v3/ticker/price?symbol=BTCUSDT": Self.priceBody])
        defer { server.stop() }

        let output = try await runPrice(server: server, extra: [variable: server.certificatePath])

        #expect(output.status == 0, "stdout: \(output.stdout) stderr: \(output.stderr)")
        let result = try JSONValue.parse(Data(output.stdout.utf8))
        #expect(result["data"]?["price"]?.stringValue == "12345.67", "\(output.stdout)")
    }

    @Test func selfSignedServerIsRejectedByDefault() async throws {
        let server = try StaticTLSServer(files: ["api/v3/ticker/price?symbol=BTCUSDT": Self.priceBody])
        defer { server.stop() }

        let output = try await runPrice(server: server, extra: [:])

        #expect(output.status == 1)
        let result = try JSONValue.parse(Data(output.stdout.utf8))
        let message = result["error"]?["message"]?.stringValue ?? ""
        #expect(message.contains("the server's TLS certificate was not accepted"), "\(message)")
    }
}

/// `openssl s_server -WWW` on 127.0.0.1 with a fresh self-signed certificate for that address, serving fixed
/// files from a temporary directory until stopped. s_server maps the whole request target, query included, to a
/// file name, so a file named `api/v3/ticker/price?symbol=BTCUSDT` is served for that request.
final class StaticTLSServer: @unchecked Sendable {
    let certificatePath: String
    private let directory: URL
    private let outputPath: String
    private let process = Process()

    /// - Parameter files: request targets without the leading `/`, and the body each returns.
    init(files: [String: String]) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("tls-www-\(UUID().uuidString)")
        let root = directory.appendingPathComponent("root")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        for (target, body) in files {
            let file = root.appendingPathComponent(target)
            try FileManager.default.createDirectory(
                at: file.deletingLastPathComponent(),
                withIntermediateDirectories: true
            )
            try Data(body.utf8).write(to: file)
        }
        certificatePath = directory.appendingPathComponent("certificate.pem").path
        let keyPath = directory.appendingPathComponent("key.pem").path
        outputPath = directory.appendingPathComponent("server.out").path

        let generate = Process()
        generate.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        generate.arguments = [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", keyPath, "-out", certificatePath, "-subj", "/CN=127.0.0.1",
            "-addext", "subjectAltName=IP:127.0.0.1", "-days", "1",
        ]
        generate.standardOutput = FileHandle.nullDevice
        generate.standardError = FileHandle.nullDevice
        try generate.run()
        generate.waitUntilExit()
        guard generate.terminationStatus == 0 else {
            throw StaticTLSServerError(description: "openssl req exited with status \(generate.terminationStatus)")
        }

        guard FileManager.default.createFile(atPath: outputPath, contents: nil) else {
            throw StaticTLSServerError(description: "could not create '\(outputPath)'")
        }
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = ["s_server", "-accept", "127.0.0.1:0", "-cert", certificatePath, "-key", keyPath, "-WWW"]
        process.currentDirectoryURL = root
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    /// Waits up to 60 s for the `ACCEPT 127.0.0.1:PORT` line that s_server prints once it listens. The file is
    /// read once more after the deadline, because a sleep can end late when other tests hold the pool's threads.
    func waitForPort() async throws -> UInt16 {
        let prefix = "ACCEPT 127.0.0.1:"
        let deadline = ContinuousClock.now + .seconds(60)
        while true {
            let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
            if let line = output.split(separator: "\n").first(where: { $0.hasPrefix(prefix) }),
                let port = UInt16(line.dropFirst(prefix.count))
            {
                return port
            }
            guard ContinuousClock.now < deadline else { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        let status = process.isRunning ? "running" : "exited with status \(process.terminationStatus)"
        throw StaticTLSServerError(description: "openssl s_server (\(status)) printed no ACCEPT line within 60 s")
    }

    /// Kills the server and waits up to 10 s for it to end. SIGTERM is not enough: a child that Foundation's
    /// `Process` starts inherits the starting thread's blocked signals, which include SIGTERM (seen in
    /// `/proc/PID/status`), so `terminate()` left s_server running and `waitUntilExit()` spinning.
    func stop() {
        kill(process.processIdentifier, SIGKILL)
        let deadline = ContinuousClock.now + .seconds(10)
        while process.isRunning, ContinuousClock.now < deadline { usleep(10_000) }
        try? FileManager.default.removeItem(at: directory)
    }
}

struct StaticTLSServerError: Error, CustomStringConvertible {
    let description: String
}
