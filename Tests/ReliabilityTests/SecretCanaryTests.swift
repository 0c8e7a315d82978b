import BinanceAPI
import Foundation
import Simulator
import Testing
import TestSupport
import Tools

/// A canary key and secret go through every tool and error path, by every way in; afterwards no output,
/// log, audit record or state file contains either of them in any encoding.
@Suite("Secret canaries")
struct SecretCanaryTests {
    static let key = ReliabilityHarness.canaryKey
    static let secret = ReliabilityHarness.canarySecret

    /// Every tool name of the product, from its registry.
    static func toolNames() throws -> [String] {
        let home = try BinaryRunner.temporaryHome()
        let configuration = try Configuration.load(environment: ["BINANCE_SHELL_HOME": home], envFileText: nil)
        let engine = try ToolEngine.make(
            configuration: configuration,
            transport: InProcessTransport(exchange: try ReliabilityServer.makeExchange()),
            credentials: nil,
            logger: .disabled
        )
        return engine.tools.map(\.name)
    }

    /// Script lines that call every tool with valid, missing and hostile arguments, including the canaries
    /// typed where a user might paste them.
    static func scriptLines(tools: [String]) -> [String] {
        var lines: [String] = []
        for tool in tools {
            lines.append(tool)
            lines.append("\(tool) symbol=BTCUSDT")
            lines.append("\(tool) symbol=\(secret)")
            lines.append("\(tool) symbol=BTCUSDT api_key=\(key) api_secret=\(secret)")
        }
        lines += [
            "price BTCUSDT", "balance", "buy BTCUSDT 0.0002", "sell BTCUSDT 0.0002 limit 90000", "orders BTCUSDT",
            "create_order symbol=BTCUSDT side=BUY order_type=LIMIT quantity=0.001 price=50000 client_order_id=canary-1",
            "cancel_order symbol=BTCUSDT client_order_id=canary-1",
            "no_such_command \(secret)", "help", "help create_order",
        ]
        return lines
    }

    /// Fails four requests in every nine, counted over all paths, in ways that produce error paths: a 503, a
    /// dropped connection, a cut body, and a Binance error that echoes the request's parameters back.
    static func faultyServer(exchange: SimulatedExchange) throws -> ReliabilityServer {
        try ReliabilityServer(exchange: exchange) { request, number, exchange in
            switch number % 9 {
            case 3: return .response(HTTPResponse(status: 503, body: Data("Service Unavailable".utf8)))
            case 5: return .dropConnection
            case 7:
                let response = await exchange.handle(request)
                return .truncated(response, keepBytes: response.body.count / 3)
            case 8:
                // An error whose message quotes what the request carried, as a careless gateway would.
                let echoed = (request.query + request.body.map { String(UnicodeScalar($0)) }.joined()).prefix(300)
                let body = #"{"code":-1100,"msg":"Illegal characters found in parameter: \#(echoed)"}"#
                return .response(HTTPResponse(status: 400, body: Data(body.utf8)))
            default:
                return await exchange.serve(request)
            }
        }
    }

