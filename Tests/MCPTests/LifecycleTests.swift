import Foundation
import MCP
import Testing
import Tools

@Suite struct LifecycleTests {
    @Test(arguments: ["2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25"])
    func initializeKeepsSupportedVersion(_ version: String) async throws {
        let harness = try MCPHarness()
        let reply = try await harness.request(1, "initialize", #"{"protocolVersion":"\#(version)","capabilities":{}}"#)
        #expect(reply["result"]?["protocolVersion"] == .string(version))
    }

    @Test(arguments: ["1999-01-01", "2026-07-28", "draft"])
    func initializeOffersNewestHandshakeVersionForOthers(_ version: String) async throws {
        let harness = try MCPHarness()
        let reply = try await harness.request(1, "initialize", #"{"protocolVersion":"\#(version)","capabilities":{}}"#)
        #expect(reply["result"]?["protocolVersion"] == .string("2025-11-25"))
    }

    @Test func initializeDescribesServer() async throws {
        let harness = try MCPHarness()
        let reply = try await harness.request(1, "initialize", #"{"protocolVersion":"2025-11-25","capabilities":{}}"#)
        let result = try #require(reply["result"])
        #expect(result["serverInfo"]?["name"] == .string("binance-shell"))
        #expect(result["serverInfo"]?["title"] == .string("Binance Shell"))
        #expect(result["serverInfo"]?["version"] == .string("9.9.9-test"))
        #expect(result["capabilities"]?["tools"] != nil)
        #expect(result["capabilities"]?["logging"] == .object([:]))
        #expect(result["capabilities"]?["elicitation"] == nil)
        let instructions = try #require(result["instructions"]?.stringValue)
        #expect(instructions.contains("Venue: sim"))
    }

    @Test func initializeWithoutVersionIsInvalidParams() async throws {
        let harness = try MCPHarness()
        let reply = try await harness.request(1, "initialize", #"{"capabilities":{}}"#)
        #expect(reply["error"]?["code"] == .int(-32602))
    }

    @Test func secondInitializeIsRejected() async throws {
        let harness = try MCPHarness()
        try await harness.initialize()
        let reply = try await harness.request(2, "initialize", #"{"protocolVersion":"2025-11-25","capabilities":{}}"#)
        #expect(reply["error"]?["code"] == .int(-32600))
    }

    @Test(arguments: ["tools/list", "tools/call", "logging/setLevel"])
    func requestsBeforeInitializeAreRefused(_ method: String) async throws {
        let harness = try MCPHarness()
        let reply = try await harness.request(1, method, #"{"name":"echo_price","arguments":{"symbol":"BTCUSDT"}}"#)
        #expect(reply["error"]?["code"] == .int(-32600))
        #expect(reply["result"] == nil)
    }

    @Test func pingWorksBeforeAndAfterInitialize() async throws {
        let harness = try MCPHarness()
        #expect(try await harness.request(1, "ping")["result"] == .object([:]))
        try await harness.initialize()
        #expect(try await harness.request(2, "ping", "null")["result"] == .object([:]))
    }

    @Test(arguments: ["resources/list", "prompts/list", "completion/complete", "no/such"])
    func unknownMethodIsMethodNotFound(_ method: String) async throws {
        let harness = try MCPHarness()
        try await harness.initialize()
        let reply = try await harness.request(3, method)
        #expect(reply["error"]?["code"] == .int(-32601))
    }

    @Test func logLevelMustBeKnown() async throws {
        let harness = try MCPHarness()
        try await harness.initialize()
        #expect(try await harness.request(1, "logging/setLevel", #"{"level":"loud"}"#)["error"]?["code"] == .int(-32602))
        #expect(try await harness.request(2, "logging/setLevel", #"{"level":"debug"}"#)["result"] == .object([:]))
    }

    @Test func logMessagesFollowTheLevel() async throws {
        let harness = try MCPHarness()
        try await harness.initialize()
        try await harness.request(1, "tools/call", #"{"name":"echo_price","arguments":{"symbol":"BTCUSDT"}}"#)
        #expect(!harness.sink.all.contains { $0["method"] == .string("notifications/message") })

        try await harness.request(2, "logging/setLevel", #"{"level":"debug"}"#)
        try await harness.request(3, "tools/call", #"{"name":"echo_price","arguments":{"symbol":"BTCUSDT"}}"#)
        let log = try await harness.sink.waitFor("log message") { $0["method"] == .string("notifications/message") }
        #expect(log["params"]?["level"] == .string("debug"))
        #expect(log["params"]?["data"]?["tool"] == .string("echo_price"))
    }

    @Test func batchesWorkOnlyOn20250326() async throws {
        let harness = try MCPHarness()
        try await harness.initialize(version: "2025-03-26")
        await harness.send(
            #"[{"jsonrpc":"2.0","id":1,"method":"ping"},{"jsonrpc":"2.0","method":"notifications/x"},{"jsonrpc":"2.0","id":2,"method":"nope"}]"#
        )
        let reply = try await harness.sink.waitFor("batch reply") { $0.arrayValue != nil }
        let elements = try #require(reply.arrayValue)
        #expect(elements.count == 2)
        #expect(elements.first { $0["id"] == .int(1) }?["result"] == .object([:]))
        #expect(elements.first { $0["id"] == .int(2) }?["error"]?["code"] == .int(-32601))
    }

    @Test func batchOnLaterRevisionIsInvalidRequest() async throws {
        let harness = try MCPHarness()
        try await harness.initialize(version: "2025-06-18")
        await harness.send(#"[{"jsonrpc":"2.0","id":1,"method":"ping"}]"#)
        let reply = try await harness.sink.waitFor("error") { $0["error"] != nil }
        #expect(reply["error"]?["code"] == .int(-32600))
        #expect(reply["id"] == .null)
    }

    @Test func shutdownCancelsRunningCallsWithoutReply() async throws {
        let harness = try MCPHarness()
        try await harness.initialize()
        await harness.send(#"{"jsonrpc":"2.0","id":8,"method":"tools/call","params":{"name":"slow_wait"}}"#)
        await harness.server.shutDown()
        #expect(await harness.server.isShuttingDown)
        await harness.send(#"{"jsonrpc":"2.0","id":9,"method":"ping"}"#)
        try await Task.sleep(for: .milliseconds(100))
        #expect(!harness.sink.all.contains { $0["id"] == .int(8) || $0["id"] == .int(9) })
    }

    @Test func endOfInputCancelsStateChangingCallWithReply() async throws {
        let harness = try MCPHarness()
        let (stream, continuation) = AsyncStream.makeStream(of: InputLine.self)
        continuation.yield(.line(Data(#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25"}}"#.utf8)))
        continuation.yield(.line(Data(#"{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"slow_wait"}}"#.utf8)))
        continuation.finish()
        await harness.server.serve(stream)
        // slow_wait answers `cancelled` only when its task was cancelled.
        #expect(harness.sink.all.map { $0["id"] } == [.int(1), .int(2)])
        let reply = try await harness.sink.response(id: .int(2))
        #expect(reply["result"]?["isError"] == .bool(true))
        #expect(reply["result"]?["structuredContent"]?["error"]?["type"] == .string("cancelled"))
    }

    @Test func endOfInputKeepsClientCancellationSilent() async throws {
        let harness = try MCPHarness()
        let (stream, continuation) = AsyncStream.makeStream(of: InputLine.self)
        let serving = Task { await harness.server.serve(stream) }
        continuation.yield(.line(Data(#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25"}}"#.utf8)))
        continuation.yield(.line(Data(#"{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"send_regardless"}}"#.utf8)))
        continuation.yield(.line(Data(#"{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":2}}"#.utf8)))
        continuation.yield(.line(Data(#"{"jsonrpc":"2.0","id":3,"method":"ping"}"#.utf8)))
        continuation.finish()
        await serving.value
        // The cancelled call ran to its end (send_regardless ignores cancellation) but its reply stays suppressed.
        #expect(harness.recorder.orders == ["SENT"])
        #expect(harness.sink.all.compactMap { $0["id"] } == [.int(1), .int(3)])
    }

    @Test func endOfInputReportsChangeAlreadyMade() async throws {
        let harness = try MCPHarness()
        let (stream, continuation) = AsyncStream.makeStream(of: InputLine.self)
        continuation.yield(.line(Data(#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25"}}"#.utf8)))
        continuation.yield(.line(Data(#"{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"send_regardless"}}"#.utf8)))
        continuation.finish()
        await harness.server.serve(stream)
        // Cancelled at end of input, the call still completed: its reply tells the truth, success.
        #expect(harness.recorder.orders == ["SENT"])
        let reply = try await harness.sink.response(id: .int(2))
        #expect(reply["result"]?["isError"] == .bool(false))
    }

    @Test func burstThenEndOfInputAnswersEveryCall() async throws {
        let harness = try MCPHarness(environment: ["MCP_MAX_REQUESTS_PER_MINUTE": "100000"])
        let (stream, continuation) = AsyncStream.makeStream(of: InputLine.self)
        continuation.yield(.line(Data(#"{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25"}}"#.utf8)))
        for id in 1...200 {
            let call = id % 2 == 0
                ? #"{"name":"report_progress"}"#
                : #"{"name":"echo_price","arguments":{"symbol":"BTCUSDT"}}"#
            continuation.yield(.line(Data(#"{"jsonrpc":"2.0","id":\#(id),"method":"tools/call","params":\#(call)}"#.utf8)))
        }
        continuation.finish()
        await harness.server.serve(stream)
        let ids = Set(harness.sink.all.compactMap { $0["id"]?.decimalValue })
        let expected = Set((0...200).map { Decimal($0) })
        #expect(ids == expected, "missing replies: \(expected.subtracting(ids).sorted())")
        let errors = harness.sink.all.filter { $0["result"]?["isError"] == .bool(true) }
        #expect(errors.isEmpty, "\(errors.count) errors, such as \(errors.first?.serialized() ?? "")")
    }

    @Test func endOfInputDrainsReadOnlyCalls() async throws {
        let harness = try MCPHarness()
        let (stream, continuation) = AsyncStream.makeStream(of: InputLine.self)
        continuation.yield(.line(Data(#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25"}}"#.utf8)))
        continuation.yield(.line(Data(#"{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"report_progress"}}"#.utf8)))
        continuation.finish()
        await harness.server.serve(stream)
        #expect(harness.sink.all.map { $0["id"] } == [.int(1), .int(2)])
    }

    @Test func endOfInputWithdrawsPendingConfirmation() async throws {
        let harness = try MCPHarness()
        let (stream, continuation) = AsyncStream.makeStream(of: InputLine.self)
        let initialize = #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{"elicitation":{}}}}"#
        continuation.yield(.line(Data(initialize.utf8)))
        continuation.yield(.line(Data(
            #"{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"place_fake_order","arguments":{"symbol":"BTCUSDT"}}}"#.utf8
        )))
        let serving = Task { await harness.server.serve(stream) }
        _ = try await harness.sink.waitFor("elicitation") { $0["method"] == .string("elicitation/create") }
        continuation.finish()
        await serving.value
        #expect(harness.recorder.orders.isEmpty)
        // The withdrawn confirmation still answers the call, and the answer places nothing.
        let reply = try await harness.sink.response(id: .int(2))
        #expect(reply["result"]?["isError"] == .bool(true), "\(reply.serialized())")
    }

    @Test func terminationCancelsReadOnlyCallsToo() async throws {
        let harness = try MCPHarness()
        let (stream, continuation) = AsyncStream.makeStream(of: InputLine.self)
        continuation.yield(.line(Data(#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25"}}"#.utf8)))
        continuation.yield(.line(Data(#"{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"report_progress"}}"#.utf8)))
        await harness.server.beginTermination()
        continuation.finish()
        await harness.server.serve(stream)
        #expect(harness.sink.all.map { $0["id"] } == [.int(1)])
    }
}

@Suite struct SessionStateTests {
    @Test func admissionFollowsThePhase() throws {
        var state = SessionState()
        #expect(state.admissionError(for: "ping") == nil)
        #expect(state.admissionError(for: "initialize") == nil)
        #expect(state.admissionError(for: "tools/list")?.code == -32600)
        #expect(state.admissionError(for: "unknown")?.code == -32601)

        _ = try state.initialize(params: ["protocolVersion": .string("2025-06-18")])
        #expect(state.revision == "2025-06-18")
        #expect(state.admissionError(for: "tools/list") == nil)
        #expect(state.admissionError(for: "initialize")?.code == -32600)
    }

    @Test func elicitationCapabilityIsRead() throws {
        var state = SessionState()
        _ = try state.initialize(params: [
            "protocolVersion": .string("2025-11-25"),
            "capabilities": .object(["elicitation": .object([:])]),
        ])
        #expect(state.canElicit)

        var urlOnly = SessionState()
        _ = try urlOnly.initialize(params: [
            "protocolVersion": .string("2025-11-25"),
            "capabilities": .object(["elicitation": .object(["url": .object([:])])]),
        ])
        #expect(!urlOnly.canElicit)
    }
}
