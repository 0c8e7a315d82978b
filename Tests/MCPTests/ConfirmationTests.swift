import Foundation
import MCP
import TestSupport
import Testing
import Tools

@Suite struct ElicitationTests {
    /// Starts `place_fake_order` on a session whose client declared elicitation, and returns the server's request.
    func startOrder(_ harness: MCPHarness) async throws -> JSONValue {
        try await harness.initialize(capabilities: #"{"elicitation":{}}"#)
        await harness.send(
            #"{"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":"place_fake_order","arguments":{"symbol":"BTCUSDT"}}}"#
        )
        return try await harness.sink.waitFor("elicitation request") { $0["method"] == .string("elicitation/create") }
    }

    @Test func elicitationShowsPreviewAndAsksForOneBoolean() async throws {
        let harness = try MCPHarness()
        let request = try await startOrder(harness)
        let params = try #require(request["params"])
        #expect(params["mode"] == .string("form"))
        #expect(params["message"]?.stringValue?.contains("BUY 0.001 BTCUSDT at market") == true)
        #expect(params["message"]?.stringValue?.contains("'sim'") == true)
        #expect(params["requestedSchema"]?["properties"]?["confirm"]?["type"] == .string("boolean"))
        #expect(params["requestedSchema"]?["required"] == .array([.string("confirm")]))
        #expect(request["id"]?.stringValue != nil)
        await harness.server.shutDown()
    }

    @Test func formHasNoModeBefore20251125() async throws {
        let harness = try MCPHarness()
        try await harness.initialize(capabilities: #"{"elicitation":{}}"#, version: "2025-06-18")
        await harness.send(
            #"{"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":"place_fake_order","arguments":{"symbol":"BTCUSDT"}}}"#
        )
        let request = try await harness.sink.waitFor("elicitation") { $0["method"] == .string("elicitation/create") }
        #expect(request["params"]?["mode"] == nil)
        #expect(request["params"]?["requestedSchema"] != nil)
        await harness.server.shutDown()
    }

    @Test func acceptPlacesTheOrder() async throws {
        let harness = try MCPHarness()
        let request = try await startOrder(harness)
        let id = try #require(request["id"])
        await harness.send(#"{"jsonrpc":"2.0","id":\#(id.serialized()),"result":{"action":"accept","content":{"confirm":true}}}"#)
        let reply = try await harness.sink.response(id: .int(9))
        #expect(reply["result"]?["isError"] == .bool(false))
        #expect(harness.recorder.orders == ["BTCUSDT"])
    }

    struct Answer: CustomStringConvertible, Sendable {
        var description: String
        var result: String
        var errorType: String
    }

    @Test(arguments: [
        Answer(description: "accept without confirm", result: #"{"action":"accept","content":{"confirm":false}}"#,
               errorType: "confirmation_declined"),
        Answer(description: "decline", result: #"{"action":"decline"}"#, errorType: "confirmation_declined"),
        Answer(description: "cancel", result: #"{"action":"cancel"}"#, errorType: "confirmation_declined"),
    ])
    func otherAnswersPlaceNothing(_ answer: Answer) async throws {
        let harness = try MCPHarness()
        let request = try await startOrder(harness)
        let id = try #require(request["id"])
        await harness.send(#"{"jsonrpc":"2.0","id":\#(id.serialized()),"result":\#(answer.result)}"#)
        let reply = try await harness.sink.response(id: .int(9))
        #expect(reply["result"]?["isError"] == .bool(true))
        #expect(reply["result"]?["structuredContent"]?["error"]?["type"] == .string(answer.errorType))
        #expect(harness.recorder.orders.isEmpty)
    }

    @Test func clientErrorMakesConfirmationUnavailable() async throws {
        let harness = try MCPHarness()
        let request = try await startOrder(harness)
        let id = try #require(request["id"])
        await harness.send(#"{"jsonrpc":"2.0","id":\#(id.serialized()),"error":{"code":-32601,"message":"no"}}"#)
        let reply = try await harness.sink.response(id: .int(9))
        #expect(reply["result"]?["structuredContent"]?["error"]?["type"] == .string("confirmation_required"))
        #expect(harness.recorder.orders.isEmpty)
    }

    @Test func withoutCapabilityTheOrderIsRefusedWithAdvice() async throws {
        let harness = try MCPHarness()
        try await harness.initialize()
        let reply = try await harness.request(
            9, "tools/call", #"{"name":"place_fake_order","arguments":{"symbol":"BTCUSDT"}}"#
        )
        let error = try #require(reply["result"]?["structuredContent"]?["error"])
        #expect(error["type"] == .string("confirmation_required"))
        #expect(error["message"]?.stringValue?.contains("'elicitation' capability") == true)
        #expect(!harness.sink.all.contains { $0["method"] == .string("elicitation/create") })
        #expect(harness.recorder.orders.isEmpty)
    }

    @Test func cancellingTheCallWithdrawsTheQuestion() async throws {
        let harness = try MCPHarness()
        let request = try await startOrder(harness)
        await harness.send(#"{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":9}}"#)
        try await harness.waitForNoRunningCalls()
        let id = try #require(request["id"])
        await harness.send(#"{"jsonrpc":"2.0","id":\#(id.serialized()),"result":{"action":"accept","content":{"confirm":true}}}"#)
        try await harness.request(10, "ping")
        #expect(harness.recorder.orders.isEmpty)
        #expect(!harness.sink.all.contains { $0["id"] == .int(9) })
    }
}

@Suite struct StatelessTests {
    @Test func discoverDescribesTheServer() async throws {
        let harness = try MCPHarness()
        let reply = try await harness.request(1, "server/discover", #"{"_meta":\#(statelessMeta())}"#)
        let result = try #require(reply["result"])
        #expect(result["resultType"] == .string("complete"))
        let versions = try #require(result["supportedVersions"]?.arrayValue)
        #expect(versions.contains(.string("2026-07-28")))
        #expect(versions.contains(.string("2025-11-25")))
        #expect(result["capabilities"]?["tools"] != nil)
        #expect(result["_meta"]?["io.modelcontextprotocol/serverInfo"]?["name"] == .string("binance-shell"))
        #expect(result["ttlMs"]?.decimalValue != nil)
        #expect(result["cacheScope"] == .string("private"))
    }

    @Test func discoverWithoutMetaIsInvalidParams() async throws {
        let harness = try MCPHarness()
        let reply = try await harness.request(1, "server/discover")
        #expect(reply["error"]?["code"] == .int(-32602))
    }

    @Test func unsupportedVersionListsSupportedOnes() async throws {
        let harness = try MCPHarness()
        let reply = try await harness.request(1, "tools/list", #"{"_meta":\#(statelessMeta(version: "2099-01-01"))}"#)
        #expect(reply["error"]?["code"] == .int(-32022))
        #expect(reply["error"]?["data"]?["requested"] == .string("2099-01-01"))
        #expect(reply["error"]?["data"]?["supported"]?.arrayValue?.contains(.string("2026-07-28")) == true)
    }

    @Test func missingCapabilitiesIsInvalidParams() async throws {
        let harness = try MCPHarness()
        let reply = try await harness.request(
            1, "tools/list", #"{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28"}}"#
        )
        #expect(reply["error"]?["code"] == .int(-32602))
    }

    @Test func toolsWorkWithoutHandshake() async throws {
        let harness = try MCPHarness()
        let list = try await harness.request(1, "tools/list", #"{"_meta":\#(statelessMeta())}"#)
        #expect(list["result"]?["resultType"] == .string("complete"))
        #expect(list["result"]?["tools"]?.arrayValue?.count == MCPFakeTools.names.count)
        let call = try await harness.request(
            2, "tools/call", #"{"name":"echo_price","arguments":{"symbol":"BTCUSDT"},"_meta":\#(statelessMeta())}"#
        )
        #expect(call["result"]?["resultType"] == .string("complete"))
        #expect(call["result"]?["structuredContent"]?["success"] == .bool(true))
    }

    @Test func handshakeOnlyMethodsAreNotStateless() async throws {
        let harness = try MCPHarness()
        let reply = try await harness.request(1, "logging/setLevel", #"{"level":"debug","_meta":\#(statelessMeta())}"#)
        #expect(reply["error"]?["code"] == .int(-32601))
    }

    func orderCall(_ id: Int, capabilities: String, extra: String = "") -> String {
        #"{"name":"place_fake_order","arguments":{"symbol":"ETHUSDT"},"_meta":\#(statelessMeta(capabilities: capabilities))\#(extra)}"#
    }

    @Test func orderConfirmationTakesTwoRoundTrips() async throws {
        let harness = try MCPHarness()
        let first = try await harness.request(1, "tools/call", orderCall(1, capabilities: #"{"elicitation":{}}"#))
        let result = try #require(first["result"])
        #expect(result["resultType"] == .string("input_required"))
        let input = try #require(result["inputRequests"]?["confirm_order"])
        #expect(input["method"] == .string("elicitation/create"))
        #expect(input["params"]?["message"]?.stringValue?.contains("ETHUSDT") == true)
        let state = try #require(result["requestState"]?.stringValue)
        #expect(harness.recorder.orders.isEmpty)

        let answer = #","inputResponses":{"confirm_order":{"action":"accept","content":{"confirm":true}}},"requestState":"\#(state)""#
        let second = try await harness.request(2, "tools/call", orderCall(2, capabilities: #"{"elicitation":{}}"#, extra: answer))
        #expect(second["result"]?["resultType"] == .string("complete"))
        #expect(second["result"]?["isError"] == .bool(false))
        #expect(harness.recorder.orders == ["ETHUSDT"])

        let replay = try await harness.request(3, "tools/call", orderCall(3, capabilities: #"{"elicitation":{}}"#, extra: answer))
        #expect(replay["error"]?["code"] == .int(-32602))
        #expect(harness.recorder.orders == ["ETHUSDT"])
    }

    @Test func tamperedStateIsRejected() async throws {
        let harness = try MCPHarness()
        let first = try await harness.request(1, "tools/call", orderCall(1, capabilities: #"{"elicitation":{}}"#))
        var state = try #require(first["result"]?["requestState"]?.stringValue)
        state = (state.hasPrefix("e") ? "f" : "e") + state.dropFirst()
        let answer = #","inputResponses":{"confirm_order":{"action":"accept","content":{"confirm":true}}},"requestState":"\#(state)""#
        let second = try await harness.request(2, "tools/call", orderCall(2, capabilities: #"{"elicitation":{}}"#, extra: answer))
        #expect(second["error"]?["code"] == .int(-32602))
        #expect(harness.recorder.orders.isEmpty)
    }

    @Test func withoutElicitationTheOrderIsRefused() async throws {
        let harness = try MCPHarness()
        let reply = try await harness.request(1, "tools/call", orderCall(1, capabilities: "{}"))
        #expect(reply["result"]?["resultType"] == .string("complete"))
        #expect(reply["result"]?["structuredContent"]?["error"]?["type"] == .string("confirmation_required"))
        #expect(harness.recorder.orders.isEmpty)
    }
}

@Suite struct RequestStateSealerTests {
    @Test func stateOpensOnceForItsOwnCall() {
        let sealer = RequestStateSealer(lifetime: .seconds(60))
        let state = sealer.seal(binding: "a")
        #expect(!sealer.open(state, binding: "b"))
        #expect(sealer.open(state, binding: "a"))
        #expect(!sealer.open(state, binding: "a"))
    }

    @Test func expiredStateIsRejected() {
        let sealer = RequestStateSealer(lifetime: .seconds(60))
        let state = sealer.seal(binding: "a", now: Date(timeIntervalSinceNow: -120))
        #expect(!sealer.open(state, binding: "a"))
    }

    @Test func changedLastCharacterIsRejected() {
        let sealer = RequestStateSealer(lifetime: .seconds(60))
        let state = sealer.seal(binding: "a")
        let changed = String(state.dropLast()) + (state.hasSuffix("A") ? "B" : "A")
        #expect(!sealer.open(changed, binding: "a"))
        #expect(sealer.open(state, binding: "a"))
    }

    @Test func stateFromAnotherKeyIsRejected() {
        let state = RequestStateSealer(lifetime: .seconds(60)).seal(binding: "a")
        #expect(!RequestStateSealer(lifetime: .seconds(60)).open(state, binding: "a"))
        #expect(!RequestStateSealer(lifetime: .seconds(60)).open("not-a-state", binding: "a"))
    }
}
