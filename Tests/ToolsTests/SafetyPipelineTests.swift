import BinanceAPI
import Foundation
import Testing
import TestSupport

@testable import Tools

private func auditRecords(_ home: String) throws -> [JSONValue] {
    try String(contentsOfFile: home + "/audit.jsonl", encoding: .utf8)
        .split(separator: "\n")
        .map { try JSONValue.parse(Data($0.utf8)) }
}

@Suite struct SafetyPipelineTests {
    @Test func mcpCallsAreLimitedInASlidingWindow() async throws {
        let clock = ManualClock()
        let configuration = try SafetyFixtures.configuration(
            ["MCP_MAX_REQUESTS_PER_MINUTE": "3"],
            home: SafetyFixtures.temporaryDirectory()
        )
        let engine = SafetyFixtures.engine(configuration, transport: RecordingTransport(), clock: clock)
        let echo: [String: JSONValue] = ["text": .string("hello")]

        var outcomes: [Bool] = []
        for _ in 0..<3 {
            outcomes.append(await engine.invoke("test_echo", arguments: echo, invocation: SafetyFixtures.invocation(.mcp)).isSuccess)
            clock.advance(by: 10)
        }
        let limited = await engine.invoke("test_echo", arguments: echo, invocation: SafetyFixtures.invocation(.mcp))
        var shellOutcomes: [Bool] = []
        for _ in 0..<20 {
            shellOutcomes.append(await engine.invoke("test_echo", arguments: echo, invocation: SafetyFixtures.invocation(.shell)).isSuccess)
        }
        clock.advance(by: 31)
        let afterWindow = await engine.invoke("test_echo", arguments: echo, invocation: SafetyFixtures.invocation(.mcp))

        #expect(outcomes == [true, true, true])
        #expect(limited.error?["type"] == .string("rate_limit_exceeded"))
        #expect(
            limited.error?["message"]
                == .string("Too many tool calls from the MCP client: at most 3 a minute are allowed. Try again in 30 s.")
        )
        #expect(limited.error?["retry_after_seconds"] == .int(30))
        #expect(shellOutcomes.allSatisfy { $0 })
        #expect(afterWindow.isSuccess)
    }

    @Test func scriptsGetTenTimesTheMCPLimit() async throws {
        let configuration = try SafetyFixtures.configuration(
            ["MCP_MAX_REQUESTS_PER_MINUTE": "2"],
            home: SafetyFixtures.temporaryDirectory()
        )
        let limiter = InvocationRateLimiter(configuration: configuration, clock: ManualClock().function)

        #expect(await limiter.limit(for: .mcp) == 2)
        #expect(await limiter.limit(for: .script) == 20)
        #expect(await limiter.limit(for: .shell) == nil)
    }

    @Test func disabledRateLimitAdmitsEverything() async throws {
        let configuration = try SafetyFixtures.configuration(
            ["MCP_MAX_REQUESTS_PER_MINUTE": "1", "MCP_RATE_LIMIT_ENABLED": "false"],
            home: SafetyFixtures.temporaryDirectory()
        )
        let engine = SafetyFixtures.engine(configuration, transport: RecordingTransport())

        var failures = 0
        for _ in 0..<10 {
            let result = await engine.invoke("test_echo", arguments: ["text": .string("x")], invocation: SafetyFixtures.invocation(.mcp))
            if !result.isSuccess { failures += 1 }
        }

        #expect(failures == 0)
    }

    @Test func slidingWindowReportsTheWait() {
        var limit = SlidingWindowLimit(limit: 2, window: 60)
        let start = Date(timeIntervalSince1970: 0)

        #expect(limit.admit(at: start) == nil)
        #expect(limit.admit(at: start + 20) == nil)
        #expect(limit.admit(at: start + 30) == 30)
        #expect(limit.admit(at: start + 60) == nil)
        #expect(limit.admit(at: start + 60.5) == 19.5)
    }

    @Test func slidingWindowMatchesNaiveCount() {
        // A reference that keeps every admitted time and counts those inside the window on each call.
        var limit = SlidingWindowLimit(limit: 50, window: 10)
        var reference: [Date] = []
        var generator = ReliabilityFuzzer(seed: 7)
        var now = Date(timeIntervalSince1970: 1_000)
        var rejected = 0
        for _ in 0..<5_000 {
            now += Double(generator.below(400)) / 1_000
            let inside = reference.filter { $0 > now - 10 }
            let expected: TimeInterval? =
                inside.count >= 50 ? inside[inside.count - 50].addingTimeInterval(10).timeIntervalSince(now) : nil
            if expected == nil { reference.append(now) } else { rejected += 1 }
            #expect(limit.admit(at: now) == expected)
        }
        // The mean gap of 0.2 s offers about 50 calls per window, so both outcomes occur often.
        #expect(rejected > 100)
        #expect(rejected < 4_000)
    }

    @Test func invocationIDsAreVersion4UUIDs() {
        let ids = (0..<200).map { _ in InvocationScope.randomID() }

        for id in ids {
            #expect(UUID(uuidString: id)?.uuidString == id, "\(id)")
            #expect(Array(id)[14] == "4", "\(id)")
            #expect("89AB".contains(Array(id)[19]), "\(id)")
        }
        #expect(Set(ids).count == ids.count)
    }

    @Test func everyInvocationWritesExactlyOneEvent() async throws {
        let home = SafetyFixtures.temporaryDirectory()
        let configuration = try SafetyFixtures.configuration(["MCP_MAX_REQUESTS_PER_MINUTE": "2"], home: home)
        let engine = SafetyFixtures.engine(configuration, transport: RecordingTransport())
        let mcp = SafetyFixtures.invocation(.mcp, requestID: "rpc-7")

        _ = await engine.invoke("no_such_tool", arguments: [:], invocation: mcp)
        _ = await engine.invoke("test_echo", arguments: ["text": .string("a"), "extra": .bool(true)], invocation: mcp)
        _ = await engine.invoke("test_echo", arguments: ["text": .string("a")], invocation: mcp)
        _ = await engine.invoke("test_echo", arguments: ["text": .string("b")], invocation: mcp)
        _ = await engine.invoke("test_echo", arguments: ["text": .string("c")], invocation: mcp)
        _ = await engine.invoke("test_echo", arguments: ["text": .string("d"), "fail": .bool(true)], invocation: SafetyFixtures.invocation(.script))

        let records = try auditRecords(home)
        #expect(records.map { $0["type"]?.stringValue } == [
            "validation_error", "validation_error", "tool_invocation", "tool_invocation", "rate_limit_exceeded",
            "tool_invocation",
        ])
        #expect(records.map { $0["outcome"]?.stringValue } == ["error", "error", "success", "success", "error", "error"])
        #expect(records[5]["error_type"] == .string("binance_api_error"))
        #expect(records[5]["origin"] == .string("script"))
        #expect(records[2]["request_id"] == .string("rpc-7"))
        #expect(records[2]["arguments"] == .object(["text": .string("a")]))
        #expect(records[2]["venue"] == .string("sim"))
        #expect(records[2]["latency_ms"]?.decimalValue != nil)
        #expect(Set(records.compactMap { $0["invocation_id"]?.stringValue }).count == 6)
        #expect(AuditLog.verify(path: home).isValid)
    }

    @Test func resultsAndAuditAreRedacted() async throws {
        let home = SafetyFixtures.temporaryDirectory()
        let configuration = try SafetyFixtures.configuration(SafetyFixtures.liveEnvironment, home: home)
        let lines = LineCollector()
        let engine = SafetyFixtures.engine(configuration, transport: RecordingTransport(), securityEventSink: lines.append)
        let text = "echo \(SafetyFixtures.canarySecret) and apiKey=\(SafetyFixtures.canaryKey)"

        let success = await engine.invoke("test_echo", arguments: ["text": .string(text)], invocation: SafetyFixtures.invocation(.mcp))
        let failure = await engine.invoke(
            "test_echo",
            arguments: ["text": .string(text), "fail": .bool(true)],
            invocation: SafetyFixtures.invocation(.mcp)
        )

        let outputs = [success.structured.serialized(), failure.structured.serialized()] + lines.lines
            + [try String(contentsOfFile: home + "/audit.jsonl", encoding: .utf8)]
        for output in outputs {
            #expect(!output.contains(SafetyFixtures.canarySecret))
            #expect(!output.contains(SafetyFixtures.canaryKey))
        }
        #expect(success.data?["text"] == .string("echo [REDACTED] and apiKey=[REDACTED]"))
        #expect(lines.lines.count == 2)
    }

    @Test func orderOutcomeClosesItsIntent() async throws {
        let home = SafetyFixtures.temporaryDirectory()
        let transport = RecordingTransport { _ in HTTPResponse(status: 200, body: Data(#"{"status":"FILLED"}"#.utf8)) }
        let engine = SafetyFixtures.engine(try SafetyFixtures.configuration(home: home), transport: transport)

        _ = await engine.invoke(
            "test_order",
            arguments: [
                "symbol": .string("BTCUSDT"), "side": .string("SELL"), "order_type": .string("LIMIT"),
                "quantity": .string("0.5"), "price": .string("60000"), "client_order_id": .string("abc-1"),
            ],
            invocation: SafetyFixtures.invocation()
        )

        let records = try auditRecords(home)
        #expect(records.map { $0["type"]?.stringValue } == ["order_submitted", "tool_invocation"])
        #expect(records[0]["details"]?["intent"]?["notional"] == .string("30000"))
        #expect(records[1]["details"]?["client_order_id"] == .string("abc-1"))
        #expect(records[1]["details"]?["order_status"] == .string("FILLED"))
        #expect(records[0]["invocation_id"] == records[1]["invocation_id"])
        #expect(await engine.services.audit.pendingIntents().isEmpty)
    }

    @Test func startupReportsAnUnfinishedOrderOnce() async throws {
        let home = SafetyFixtures.temporaryDirectory()
        let configuration = try SafetyFixtures.configuration(home: home)
        let engine = SafetyFixtures.engine(configuration, transport: RecordingTransport())
        let intent = OrderIntent(
            symbol: "ETHUSDT",
            side: "BUY",
            type: "MARKET",
            quantity: 1,
            notional: nil,
            quoteAsset: "USDT",
            clientOrderID: "lost-1"
        )
        try await engine.services.audit.record(
            AuditEvent(.orderSubmitted, time: Date(timeIntervalSince1970: 1_800_000_000), invocationID: "x", details: ["intent": intent.json]),
            durable: true
        )
        let preparation = SafetyStartup.Preparation(credentials: nil, warnings: [])

        let first = await SafetyStartup.start(engine: engine, preparation: preparation, origin: .shell)
        let second = await SafetyStartup.start(engine: engine, preparation: preparation, origin: .shell)

        #expect(
            first == [
                "An order was sent at 2027-01-15T08:00:00.000Z but its outcome was not recorded (ETHUSDT, client "
                    + "order id 'lost-1'): check it with 'get_order symbol=ETHUSDT client_order_id=lost-1'."
            ]
        )
        #expect(second.isEmpty)
        let types = try auditRecords(home).compactMap { $0["type"]?.stringValue }
        #expect(types.filter { $0 == "configuration_validated" }.count == 2)
        #expect(types.contains("intent_reported"))
    }

    @Test func startupAuditsCredentialWarnings() async throws {
        let home = SafetyFixtures.temporaryDirectory()
        let engine = SafetyFixtures.engine(try SafetyFixtures.configuration(home: home), transport: RecordingTransport())
        let preparation = SafetyStartup.Preparation(credentials: nil, warnings: ["The .env file '/x/.env' can be read by other users (mode 644): run 'chmod 600 /x/.env'."])

        let warnings = await SafetyStartup.start(engine: engine, preparation: preparation, origin: .mcp)

        #expect(warnings == preparation.warnings)
        let records = try auditRecords(home)
        #expect(records.last?["type"] == .string("credential_warning"))
        #expect(records.last?["error_message"] == .string(preparation.warnings[0]))
    }

    @Test func verifyAuditReportsStatus() async throws {
        let home = SafetyFixtures.temporaryDirectory()
        let engine = SafetyFixtures.engine(try SafetyFixtures.configuration(home: home), transport: RecordingTransport())
        _ = await engine.invoke("test_echo", arguments: ["text": .string("a")], invocation: SafetyFixtures.invocation())

        let intact = SafetyStartup.verifyAudit(path: home)
        chmod(home + "/audit.jsonl", 0o600)
        let text = try String(contentsOfFile: home + "/audit.jsonl", encoding: .utf8)
        try text.replacingOccurrences(of: #""text":"a""#, with: #""text":"b""#).write(toFile: home + "/audit.jsonl", atomically: false, encoding: .utf8)
        let damaged = SafetyStartup.verifyAudit(path: home)

        #expect(intact.status == 0)
        #expect(intact.report.hasPrefix("Audit log intact: 1 records in 1 file(s); last record 1, hash "))
        #expect(damaged.status == 1)
        #expect(damaged.report.hasSuffix("audit.jsonl:1: record 1 was edited: its hash does not match its contents"))
    }

    @Test func verifyAuditMissingPathIsUsageError() {
        let missing = SafetyFixtures.temporaryDirectory() + "/absent"
        let result = SafetyStartup.verifyAudit(path: missing)

        #expect(result.status == 2)
        #expect(result.report == "Audit log not found at '\(missing)': give the BINANCE_SHELL_HOME directory or its audit.jsonl file.")
    }
}
