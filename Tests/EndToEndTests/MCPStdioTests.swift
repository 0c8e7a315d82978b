import Foundation
import TestSupport
import Testing
import Tools

/// `binance-shell --mcp` over raw pipes, on the simulated exchange.
@Suite(.serialized) struct MCPStdioTests {
    static let initialize =
        #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"e2e","version":"1"}}}"#
    static let initialized = #"{"jsonrpc":"2.0","method":"notifications/initialized"}"#

    /// Runs the server on `lines` (stdin closed afterwards) and returns every stdout line parsed.
    func run(_ lines: [String], extraInput: Data = Data()) async throws -> (messages: [JSONValue], output: BinaryRunner.Output) {
        let home = try BinaryRunner.temporaryHome()
        defer { try? FileManager.default.removeItem(atPath: home) }
        var input = lines.joined(separator: "\n") + "\n"
        input += String(decoding: extraInput, as: UTF8.self)
        let environment = BinaryRunner.cleanEnvironment(home: home)
        let stdin = input
        let output = try await runOffThePool {
            try BinaryRunner.run(["--mcp"], input: stdin, environment: environment, timeout: .seconds(120))
        }
        let messages = try output.stdout.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.isEmpty }
            .map { line in try JSONValue.parse(Data(line.utf8)) }
        return (messages, output)
    }

    /// Checks that a message is a JSON-RPC 2.0 response or notification.
    func expectJSONRPC(_ message: JSONValue) {
        #expect(message["jsonrpc"] == .string("2.0"), "not JSON-RPC 2.0: \(message.serialized())")
        let isResponse = message["id"] != nil && (message["result"] != nil) != (message["error"] != nil)
        let isNotification = message["id"] == nil && message["method"]?.stringValue != nil
        #expect(isResponse || isNotification, "neither a response nor a notification: \(message.serialized())")
    }

    struct Exchange: CustomStringConvertible, Sendable {
        var description: String
        var line: String
        /// Expected error code, or nil when the line must get no reply at all.
        var code: Int?
        var id: JSONValue = .null
    }

    static let exchanges: [Exchange] = [
        Exchange(description: "not JSON", line: "{nope", code: -32700),
        Exchange(description: "truncated", line: #"{"jsonrpc":"2.0","id":5,"method":"ping""#, code: -32700),
        Exchange(description: "no jsonrpc", line: #"{"id":6,"method":"ping"}"#, code: -32600, id: .int(6)),
        Exchange(description: "null id", line: #"{"jsonrpc":"2.0","id":null,"method":"ping"}"#, code: -32600),
        Exchange(description: "method number", line: #"{"jsonrpc":"2.0","id":7,"method":7}"#, code: -32600, id: .int(7)),
        Exchange(description: "batch", line: #"[{"jsonrpc":"2.0","id":8,"method":"ping"}]"#, code: -32600),
        Exchange(description: "unknown method", line: #"{"jsonrpc":"2.0","id":9,"method":"prompts/list"}"#, code: -32601,
                 id: .int(9)),
        Exchange(description: "params array", line: #"{"jsonrpc":"2.0","id":10,"method":"tools/list","params":[]}"#,
                 code: -32602, id: .int(10)),
        Exchange(description: "unknown tool", line: #"{"jsonrpc":"2.0","id":11,"method":"tools/call","params":{"name":"withdraw"}}"#,
                 code: -32602, id: .int(11)),
        Exchange(description: "bad cursor", line: #"{"jsonrpc":"2.0","id":12,"method":"tools/list","params":{"cursor":"x"}}"#,
                 code: -32602, id: .int(12)),
        Exchange(description: "bad log level", line: #"{"jsonrpc":"2.0","id":13,"method":"logging/setLevel","params":{"level":"loud"}}"#,
                 code: -32602, id: .int(13)),
        Exchange(description: "unknown notification", line: #"{"jsonrpc":"2.0","method":"notifications/whatever"}"#, code: nil),
        Exchange(description: "broken notification", line: #"{"method":"notifications/initialized","params":5}"#, code: nil),
        Exchange(description: "deep nesting", line: String(repeating: "[", count: 100_000), code: -32600),
        Exchange(description: "discover without meta", line: #"{"jsonrpc":"2.0","id":14,"method":"server/discover"}"#,
                 code: -32602, id: .int(14)),
        Exchange(description: "ping", line: #"{"jsonrpc":"2.0","id":15,"method":"ping"}"#, code: 0, id: .int(15)),
    ]

    @Test func malformedInputGetsOneReplyEach() async throws {
        let invalidUTF8 = Data([0x7B, 0x22, 0xFF, 0xFE, 0x22, 0x7D, 0x0A])
        let megabyte = #"{"jsonrpc":"2.0","id":16,"method":"ping","params":{"_meta":{"pad":""#
            + String(repeating: "a", count: 1_048_576) + #""}}}"#
        let (messages, output) = try await run(
            [Self.initialize, Self.initialized] + Self.exchanges.map(\.line) + [megabyte],
            extraInput: invalidUTF8
        )
        #expect(output.status == 0)
        messages.forEach(expectJSONRPC)

        let replies = Array(messages.dropFirst())
        let expected = Self.exchanges.filter { $0.code != nil }
        try #require(replies.count == expected.count + 2, "replies: \(replies.map { $0.serialized().prefix(200) })")
        for (exchange, reply) in zip(expected, replies) {
            #expect(reply["id"] == exchange.id, "\(exchange.description): \(reply.serialized())")
            if exchange.code == 0 {
                #expect(reply["result"] == .object([:]), "\(exchange.description)")
            } else {
                #expect(reply["error"]?["code"] == .int(exchange.code!), "\(exchange.description): \(reply.serialized())")
            }
        }
        #expect(replies[expected.count]["id"] == .int(16))
        #expect(replies[expected.count]["result"] == .object([:]))
        #expect(replies[expected.count + 1]["error"]?["code"] == .int(-32700))
        #expect(replies[expected.count + 1]["id"] == .null)
    }

    @Test func requestsBeforeInitializeAreRefused() async throws {
        let (messages, output) = try await run([
            #"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"get_ticker_price","arguments":{"symbol":"BTCUSDT"}}}"#,
            #"{"jsonrpc":"2.0","id":2,"method":"ping"}"#,
        ])
        #expect(output.status == 0)
        #expect(messages.count == 2)
        #expect(messages.first?["error"]?["code"] == .int(-32600))
        #expect(messages.last?["result"] == .object([:]))
    }

    @Test func stderrCarriesNoSecrets() async throws {
        let home = try BinaryRunner.temporaryHome()
        defer { try? FileManager.default.removeItem(atPath: home) }
        let secret = "TopSecretValue0123456789abcdef"
        let input = [Self.initialize, #"{"jsonrpc":"2.0","id":2,"method":"logging/setLevel","params":{"level":"debug"}}"#]
            .joined(separator: "\n") + "\n"
        let environment = BinaryRunner.cleanEnvironment(
            home: home,
            extra: ["BINANCE_API_KEY": "KeyValue0123456789", "BINANCE_API_SECRET": secret]
        )
        let output = try await runOffThePool {
            try BinaryRunner.run(["--mcp", "--venue", "sim"], input: input, environment: environment, timeout: .seconds(120))
        }
        #expect(!output.stdout.contains(secret))
        #expect(!output.stderr.contains(secret))
        #expect(output.status == 0)
    }

    @Test func sigtermEndsTheServerCleanly() async throws {
        let home = try BinaryRunner.temporaryHome()
        defer { try? FileManager.default.removeItem(atPath: home) }
        let server = try MCPProcess(environment: BinaryRunner.cleanEnvironment(home: home))
        let (reply, status) = try await runOffThePool {
            server.send(Self.initialize)
            let reply = try server.readLine()
            server.terminate()
            return (reply, server.waitForExit(timeout: .seconds(30)))
        }
        let text = try #require(reply)
        #expect(try JSONValue.parse(Data(text.utf8))["id"] == .int(1))
        #expect(status == 0, "stderr: \(server.stderr)")
    }

    /// 200 calls written at once, then stdin closed: every call gets its reply before the process exits, and each
    /// order call's reply matches the paper exchange (placed orders exist, cancelled ones do not).
    @Test func burstThenEndOfInputAnswersAll() async throws {
        let home = try BinaryRunner.temporaryHome()
        defer { try? FileManager.default.removeItem(atPath: home) }
        let environment = BinaryRunner.cleanEnvironment(home: home, extra: ["MCP_MAX_REQUESTS_PER_MINUTE": "100000"])
        let reads = [
            #"{"name":"get_ticker_price","arguments":{"symbol":"BTCUSDT"}}"#,
            #"{"name":"get_order_book","arguments":{"symbol":"ETHUSDT","limit":5}}"#,
            #"{"name":"get_account"}"#,
            #"{"name":"get_open_orders","arguments":{"symbol":"BTCUSDT"}}"#,
        ]
        var lines = [Self.initialize, Self.initialized]
        var orderIDs: [Int: String] = [:]
        for id in 1...200 {
            if id % 20 == 0 {
                let clientOrderID = "burst-\(id)"
                orderIDs[id] = clientOrderID
                let arguments = #"{"symbol":"BTCUSDT","side":"BUY","order_type":"LIMIT","quantity":"0.01","price":"1000","client_order_id":"\#(clientOrderID)"}"#
                lines.append(#"{"jsonrpc":"2.0","id":\#(id + 1),"method":"tools/call","params":{"name":"create_order","arguments":\#(arguments)}}"#)
            } else {
                lines.append(#"{"jsonrpc":"2.0","id":\#(id + 1),"method":"tools/call","params":\#(reads[id % reads.count])}"#)
            }
        }
        let input = lines.joined(separator: "\n") + "\n"
        let output = try await runOffThePool {
            try BinaryRunner.run(["--mcp"], input: input, environment: environment, timeout: .seconds(180))
        }
        #expect(output.status == 0, "stderr: \(output.stderr.suffix(2000))")
        #expect(!output.timedOut)
        let messages = try output.stdout.split(separator: "\n").map { try JSONValue.parse(Data($0.utf8)) }
        var replies: [Int: JSONValue] = [:]
        for message in messages {
            guard let id = message["id"]?.decimalValue else { continue }
            replies[NSDecimalNumber(decimal: id).intValue] = message
        }
        let missing = (2...201).filter { replies[$0] == nil }
        #expect(missing.isEmpty, "\(missing.count) of 200 calls got no reply, such as id \(missing.first ?? 0)")

        // Each order reply tells the truth: success means the order exists, anything else that it does not.
        let queries = orderIDs.keys.sorted().map { "get_order symbol=BTCUSDT client_order_id=\(orderIDs[$0]!)" }
        let check = try await runOffThePool {
            try BinaryRunner.run(["--json"], input: queries.joined(separator: "\n") + "\n", environment: environment,
                                 timeout: .seconds(120))
        }
        let found = try check.stdout.split(separator: "\n").map { try JSONValue.parse(Data($0.utf8)) }
        try #require(found.count == queries.count, "stdout: \(check.stdout) stderr: \(check.stderr)")
        for (index, id) in orderIDs.keys.sorted().enumerated() {
            guard let reply = replies[id + 1] else { continue }
            let placed = reply["result"]?["isError"] == .bool(false)
            let exists = found[index]["success"] == .bool(true)
            #expect(placed == exists, "create_order \(orderIDs[id]!): \(reply.serialized()) / \(found[index].serialized())")
        }
    }

    @Test func endOfInputEndsTheServerWhileIdle() async throws {
        let home = try BinaryRunner.temporaryHome()
        defer { try? FileManager.default.removeItem(atPath: home) }
        let server = try MCPProcess(environment: BinaryRunner.cleanEnvironment(home: home))
        let (reply, status, rest) = try await runOffThePool {
            server.send(#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#)
            let reply = try server.readLine()
            server.closeInput()
            let status = server.waitForExit(timeout: .seconds(30))
            return (reply, status, try server.readLine(timeout: .seconds(60)))
        }
        #expect(reply == #"{"id":1,"jsonrpc":"2.0","result":{}}"#)
        #expect(status == 0, "stderr: \(server.stderr)")
        #expect(rest == nil)
    }
}