    @Test func canariesAppearNowhere() async throws {
        let exchange = try ReliabilityHarness.canaryExchange()
        let server = try Self.faultyServer(exchange: exchange)
        defer { server.stop() }
        let home = try BinaryRunner.temporaryHome()
        let tools = try Self.toolNames()
        var outputs: [(String, String)] = []

        // Script mode on stdin, with debug logging.
        let verbose = ["BINANCE_SHELL_LOG_LEVEL": "trace"]
        let script = try await ReliabilityHarness.runScript(
            Self.scriptLines(tools: tools),
            server: server,
            home: home,
            extra: verbose
        )
        outputs.append(("script stdout", script.output.stdout))
        outputs.append(("script stderr", script.output.stderr))
        #expect(script.results.count > tools.count, "script mode produced too few results")

        // `-c` with the same commands, in table format.
        let commandLine = try await ReliabilityHarness.runBinary(
            ["-c", Self.scriptLines(tools: tools).prefix(40).joined(separator: "; ")],
            input: "",
            environment: ReliabilityHarness.environment(server: server, home: home, extra: verbose)
        )
        outputs.append(("-c stdout", commandLine.stdout))
        outputs.append(("-c stderr", commandLine.stderr))

        // MCP: every tool with empty, valid and hostile arguments.
        var mcpInput = [#"{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"canary","version":"1"}}}"#,
                        #"{"jsonrpc":"2.0","method":"notifications/initialized"}"#,
                        #"{"jsonrpc":"2.0","id":"list","method":"tools/list"}"#]
        for (index, tool) in tools.enumerated() {
            mcpInput.append(#"{"jsonrpc":"2.0","id":\#(index * 3 + 1),"method":"tools/call","params":{"name":"\#(tool)","arguments":{}}}"#)
            mcpInput.append(#"{"jsonrpc":"2.0","id":\#(index * 3 + 2),"method":"tools/call","params":{"name":"\#(tool)","arguments":{"symbol":"BTCUSDT","coin":"BTC","interval":"1h"}}}"#)
            mcpInput.append(#"{"jsonrpc":"2.0","id":\#(index * 3 + 3),"method":"tools/call","params":{"name":"\#(tool)","arguments":{"symbol":"\#(Self.secret)","api_key":"\#(Self.key)"}}}"#)
        }
        mcpInput.append("{\"jsonrpc\":\"2.0\",\"id\":\"broken\",\"method\":\"" + Self.secret)
        let mcp = try await ReliabilityHarness.runBinary(
            ["--mcp"],
            input: mcpInput.joined(separator: "\n") + "\n",
            environment: ReliabilityHarness.environment(server: server, home: home, extra: verbose)
        )
        outputs.append(("MCP stdout", mcp.stdout))
        outputs.append(("MCP stderr", mcp.stderr))
        // Every request gets its reply before the server exits, the broken last line a parse error.
        let replies = mcp.stdout.split(separator: "\n").filter { line in
            (try? JSONValue.parse(Data(line.utf8)))?["id"] != nil
        }
        #expect(replies.count == mcpInput.count - 1, "\(replies.count) replies to \(mcpInput.count - 1) requests")

        // An error path at start: the process stopped mid-run.
        let stopped = try await ReliabilityHarness.runBinary(
            ["--mcp"],
            input: "",
            environment: ReliabilityHarness.environment(server: server, home: home, extra: ["BINANCE_SHELL_LOG_LEVEL": "trace"]),
            timeout: .milliseconds(300)
        )
        outputs.append(("stopped", stopped.stdout + stopped.stderr))

        var leaks: [String] = []
        let forms = ReliabilityHarness.leakForms(of: Self.key) + ReliabilityHarness.leakForms(of: Self.secret)
        for (name, text) in outputs {
            for form in forms where text.contains(form) { leaks.append("\(name) holds '\(form.prefix(6))…'") }
        }
        let files = ReliabilityHarness.files(under: home)
        #expect(!files.isEmpty)
        for file in files {
            let text = String(decoding: file.contents, as: UTF8.self)
            for form in forms where text.contains(form) { leaks.append("\(file.path) holds '\(form.prefix(6))…'") }
            #expect(file.mode & 0o077 == 0, "\(file.path) has mode \(String(file.mode, radix: 8))")
        }
        // What reached the exchange: the key travels only in its header, the secret never.
        for request in server.requests {
            let sent = request.query + request.body
            for form in ReliabilityHarness.leakForms(of: Self.secret) where sent.contains(form) {
                leaks.append("a request to \(request.path) carried the secret")
            }
            for (name, value) in request.headers where name != "x-mbx-apikey" && value.contains(Self.key) {
                leaks.append("header \(name) carried the key")
            }
        }
        #expect(leaks.isEmpty, "\(leaks.count) leaks: \(leaks.prefix(10))")
    }

    /// Paths that echo what the user typed back in an error message without redaction: a canary pasted as a
    /// shell command, as an MCP method name, or into the wrong setting comes back in the output.
    @Test func echoedInputIsRedacted() async throws {
        let exchange = try ReliabilityHarness.canaryExchange()
        let server = try ReliabilityServer(exchange: exchange)
        defer { server.stop() }
        let home = try BinaryRunner.temporaryHome()
        let forms = ReliabilityHarness.leakForms(of: Self.key) + ReliabilityHarness.leakForms(of: Self.secret)

        let shell = try await ReliabilityHarness.runScript(["\(Self.key)", "price '\(Self.secret)"], server: server, home: home)
        let mcp = try await ReliabilityHarness.runBinary(
            ["--mcp"],
            input: #"{"jsonrpc":"2.0","id":"bad","method":"\#(Self.secret)"}"# + "\n",
            environment: ReliabilityHarness.environment(server: server, home: home)
        )
        let setting = try await ReliabilityHarness.runBinary(
            ["--json", "-c", "price BTCUSDT"],
            input: "",
            environment: ReliabilityHarness.environment(server: server, home: home, extra: ["BINANCE_RECV_WINDOW": Self.secret])
        )
        let outputs = [
            ("shell", shell.output.stdout + shell.output.stderr),
            ("MCP", mcp.stdout + mcp.stderr),
            ("setting", setting.stdout + setting.stderr),
        ]
        #expect(!shell.output.stderr.isEmpty)
        for (name, text) in outputs {
            let found = forms.filter { text.contains($0) }
            #expect(found.isEmpty, "\(name) output holds \(found.count) forms of a canary")
        }
    }
}
