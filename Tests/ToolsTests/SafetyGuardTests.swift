import BinanceAPI
import Foundation
import Testing
import TestSupport

@testable import Tools

private let limitOrder: [String: JSONValue] = [
    "symbol": .string("BTCUSDT"),
    "side": .string("BUY"),
    "order_type": .string("LIMIT"),
    "quantity": .string("0.01"),
    "price": .string("50000"),
]

private func errorMember(_ result: ToolResult, _ name: String) -> String? {
    result.error?[name]?.stringValue
}

private func liveConfiguration(_ extra: [String: String] = [:], home: String) throws -> Configuration {
    try SafetyFixtures.configuration(SafetyFixtures.liveEnvironment.merging(extra) { _, new in new }, home: home)
}

@Suite struct SafetyGuardTests {
    @Test func liveOrderIsRefusedWithoutAllowTrading() async throws {
        let transport = RecordingTransport()
        let engine = SafetyFixtures.engine(try liveConfiguration(home: SafetyFixtures.temporaryDirectory()), transport: transport)

        let result = await engine.invoke("test_order", arguments: limitOrder, invocation: SafetyFixtures.invocation())

        #expect(errorMember(result, "type") == "trading_disabled")
        #expect(
            errorMember(result, "message")
                == "Trading is disabled on the live venue: 'test_order' would change a real-money account."
        )
        #expect(errorMember(result, "hint") == "Set BINANCE_ALLOW_TRADING=true to enable orders and cancels.")
        #expect(transport.requests.isEmpty)
    }

    @Test func liveCancelIsRefusedWithoutAllowTrading() async throws {
        let transport = RecordingTransport()
        let engine = SafetyFixtures.engine(try liveConfiguration(home: SafetyFixtures.temporaryDirectory()), transport: transport)

        let result = await engine.invoke(
            "test_cancel",
            arguments: ["symbol": .string("BTCUSDT")],
            invocation: SafetyFixtures.invocation()
        )

        #expect(errorMember(result, "type") == "trading_disabled")
        #expect(transport.requests.isEmpty)
    }

    @Test func nonLoopbackCustomVenueIsTreatedAsLive() async throws {
        let transport = RecordingTransport()
        let configuration = try SafetyFixtures.configuration(
            ["BINANCE_BASE_URL": "https://proxy.example.net", "BINANCE_API_KEY": SafetyFixtures.canaryKey],
            home: SafetyFixtures.temporaryDirectory()
        )
        let engine = SafetyFixtures.engine(configuration, transport: transport)

        let result = await engine.invoke("test_order", arguments: limitOrder, invocation: SafetyFixtures.invocation())

        #expect(errorMember(result, "type") == "trading_disabled")
        #expect(errorMember(result, "message")?.contains("the custom venue") == true)
        #expect(transport.requests.isEmpty)
    }

    @Test func simulatorOrderIsSentWithoutConfirmation() async throws {
        let transport = RecordingTransport()
        let confirmer = FixedConfirmer(.declined)
        let engine = SafetyFixtures.engine(
            try SafetyFixtures.configuration(home: SafetyFixtures.temporaryDirectory()),
            transport: transport
        )

        let result = await engine.invoke(
            "test_order",
            arguments: limitOrder,
            invocation: SafetyFixtures.invocation(confirmer: confirmer)
        )

        #expect(result.isSuccess)
        #expect(transport.requests.map(\.path) == ["/api/v3/order"])
        #expect(confirmer.requests.isEmpty)
    }

    @Test(arguments: [
        (
            ["BINANCE_SYMBOL_ALLOWLIST": "ETHUSDT,BNBUSDT"],
            "Symbol 'BTCUSDT' is not in BINANCE_SYMBOL_ALLOWLIST (BNBUSDT, ETHUSDT).",
            "symbol_allowlist"
        ),
        (
            ["BINANCE_ALLOWED_ORDER_TYPES": "MARKET"],
            "Order type 'LIMIT' is not in BINANCE_ALLOWED_ORDER_TYPES (MARKET).",
            "order_type"
        ),
        (
            ["BINANCE_MAX_ORDER_NOTIONAL": "499.99"],
            "Order notional '500' USDT exceeds BINANCE_MAX_ORDER_NOTIONAL '499.99'.",
            "max_order_notional"
        ),
        (
            ["BINANCE_DAILY_NOTIONAL_LIMIT": "400"],
            "Order notional '500' USDT would bring today's total to '500' USDT, over BINANCE_DAILY_NOTIONAL_LIMIT "
                + "'400' (days are UTC).",
            "daily_notional_limit"
        ),
    ])
    func limitRefusesOrderBeforeAnyRequest(environment: [String: String], message: String, rule: String) async throws {
        let transport = RecordingTransport()
        let configuration = try SafetyFixtures.configuration(environment, home: SafetyFixtures.temporaryDirectory())
        let engine = SafetyFixtures.engine(configuration, transport: transport)

        let result = await engine.invoke("test_order", arguments: limitOrder, invocation: SafetyFixtures.invocation())

        #expect(errorMember(result, "type") == "trading_disabled")
        #expect(errorMember(result, "message") == message)
        #expect(errorMember(result, "rule") == rule)
        #expect(transport.requests.isEmpty)
    }

    @Test func marketOrderWithoutNotionalIsRefusedUnderACap() async throws {
        let transport = RecordingTransport()
        let configuration = try SafetyFixtures.configuration(
            ["BINANCE_MAX_ORDER_NOTIONAL": "1000"],
            home: SafetyFixtures.temporaryDirectory()
        )
        let engine = SafetyFixtures.engine(configuration, transport: transport)
        var market = limitOrder
        market["order_type"] = .string("MARKET")
        market["price"] = nil

        let result = await engine.invoke("test_order", arguments: market, invocation: SafetyFixtures.invocation())

        #expect(errorMember(result, "rule") == "notional_unknown")
        #expect(transport.requests.isEmpty)
    }

    @Test func dailyBudgetCountsEarlierOrdersAndSurvivesRestart() async throws {
        let home = SafetyFixtures.temporaryDirectory()
        let transport = RecordingTransport()
        let configuration = try SafetyFixtures.configuration(["BINANCE_DAILY_NOTIONAL_LIMIT": "900"], home: home)
        let clock = ManualClock()

        let first = await SafetyFixtures.engine(configuration, transport: transport, clock: clock)
            .invoke("test_order", arguments: limitOrder, invocation: SafetyFixtures.invocation())
        var second = limitOrder
        second["client_order_id"] = .string("second")
        let refused = await SafetyFixtures.engine(configuration, transport: transport, clock: clock)
            .invoke("test_order", arguments: second, invocation: SafetyFixtures.invocation())

        #expect(first.isSuccess)
        #expect(errorMember(refused, "rule") == "daily_notional_limit")
        #expect(transport.requests.count == 1)
    }

    // MARK: - Confirmation

    @Test func acceptedConfirmationSendsTheOrder() async throws {
        let transport = RecordingTransport()
        let confirmer = FixedConfirmer(.accepted)
        let configuration = try liveConfiguration(["BINANCE_ALLOW_TRADING": "true"], home: SafetyFixtures.temporaryDirectory())
        let engine = SafetyFixtures.engine(configuration, transport: transport)

        let result = await engine.invoke(
            "test_order",
            arguments: limitOrder,
            invocation: SafetyFixtures.invocation(confirmer: confirmer)
        )

        #expect(result.isSuccess)
        #expect(transport.requests.count == 1)
        let request = try #require(confirmer.requests.first)
        #expect(
            request.summary
                == "Venue: live (real money)\nOrder: BUY 0.01 BTCUSDT LIMIT at 50000 (notional 500 USDT)\n"
                + "Client order id: test-order-1"
        )
    }

    @Test func declinedConfirmationSendsNothing() async throws {
        let transport = RecordingTransport()
        let configuration = try liveConfiguration(["BINANCE_ALLOW_TRADING": "true"], home: SafetyFixtures.temporaryDirectory())
        let engine = SafetyFixtures.engine(configuration, transport: transport)

        let result = await engine.invoke(
            "test_order",
            arguments: limitOrder,
            invocation: SafetyFixtures.invocation(confirmer: FixedConfirmer(.declined))
        )

        #expect(errorMember(result, "type") == "confirmation_declined")
        #expect(errorMember(result, "message") == "The order was not placed: the confirmation was declined.")
        #expect(transport.requests.isEmpty)
    }

    @Test func unavailableConfirmationRequiresOne() async throws {
        let transport = RecordingTransport()
        let configuration = try liveConfiguration(["BINANCE_ALLOW_TRADING": "true"], home: SafetyFixtures.temporaryDirectory())
        let engine = SafetyFixtures.engine(configuration, transport: transport)
        let confirmer = FixedConfirmer(.unavailable(reason: "the script was started without --yes."))

        let result = await engine.invoke(
            "test_order",
            arguments: limitOrder,
            invocation: SafetyFixtures.invocation(.script, confirmer: confirmer)
        )

        #expect(errorMember(result, "type") == "confirmation_required")
        #expect(
            errorMember(result, "message")
                == "Orders on the live venue need a human confirmation, and none can be asked here: the script was "
                + "started without --yes."
        )
        #expect(errorMember(result, "hint") == "Run the script with --yes to confirm its orders.")
        #expect(transport.requests.isEmpty)
    }

    @Test func argumentsCannotConfirmAnOrder() async throws {
        let transport = RecordingTransport()
        let configuration = try liveConfiguration(["BINANCE_ALLOW_TRADING": "true"], home: SafetyFixtures.temporaryDirectory())
        let engine = SafetyFixtures.engine(configuration, transport: transport)
        var arguments = limitOrder
        arguments["confirm"] = .bool(true)
        let confirmer = FixedConfirmer(.unavailable(reason: "the MCP client does not support elicitation."))

        let withFlag = await engine.invoke("test_order", arguments: arguments, invocation: SafetyFixtures.invocation(.mcp, confirmer: confirmer))
        let plain = await engine.invoke("test_order", arguments: limitOrder, invocation: SafetyFixtures.invocation(.mcp, confirmer: confirmer))

        #expect(errorMember(withFlag, "type") == "validation_error")
        #expect(errorMember(plain, "type") == "confirmation_required")
        #expect(transport.requests.isEmpty)
    }

    // MARK: - Kill switch

    @Test func haltSurvivesANewEngineUntilResume() async throws {
        let home = SafetyFixtures.temporaryDirectory()
        let transport = RecordingTransport()
        let configuration = try SafetyFixtures.configuration(home: home)
        let first = SafetyFixtures.engine(configuration, transport: transport)
        transport.respond { _ in HTTPResponse(status: 200, body: Data("[]".utf8)) }
        let report = await first.services.tradingGuard.halt(reason: "market is moving too fast")
        let requestsAfterHalt = transport.requests.count

        let second = SafetyFixtures.engine(configuration, transport: transport)
        let refused = await second.invoke("test_order", arguments: limitOrder, invocation: SafetyFixtures.invocation())
        try await second.services.tradingGuard.resume()
        let allowed = await SafetyFixtures.engine(configuration, transport: transport)
            .invoke("test_order", arguments: limitOrder, invocation: SafetyFixtures.invocation())

        #expect(report.isPersisted)
        #expect(SecureFile.mode(ofPath: home + "/halt.json") == nil)
        #expect(errorMember(refused, "type") == "trading_disabled")
        #expect(errorMember(refused, "message") == "Trading is halted ('market is moving too fast'): new orders are refused.")
        #expect(errorMember(refused, "rule") == "halt")
        #expect(transport.requests.count == requestsAfterHalt + 1)
        #expect(allowed.isSuccess)
    }

    @Test func haltFileHasOwnerOnlyMode() async throws {
        let home = SafetyFixtures.temporaryDirectory()
        let engine = SafetyFixtures.engine(try SafetyFixtures.configuration(home: home), transport: RecordingTransport())

        await engine.services.tradingGuard.halt(reason: "test")

        #expect(SecureFile.mode(ofPath: home + "/halt.json") == 0o600)
    }

    @Test func haltCancelsOpenOrdersAndAllowsCancels() async throws {
        let transport = RecordingTransport { request in
            if request.method == .get {
                let body = #"[{"symbol":"ETHUSDT","orderId":1},{"symbol":"BTCUSDT","orderId":2},{"symbol":"ETHUSDT","orderId":3}]"#
                return HTTPResponse(status: 200, body: Data(body.utf8))
            }
            return HTTPResponse(status: 200, body: Data("[]".utf8))
        }
        let engine = SafetyFixtures.engine(
            try SafetyFixtures.configuration(home: SafetyFixtures.temporaryDirectory()),
            transport: transport
        )

        let report = await engine.services.tradingGuard.halt(reason: "stop everything")
        let cancel = await engine.invoke("test_cancel", arguments: ["symbol": .string("BTCUSDT")], invocation: SafetyFixtures.invocation())

        #expect(report.cancellation?.cancelledSymbols == ["BTCUSDT", "ETHUSDT"])
        #expect(
            report.summary
                == "Trading halted ('stop everything'): new orders are refused until 'resume'.\n"
                + "Cancelled the open orders of BTCUSDT, ETHUSDT."
        )
        #expect(report.cancellation?.failures == [])
        let sent = transport.requests.map { "\($0.method.rawValue) \($0.path) \($0.query.hasPrefix("symbol=") ? String($0.query.prefix(14)) : "")" }
        #expect(sent == [
            "GET /api/v3/openOrders ",
            "DELETE /api/v3/openOrders symbol=BTCUSDT",
            "DELETE /api/v3/openOrders symbol=ETHUSDT",
            "DELETE /api/v3/openOrders symbol=BTCUSDT",
        ])
        #expect(cancel.isSuccess)
    }

    // MARK: - Circuit breaker

    @Test func repeatedRejectionsPauseTheSymbol() async throws {
        let transport = RecordingTransport { _ in
            HTTPResponse(
                status: 400,
                body: Data(#"{"code":-2010,"msg":"Account has insufficient balance for requested action."}"#.utf8)
            )
        }
        let clock = ManualClock()
        let engine = SafetyFixtures.engine(
            try SafetyFixtures.configuration(home: SafetyFixtures.temporaryDirectory()),
            transport: transport,
            clock: clock
        )
        var results: [ToolResult] = []
        for _ in 0..<4 {
            results.append(await engine.invoke("test_order", arguments: limitOrder, invocation: SafetyFixtures.invocation()))
        }
        clock.advance(by: 301)
        let afterPause = await engine.invoke("test_order", arguments: limitOrder, invocation: SafetyFixtures.invocation())

        #expect(results[0].error?["code"] == .int(-2010))
        #expect(errorMember(results[1], "hint") == nil)
        #expect(errorMember(results[2], "hint")?.contains("new orders for it are paused") == true)
        #expect(errorMember(results[3], "rule") == "circuit_breaker")
        #expect(
            errorMember(results[3], "message")
                == "New orders for 'BTCUSDT' are paused until 2027-01-15T08:05:00.000Z: Binance rejected 3 identical "
                + "orders (code -2010: Account has insufficient balance for requested action.)."
        )
        #expect(errorMember(afterPause, "type") == "binance_api_error")
        #expect(transport.requests.count == 4)
    }

    @Test func breakerCountsOnlyIdenticalRejections() {
        var breaker = OrderCircuitBreaker()
        let start = Date(timeIntervalSince1970: 0)
        breaker.record(OrderRejection(symbol: "BTCUSDT", code: -2010, message: "A"), at: start)
        breaker.record(OrderRejection(symbol: "BTCUSDT", code: -2010, message: "B"), at: start)
        breaker.record(OrderRejection(symbol: "ETHUSDT", code: -2010, message: "A"), at: start)
        let third = breaker.record(OrderRejection(symbol: "BTCUSDT", code: -2010, message: "A"), at: start + 1)
        let outsideWindow = breaker.record(OrderRejection(symbol: "BTCUSDT", code: -2010, message: "A"), at: start + 700)

        #expect(third == nil)
        #expect(outsideWindow == nil)
        #expect(breaker.pause(for: "BTCUSDT", at: start + 700) == nil)
    }

    // MARK: - Audit of orders

    @Test func intentIsOnDiskBeforeTheOrderIsSent() async throws {
        let home = SafetyFixtures.temporaryDirectory()
        let transport = RecordingTransport { request in
            let log = (try? String(contentsOfFile: home + "/audit.jsonl", encoding: .utf8)) ?? ""
            let hasIntent = log.contains(#""type":"order_submitted""#) && log.contains("test-order-1")
            return HTTPResponse(status: hasIntent ? 200 : 500, body: Data(#"{"status":"NEW"}"#.utf8))
        }
        let engine = SafetyFixtures.engine(try SafetyFixtures.configuration(home: home), transport: transport)

        let result = await engine.invoke("test_order", arguments: limitOrder, invocation: SafetyFixtures.invocation())
        let pending = await engine.services.audit.pendingIntents()

        #expect(result.isSuccess)
        #expect(pending.isEmpty)
    }
}

/// The guard behind the real order tools of the catalogue, on the scripted exchange.
@Suite struct SafetyCatalogueGuardTests {
    private let limitBuy: [String: JSONValue] = [
        "symbol": .string("BTCUSDT"),
        "side": .string("BUY"),
        "order_type": .string("LIMIT"),
        "quantity": .string("0.001"),
        "price": .string("65000"),
    ]

    private func engine(_ environment: [String: String], exchange: ToolsFakeExchange) throws -> ToolEngine {
        var settings = SafetyFixtures.liveEnvironment
        settings["MCP_RATE_LIMIT_ENABLED"] = "false"
        settings.merge(environment) { _, new in new }
        let configuration = try SafetyFixtures.configuration(settings, home: SafetyFixtures.temporaryDirectory())
        return try ToolEngine.make(
            configuration: configuration,
            transport: exchange,
            credentials: try CredentialLoader.load(configuration),
            logger: .disabled
        )
    }

    @Test(arguments: [
        ([:], "trading_disabled"),
        (["BINANCE_ALLOW_TRADING": "true", "BINANCE_MAX_ORDER_NOTIONAL": "50"], "trading_disabled"),
        (["BINANCE_ALLOW_TRADING": "true", "BINANCE_SYMBOL_ALLOWLIST": "ETHUSDT"], "trading_disabled"),
    ])
    func refusedCreateOrderSendsNoOrder(environment: [String: String], errorType: String) async throws {
        let exchange = ToolsFakeExchange()
        let engine = try engine(environment, exchange: exchange)

        let result = await engine.invoke("create_order", arguments: limitBuy, invocation: SafetyFixtures.invocation(.mcp))

        #expect(result.error?["type"] == .string(errorType))
        #expect(await exchange.count(.post, "/api/v3/order") == 0)
    }

    @Test(arguments: [
        (ConfirmationDecision.declined, "confirmation_declined"),
        (ConfirmationDecision.unavailable(reason: "the MCP client does not support elicitation."), "confirmation_required"),
    ])
    func unconfirmedCreateOrderSendsNoOrder(decision: ConfirmationDecision, errorType: String) async throws {
        let exchange = ToolsFakeExchange()
        let engine = try engine(["BINANCE_ALLOW_TRADING": "true"], exchange: exchange)
        let confirmer = FixedConfirmer(decision)

        let result = await engine.invoke(
            "create_order",
            arguments: limitBuy,
            invocation: SafetyFixtures.invocation(.mcp, confirmer: confirmer)
        )

        #expect(result.error?["type"] == .string(errorType))
        #expect(confirmer.requests.count == 1)
        #expect(await exchange.count(.post, "/api/v3/order") == 0)
    }

    @Test func confirmedCreateOrderIsSentOnce() async throws {
        let exchange = ToolsFakeExchange()
        let engine = try engine(["BINANCE_ALLOW_TRADING": "true"], exchange: exchange)
        let confirmer = FixedConfirmer(.accepted)

        let result = await engine.invoke(
            "create_order",
            arguments: limitBuy,
            invocation: SafetyFixtures.invocation(.shell, confirmer: confirmer)
        )

        #expect(result.isSuccess)
        #expect(confirmer.requests.first?.summary.hasPrefix("Venue: live (real money)\nOrder: BUY 0.001 BTCUSDT LIMIT at 65000") == true)
        #expect(await exchange.count(.post, "/api/v3/order") == 1)
    }

    @Test func liveCancelIsRefusedBeforeAnyRequest() async throws {
        let exchange = ToolsFakeExchange()
        let engine = try engine([:], exchange: exchange)

        let result = await engine.invoke(
            "cancel_order",
            arguments: ["symbol": .string("BTCUSDT"), "order_id": .string("1")],
            invocation: SafetyFixtures.invocation(.mcp)
        )

        #expect(result.error?["type"] == .string("trading_disabled"))
        #expect(await exchange.requests.isEmpty)
    }
}
