import Foundation
import Simulator
import Testing
import TestSupport
import Tools

/// The canary key and secret by the ways in that the main canary test does not use: a `.env` file in the working
/// directory, `--env-file`, processes that crash in the middle of work, and the interactive shell's history file.
@Suite("Secret canaries by other ways in")
struct SecretCanaryPathTests {
    static let key = ReliabilityHarness.canaryKey
    static let secret = ReliabilityHarness.canarySecret
    static let forms = ReliabilityHarness.leakForms(of: key) + ReliabilityHarness.leakForms(of: secret)

    /// Returns a description of each canary form found in `outputs` or in the files under `home`.
    static func leaks(in outputs: [(String, String)], home: String) -> [String] {
        var found: [String] = []
        for (name, text) in outputs {
            for form in forms where text.contains(form) { found.append("\(name) holds '\(form.prefix(6))…'") }
        }
        for file in ReliabilityHarness.files(under: home) {
            let text = String(decoding: file.contents, as: UTF8.self)
            for form in forms where text.contains(form) { found.append("\(file.path) holds '\(form.prefix(6))…'") }
        }
        return found
    }

    @Test func envFileCarriesNoCanaryOut() async throws {
        let exchange = try ReliabilityHarness.canaryExchange()
        let server = try SecretCanaryTests.faultyServer(exchange: exchange)
        defer { server.stop() }
        let home = try BinaryRunner.temporaryHome()
        let directory = try BinaryRunner.temporaryHome()
        let envFile = directory + "/.env"
        let settings = """
            BINANCE_API_KEY=\(Self.key)
            BINANCE_API_SECRET="\(Self.secret)"
            BINANCE_BASE_URL=\(server.url)
            BINANCE_SHELL_LOG_LEVEL=trace
            MCP_LOG_SECURITY=true
            """
        try settings.write(toFile: envFile, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: envFile)
        let environment = BinaryRunner.cleanEnvironment(home: home)
        let commands = SecretCanaryTests.scriptLines(tools: try SecretCanaryTests.toolNames())
        var outputs: [(String, String)] = []

        // `.env` in the working directory.
        let fromDirectory = try await ReliabilityHarness.runBinary(
            ["--json"],
            input: commands.joined(separator: "\n") + "\n",
            environment: environment,
            workingDirectory: directory
        )
        outputs.append((".env stdout", fromDirectory.stdout))
        outputs.append((".env stderr", fromDirectory.stderr))

        // `--env-file`, in script mode and over MCP.
        let fromFlag = try await ReliabilityHarness.runBinary(
            ["--env-file", envFile, "-c", commands.prefix(30).joined(separator: "; ")],
            input: "",
            environment: environment
        )
        outputs.append(("--env-file stdout", fromFlag.stdout))
        outputs.append(("--env-file stderr", fromFlag.stderr))
        let mcpInput = [
            #"{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"canary","version":"1"}}}"#,
            #"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"get_account"}}"#,
            #"{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"get_ticker_price","arguments":{"symbol":"\#(Self.secret)"}}}"#,
            #"{"jsonrpc":"2.0","id":3,"method":"\#(Self.key)"}"#,
        ]
        let mcp = try await ReliabilityHarness.runBinary(
            ["--mcp", "--env-file", envFile],
            input: mcpInput.joined(separator: "\n") + "\n",
            environment: environment
        )
        outputs.append(("MCP stdout", mcp.stdout))
        outputs.append(("MCP stderr", mcp.stderr))
        #expect(mcp.stdout.split(separator: "\n").count == mcpInput.count, "\(mcp.stdout)")

        // The files really were the way in: signed requests reached the exchange with the canary key.
        let signed = server.requests.filter { $0.headers["x-mbx-apikey"] == Self.key }
        #expect(signed.count > 10, "only \(signed.count) requests carried the key from the file")
        let found = Self.leaks(in: outputs, home: home)
        #expect(found.isEmpty, "\(found.count) leaks: \(found.prefix(10))")
    }

