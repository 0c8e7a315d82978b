import BinanceAPI
import Foundation
import Testing
import TestSupport

@testable import Tools

/// Part of a secret typed or echoed through the built executable, by each way in, reaches no output and no file
/// of the state directory. The exchange is a loopback simulator that signs with the canary credentials.
@Suite struct SafetyCanaryEndToEndTests {
    static let secrets = [ReliabilityHarness.canaryKey, ReliabilityHarness.canarySecret]
    /// A valid client order id made of the secret's first 36 characters.
    static let fragmentID = String(ReliabilityHarness.canarySecret.prefix(36))
    /// 20 characters from the middle of the key, which pass as a symbol.
    static let fragmentSymbol = String(ReliabilityHarness.canaryKey.dropFirst(20).prefix(20))

    static let commands = [
        "create_order symbol=BTCUSDT side=BUY order_type=LIMIT quantity=0.001 price=50000 client_order_id=\(fragmentID)",
        "get_order symbol=BTCUSDT client_order_id=\(fragmentID)",
        "cancel_order symbol=BTCUSDT client_order_id=\(fragmentID)",
        "price \(fragmentSymbol)",
        "no_such_command \(fragmentSymbol)",
        "help \(fragmentID)",
    ]

    /// Returns the text of every file under `directory`, with its path.
    static func files(under directory: String) -> [(String, String)] {
        let enumerator = FileManager.default.enumerator(atPath: directory)
        var files: [(String, String)] = []
        while let name = enumerator?.nextObject() as? String {
            let path = directory + "/" + name
            if let data = FileManager.default.contents(atPath: path) {
                files.append((path, String(decoding: data, as: UTF8.self)))
            }
        }
        return files
    }

    @Test func fragmentsLeakNowhere() async throws {
        let server = try ReliabilityServer(exchange: try ReliabilityHarness.canaryExchange())
        defer { server.stop() }
        let home = TemporaryHome()
        defer { home.remove() }
        let environment = ReliabilityHarness.environment(
            server: server,
            home: home.path,
            extra: ["BINANCE_SHELL_LOG_LEVEL": "trace"]
        )
        var outputs: [(String, String)] = []

        let script = try await ReliabilityHarness.runBinary(
            ["--json"],
            input: Self.commands.joined(separator: "\n") + "\n",
            environment: environment
        )
        outputs += [("script stdout", script.stdout), ("script stderr", script.stderr)]
        let commandLine = try await ReliabilityHarness.runBinary(
            ["-c", Self.commands.joined(separator: "; ")],
            input: "",
            environment: environment
        )
        outputs += [("-c stdout", commandLine.stdout), ("-c stderr", commandLine.stderr)]

        var mcpLines = [
            #"{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"canary","version":"1"}}}"#,
            #"{"jsonrpc":"2.0","method":"notifications/initialized"}"#,
        ]
        let calls: [(String, String)] = [
            ("create_order", #"{"symbol":"BTCUSDT","side":"BUY","order_type":"LIMIT","quantity":"0.001","price":"50000","client_order_id":"\#(Self.fragmentID)"}"#),
            ("get_order", #"{"symbol":"BTCUSDT","client_order_id":"\#(Self.fragmentID)"}"#),
            ("get_ticker_price", #"{"symbol":"\#(Self.fragmentSymbol)"}"#),
            ("no_such_tool_\(Self.fragmentSymbol)", "{}"),
        ]
        for (index, call) in calls.enumerated() {
            mcpLines.append(#"{"jsonrpc":"2.0","id":\#(index + 1),"method":"tools/call","params":{"name":"\#(call.0)","arguments":\#(call.1)}}"#)
        }
        let mcp = try await ReliabilityHarness.runBinary(
            ["--mcp"],
            input: mcpLines.joined(separator: "\n") + "\n",
            environment: environment
        )
        outputs += [("MCP stdout", mcp.stdout), ("MCP stderr", mcp.stderr)]

        let interactive = try await ReliabilityHarness.offPool { () throws -> String in
            // Log lines on the terminal would push the prompt off the last line, so this run logs at the default level.
            let quiet = environment.filter { $0.key != "PATH" && $0.key != "BINANCE_SHELL_LOG_LEVEL" }
            // Wide enough that no typed command wraps onto a second line.
            let terminal = try ShellTerminal(home: home.path, environment: quiet, columns: 250)
            defer { terminal.close() }
            // tmux drops the prompt's trailing space. Each screen is kept, because output scrolls off it.
            var screens: [String] = []
            for command in Self.commands {
                try terminal.run(command, prompt: "custom>")
                // Until the line editor shows the typed line, the last line is still the old empty prompt. Typing
                // the next command then reaches the terminal while this one runs, which echoes it without a prompt.
                try terminal.waitFor("custom> " + command)
                screens.append(try terminal.waitForPrompt("custom>"))
            }
            try terminal.run("exit", prompt: "custom>")
            screens.append(try terminal.waitFor("EXITED:"))
            // The terminal echoes what the user types after the prompt; only the program's own lines are checked.
            let printed = screens.joined(separator: "\n").split(separator: "\n").filter { !$0.hasPrefix("custom>") }
            return printed.joined(separator: "\n")
        }
        outputs.append(("interactive screen", interactive))

        #expect(script.stdout.contains(#""success":true"#))
        #expect(mcp.stdout.contains("[REDACTED]"))
        #expect(FileManager.default.fileExists(atPath: home.path + "/" + AuditLog.fileName))
        for (name, text) in outputs + Self.files(under: home.path) {
            // A lowercased copy counts too: `help` once lowercased its topic before the exact-case redaction.
            let fragment = SafetyFixtures.leakedFragment(of: Self.secrets + Self.secrets.map { $0.lowercased() }, in: text)
            // The text around the fragment, with the fragment itself masked, shows where it leaked.
            let context = fragment.flatMap { text.range(of: $0) }.map { range in
                String(text[..<range.lowerBound].suffix(300)) + "<fragment>" + String(text[range.upperBound...].prefix(300))
            }
            #expect(fragment == nil, "'\(fragment?.prefix(3) ?? "")…' leaked in \(name): \(context ?? "")")
        }
        #expect(AuditLog.verify(path: home.path).isValid)
    }
}
