import Foundation
import MCP
import TestSupport
import Testing
import Tools

@Suite struct ToolListTests {
    @Test func listsToolsInCatalogueOrder() async throws {
        let harness = try MCPHarness()
        try await harness.initialize()
        let reply = try await harness.request(1, "tools/list")
        let tools = try #require(reply["result"]?["tools"]?.arrayValue)
        #expect(tools.map { $0["name"]?.stringValue ?? "" } == MCPFakeTools.names)
        #expect(reply["result"]?["nextCursor"] == nil)
    }

    @Test func everyToolHasSchemasTitleAndAnnotations() async throws {
        let harness = try MCPHarness()
        try await harness.initialize()
        let tools = try #require(try await harness.request(1, "tools/list")["result"]?["tools"]?.arrayValue)
        for tool in tools {
            #expect(tool["title"]?.stringValue?.isEmpty == false)
            #expect(tool["description"]?.stringValue?.isEmpty == false)
            #expect(tool["inputSchema"]?["type"] == .string("object"))
            #expect(tool["outputSchema"]?["type"] == .string("object"))
            for hint in ["readOnlyHint", "destructiveHint", "idempotentHint", "openWorldHint"] {
                #expect(tool["annotations"]?[hint]?.boolValue != nil, "\(hint) missing on \(tool["name"]!)")
            }
        }
        let echo = try #require(tools.first)
        #expect(echo["inputSchema"]?["required"] == .array([.string("symbol")]))
        #expect(echo["inputSchema"]?["additionalProperties"] == .bool(false))
        #expect(echo["inputSchema"]?["properties"]?["limit"]?["default"] == .int(5))
        #expect(echo["annotations"]?["readOnlyHint"] == .bool(true))
        let order = try #require(tools.last)
        #expect(order["annotations"]?["readOnlyHint"] == .bool(false))
        #expect(order["annotations"]?["destructiveHint"] == .bool(true))
    }

    @Test func outputSchemaIsAbsentBefore20250618() async throws {
        let harness = try MCPHarness()
        try await harness.initialize(version: "2025-03-26")
        let tools = try #require(try await harness.request(1, "tools/list")["result"]?["tools"]?.arrayValue)
        #expect(tools.allSatisfy { $0["outputSchema"] == nil })
    }

    @Test func pagesFollowTheCursor() async throws {
        let harness = try MCPHarness(pageSize: 3)
        try await harness.initialize()
        let first = try #require(try await harness.request(1, "tools/list")["result"])
        #expect(first["tools"]?.arrayValue?.count == 3)
        let cursor = try #require(first["nextCursor"]?.stringValue)
        let second = try #require(try await harness.request(2, "tools/list", #"{"cursor":"\#(cursor)"}"#)["result"])
        #expect(second["tools"]?.arrayValue?.map { $0["name"]?.stringValue ?? "" } == Array(MCPFakeTools.names.dropFirst(3)))
        #expect(second["nextCursor"] == nil)
    }