    /// Processes killed by SIGSEGV and SIGABRT in the middle of work: Swift's crash report goes to stderr, and
    /// neither it nor the files left behind may hold a canary.
    @Test(arguments: [SIGSEGV, SIGABRT])
    func crashLeavesNoCanary(_ signal: Int32) async throws {
        let exchange = try ReliabilityHarness.canaryExchange()
        let server = try SecretCanaryTests.faultyServer(exchange: exchange)
        defer { server.stop() }
        let home = try BinaryRunner.temporaryHome()
        let environment = ReliabilityHarness.environment(
            server: server,
            home: home,
            extra: ["BINANCE_SHELL_LOG_LEVEL": "trace", "MCP_MAX_REQUESTS_PER_MINUTE": "100000"]
        )
        var input = [
            #"{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"canary","version":"1"}}}"#,
        ]
        for id in 1...40 {
            let symbol = id % 2 == 0 ? "BTCUSDT" : Self.secret
            input.append(#"{"jsonrpc":"2.0","id":\#(id),"method":"tools/call","params":{"name":"get_ticker_price","arguments":{"symbol":"\#(symbol)"}}}"#)
        }
        let mcp = try await ReliabilityHarness.runAndSignal(
            ["--mcp"],
            input: input.joined(separator: "\n") + "\n",
            environment: environment,
            signal: signal,
            afterLines: 3
        )
        #expect(!mcp.timedOut)
        #expect(mcp.stderr.contains("Program crashed"), "no crash report: \(mcp.stderr.suffix(500))")

        let script = try await ReliabilityHarness.runAndSignal(
            ["--json"],
            input: ["get_account", "price \(Self.secret)", "open_orders BTCUSDT"].joined(separator: "\n") + "\n",
            environment: environment,
            signal: signal,
            afterLines: 2
        )
        #expect(!script.timedOut)
        #expect(script.stderr.contains("Program crashed"), "no crash report: \(script.stderr.suffix(500))")

        let found = Self.leaks(
            in: [("MCP", mcp.stdout + mcp.stderr), ("script", script.stdout + script.stderr)],
            home: home
        )
        #expect(found.isEmpty, "\(found.count) leaks: \(found.prefix(10))")
    }

    /// The interactive shell, typed at through tmux: lines that carry a canary never reach the history file,
    /// while an ordinary command does.
    @Test func historyKeepsNoCanary() async throws {
        let exchange = try ReliabilityHarness.canaryExchange()
        let server = try ReliabilityServer(exchange: exchange)
        defer { server.stop() }
        let home = try BinaryRunner.temporaryHome()
        let base64 = Data(Self.secret.utf8).base64EncodedString()
        let hex = Data(Self.secret.utf8).map { String(format: "%02x", $0) }.joined()
        let lines = [
            "price BTCUSDT",
            Self.secret,
            "price \(Self.secret)",
            "get_order symbol=BTCUSDT client_order_id=x api_key=\(Self.key)",
            "price \(hex)",
            "price \(base64)",
        ]
        try await ReliabilityHarness.offPool {
            let terminal = try ShellTerminal(home: home, environment: [
                "BINANCE_BASE_URL": server.url,
                "BINANCE_API_KEY": Self.key,
                "BINANCE_API_SECRET": Self.secret,
            ])
            defer { terminal.close() }
            try terminal.waitFor("custom>", timeout: .seconds(60))
            for (index, line) in lines.enumerated() {
                try terminal.type(line)
                try terminal.press("Enter")
                try terminal.waitFor("custom>", count: index + 2, timeout: .seconds(60))
            }
            try terminal.press("C-d")
            try terminal.waitFor("EXITED:0", timeout: .seconds(60))
        }
        // libedit writes a space in a history line as `\040`.
        let history = try String(contentsOfFile: home + "/history", encoding: .utf8)
            .replacingOccurrences(of: "\\040", with: " ")
        #expect(history.contains("price BTCUSDT"), "the history file does not hold the ordinary command: \(history)")
        let found = Self.leaks(in: [], home: home)
        #expect(found.isEmpty, "\(found.count) leaks: \(found.prefix(10))")
    }
}