    @Test(arguments: [#""garbage""#, #""dG9vbHMtb2Zmc2V0Ojk5""#, "17"])
    func invalidCursorIsInvalidParams(_ cursor: String) async throws {
        let harness = try MCPHarness(pageSize: 3)
        try await harness.initialize()
        let reply = try await harness.request(1, "tools/list", #"{"cursor":\#(cursor)}"#)
        #expect(reply["error"]?["code"] == .int(-32602))
    }
}

@Suite struct ToolCallTests {
    @Test func successCarriesStructuredContentAndSameText() async throws {
        let harness = try MCPHarness()
        try await harness.initialize()
        let reply = try await harness.request(1, "tools/call", #"{"name":"echo_price","arguments":{"symbol":"btcusdt"}}"#)
        let result = try #require(reply["result"])
        #expect(result["isError"] == .bool(false))
        let structured = try #require(result["structuredContent"])
        #expect(structured["success"] == .bool(true))
        #expect(structured["data"]?["symbol"] == .string("BTCUSDT"))
        let text = try #require(result["content"]?.arrayValue?.first?["text"]?.stringValue)
        #expect(try JSONValue.parse(Data(text.utf8)) == structured)
    }

    @Test func invalidArgumentsAreToolErrors() async throws {
        let harness = try MCPHarness()
        try await harness.initialize()
        let reply = try await harness.request(1, "tools/call", #"{"name":"echo_price","arguments":{"symbol":"BTC/USDT"}}"#)
        let result = try #require(reply["result"])
        #expect(result["isError"] == .bool(true))
        #expect(result["structuredContent"]?["error"]?["type"] == .string("validation_error"))
        let message = try #require(result["structuredContent"]?["error"]?["message"]?.stringValue)
        #expect(message.contains("'BTC/USDT'"))
    }

    struct BadCall: CustomStringConvertible, Sendable {
        var description: String
        var params: String
    }

    @Test(arguments: [
        BadCall(description: "unknown tool", params: #"{"name":"no_such_tool"}"#),
        BadCall(description: "missing name", params: #"{"arguments":{}}"#),
        BadCall(description: "numeric name", params: #"{"name":5}"#),
        BadCall(description: "arguments array", params: #"{"name":"echo_price","arguments":["BTCUSDT"]}"#),
    ])
    func malformedCallIsInvalidParams(_ call: BadCall) async throws {
        let harness = try MCPHarness()
        try await harness.initialize()
        let reply = try await harness.request(1, "tools/call", call.params)
        #expect(reply["error"]?["code"] == .int(-32602))
    }

    @Test func hostileNamesAreQuotedAndBounded() async throws {
        let harness = try MCPHarness()
        try await harness.initialize()
        let hostile = "\\u001b[2J" + String(repeating: "x", count: 5000)
        let tool = try await harness.request(1, "tools/call", #"{"name":"\#(hostile)"}"#)
        let method = try await harness.request(2, hostile)
        let arguments = try await harness.request(
            3, "tools/call", #"{"name":"echo_price","arguments":"\#(hostile)"}"#)

        for reply in [tool, method, arguments] {
            let message = try #require(reply["error"]?["message"]?.stringValue)
            #expect(message.count < 300)
            #expect(!message.contains("\u{1B}"))
            #expect(message.contains("bytes)"))
        }
        #expect(tool["error"]?["message"]?.stringValue?.contains("'\\u{1B}[2Jxxx") == true)
        #expect(method["error"]?["message"]?.stringValue?.contains("'\\u{1B}[2Jxxx") == true)
    }

    @Test func pingAnswersWhileCallRuns() async throws {
        let harness = try MCPHarness()
        try await harness.initialize()
        await harness.send(#"{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"slow_wait"}}"#)
        let ping = try await harness.request(6, "ping")
        #expect(ping["result"] == .object([:]))
        #expect(!harness.sink.all.contains { $0["id"] == .int(5) })
        await harness.server.shutDown()
    }

    @Test func cancellationStopsCallWithoutReply() async throws {
        let harness = try MCPHarness()
        try await harness.initialize()
        await harness.send(#"{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"slow_wait"}}"#)
        await harness.send(#"{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":5,"reason":"test"}}"#)
        try await harness.waitForNoRunningCalls()
        #expect(await harness.server.runningCallCount == 0)
        await harness.send(#"{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"echo_price","arguments":{"symbol":"BNBUSDT"}}}"#)
        let reuse = try await harness.sink.response(id: .int(5))
        #expect(reuse["result"]?["structuredContent"]?["data"]?["symbol"] == .string("BNBUSDT"))
        #expect(harness.sink.all.filter { $0["id"] == .int(5) }.count == 1)
    }

    @Test func cancelledCallThatChangedStateIsLogged() async throws {
        let harness = try MCPHarness()
        try await harness.initialize()
        try await harness.request(1, "logging/setLevel", #"{"level":"warning"}"#)
        await harness.send(#"{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"send_regardless"}}"#)
        await harness.send(#"{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":4}}"#)
        let log = try await harness.sink.waitFor("warning") { $0["method"] == .string("notifications/message") }
        #expect(log["params"]?["level"] == .string("warning"))
        #expect(log["params"]?["data"]?["event"] == .string("cancelled_call_completed"))
        #expect(log["params"]?["data"]?["requestId"] == .int(4))
        #expect(harness.recorder.orders == ["SENT"])
        #expect(!harness.sink.all.contains { $0["id"] == .int(4) })
    }

    @Test func cancelledCallWithUnknownOutcomeIsLogged() async throws {
        let harness = try MCPHarness()
        try await harness.initialize()
        try await harness.request(1, "logging/setLevel", #"{"level":"warning"}"#)
        await harness.send(#"{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"send_regardless","arguments":{"lost":true}}}"#)
        await harness.send(#"{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":4}}"#)
        let log = try await harness.sink.waitFor("warning") { $0["method"] == .string("notifications/message") }
        let data = log["params"]?["data"]
        #expect(log["params"]?["level"] == .string("warning"))
        #expect(data?["event"] == .string("cancelled_call_outcome_unknown"))
        #expect(data?["requestId"] == .int(4))
        #expect(data?["message"]?.stringValue?.contains("client_order_id=lost-1") == true, "\(String(describing: data))")
        #expect(harness.recorder.orders == ["SENT"])
        #expect(!harness.sink.all.contains { $0["id"] == .int(4) })
    }

    @Test func progressNotificationsPrecedeTheResult() async throws {
        let harness = try MCPHarness()
        try await harness.initialize()
        let reply = try await harness.request(1, "tools/call", #"{"name":"report_progress","_meta":{"progressToken":"tok-1"}}"#)
        let messages = harness.sink.all
        let progress = messages.filter { $0["method"] == .string("notifications/progress") }
        #expect(progress.count == 2)
        #expect(progress.map { $0["params"]?["progress"] } == [.int(1), .int(2)])
        #expect(progress.allSatisfy { $0["params"]?["progressToken"] == .string("tok-1") })
        let replyIndex = try #require(messages.firstIndex { $0["id"] == .int(1) })
        let lastProgress = try #require(messages.lastIndex { $0["method"] == .string("notifications/progress") })
        #expect(lastProgress < replyIndex)
        #expect(reply["result"]?["structuredContent"]?["data"]?["waitPolicy"]?.stringValue?.hasPrefix("wait") == true)
    }

    @Test func rateLimitWaitIsReportedAsProgress() async throws {
        let clock = ManualClock()
        let harness = try MCPHarness(environment: ["MCP_MAX_REQUESTS_PER_MINUTE": "1"], clock: clock)
        try await harness.initialize()
        let echo = #"{"name":"echo_price","arguments":{"symbol":"BTCUSDT"}"#
        #expect(try await harness.request(1, "tools/call", echo + "}")["result"]?["isError"] == .bool(false))

        let refused = try await harness.request(2, "tools/call", echo + "}")
        #expect(refused["result"]?["structuredContent"]?["error"]?["type"] == .string("rate_limit_exceeded"))

        await harness.send(#"{"jsonrpc":"2.0","id":3,"method":"tools/call","params":\#(echo),"_meta":{"progressToken":7}}}"#)
        let progress = try await harness.sink.waitFor("progress") { $0["method"] == .string("notifications/progress") }
        #expect(progress["params"]?["progressToken"] == .int(7))
        #expect(progress["params"]?["message"]?.stringValue?.hasPrefix("Waiting 60 s") == true)
        clock.advance(by: 61)
        let admitted = try await harness.sink.response(id: .int(3))
        #expect(admitted["result"]?["isError"] == .bool(false))
    }

    @Test func callsWithoutProgressTokenFailFast() async throws {
        let harness = try MCPHarness()
        try await harness.initialize()
        let reply = try await harness.request(1, "tools/call", #"{"name":"report_progress"}"#)
        #expect(reply["result"]?["structuredContent"]?["data"]?["waitPolicy"] == .string("failFast"))
        #expect(!harness.sink.all.contains { $0["method"] == .string("notifications/progress") })
    }
}
