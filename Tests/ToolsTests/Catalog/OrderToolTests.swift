import BinanceAPI
import Foundation
import Testing
import TestSupport
@testable import Tools

/// The order tools on the scripted exchange: what they send, what they refuse to send, and how they report
/// rejections and unknown outcomes.
struct OrderToolTests {
    private func call(
        _ engine: ToolEngine,
        _ tool: String,
        _ arguments: [String: String],
        origin: Origin = .script
    ) async -> ToolResult {
        await engine.invoke(tool, arguments: ToolsTestEngine.shellArguments(arguments),
                            invocation: ToolsTestEngine.invocation(origin))
    }

    private let limitBuy = ["symbol": "BTCUSDT", "side": "BUY", "order_type": "LIMIT", "quantity": "0.001", "price": "65000"]

    @Test func limitOrderSendsGoodTillCanceled() async throws {
        let exchange = ToolsFakeExchange()
        let engine = try ToolsTestEngine.make(transport: exchange)
        let result = await call(engine, "create_order", limitBuy)
        #expect(result.isSuccess)
        let sent = try #require(await exchange.parameters(sentTo: "/api/v3/order", method: .post).first)
        #expect(sent["timeInForce"] == "GTC")
        #expect(sent["type"] == "LIMIT")
        #expect(sent["quantity"] == "0.001")
        #expect(sent["price"] == "65000")
        #expect(sent["newOrderRespType"] == "FULL")
        #expect(sent["signature"] != nil)
    }

    @Test func generatedClientOrderIDNamesTheWayIn() async throws {
        let exchange = ToolsFakeExchange()
        let engine = try ToolsTestEngine.make(transport: exchange)
        _ = await call(engine, "create_order", limitBuy, origin: .mcp)
        _ = await call(engine, "create_order", limitBuy, origin: .shell)
        let sent = await exchange.parameters(sentTo: "/api/v3/order", method: .post).compactMap { $0["newClientOrderId"] }
        #expect(sent.count == 2)
        #expect(sent[0].hasPrefix("bsm-"))
        #expect(sent[1].hasPrefix("bsh-"))
        #expect(sent.allSatisfy { $0.count == 24 })
        #expect(sent[0] != sent[1])
    }

    @Test func marketOrderSendsNoTimeInForce() async throws {
        let exchange = ToolsFakeExchange()
        let engine = try ToolsTestEngine.make(transport: exchange)
        let result = await call(engine, "create_order", ["symbol": "BTCUSDT", "side": "SELL", "order_type": "MARKET",
                                                         "quantity": "0.01"])
        #expect(result.isSuccess)
        let sent = try #require(await exchange.parameters(sentTo: "/api/v3/order", method: .post).first)
        #expect(sent["timeInForce"] == nil)
        #expect(sent["price"] == nil)
        #expect(result.data?["status"] == "FILLED")
    }

    @Test func stopLimitOrderSendsStopPrice() async throws {
        let exchange = ToolsFakeExchange()
        let engine = try ToolsTestEngine.make(transport: exchange)
        let result = await call(engine, "create_order", [
            "symbol": "BTCUSDT", "side": "SELL", "order_type": "STOP_LOSS_LIMIT", "quantity": "0.01",
            "price": "60000", "stop_price": "60100.5", "time_in_force": "ioc",
        ])
        #expect(result.isSuccess)
        let sent = try #require(await exchange.parameters(sentTo: "/api/v3/order", method: .post).first)
        #expect(sent["stopPrice"] == "60100.5")
        #expect(sent["timeInForce"] == "IOC")
    }

    @Test func previewPlacesNothing() async throws {
        let exchange = ToolsFakeExchange()
        let engine = try ToolsTestEngine.make(transport: exchange)
        let result = await call(engine, "preview_order", limitBuy)
        #expect(result.isSuccess)
        #expect(await exchange.count(.post, "/api/v3/order") == 0)
        #expect(await exchange.count(.post, "/api/v3/order/test") == 1)
        let data = try #require(result.data)
        #expect(data["placesOrder"] == false)
        #expect(data["notional"] == "65")
        #expect(data["commission"] == ["rate": "0.001", "amount": "0.000001", "asset": "BTC"])
        #expect(data["balance"] == ["asset": "USDT", "free": "10000", "sharePercent": "0.65"])
        #expect(data["exchangeVerdict"] == ["accepted": true])
    }

    @Test func previewReportsExchangeRejection() async throws {
        let exchange = ToolsFakeExchange()
        await exchange.respond(.post, "/api/v3/order/test", status: 400,
                               json: #"{"code":-2010,"msg":"Account has insufficient balance for requested action."}"#)
        let engine = try ToolsTestEngine.make(transport: exchange)
        let result = await call(engine, "preview_order", limitBuy)
        #expect(result.isSuccess)
        #expect(result.data?["exchangeVerdict"] == [
            "accepted": false, "code": -2010, "message": "Account has insufficient balance for requested action.",
        ])
    }

    @Test func offStepQuantityIsNotSent() async throws {
        let exchange = ToolsFakeExchange()
        let engine = try ToolsTestEngine.make(transport: exchange)
        var arguments = limitBuy
        arguments["quantity"] = "0.0012345"
        let result = await call(engine, "create_order", arguments)
        #expect(result.error?["type"] == "filter_violation")
        #expect(result.error?["message"] == "Invalid quantity '0.0012345' for BTCUSDT: not a multiple of the step size 0.00001; the nearest valid quantities are 0.00123 and 0.00124.")
        #expect(result.error?["nearest"] == ["0.00123", "0.00124"])
        #expect(await exchange.count(.post, "/api/v3/order") == 0)
    }

    @Test func roundDownShowsBothValues() async throws {
        let exchange = ToolsFakeExchange()
        let engine = try ToolsTestEngine.make(transport: exchange)
        var arguments = limitBuy
        arguments["quantity"] = "0.0012345"
        arguments["round"] = "down"
        let result = await call(engine, "create_order", arguments)
        #expect(result.isSuccess)
        #expect(result.data?["adjustments"] == [[
            "parameter": "quantity", "requested": "0.0012345", "adjusted": "0.00123",
            "reason": "rounded down to the step size 0.00001",
        ]])
        #expect(await exchange.parameters(sentTo: "/api/v3/order", method: .post).first?["quantity"] == "0.00123")
    }

    @Test func sellAllUsesTheFreeBalance() async throws {
        let exchange = ToolsFakeExchange()
        let engine = try ToolsTestEngine.make(transport: exchange)
        let result = await call(engine, "create_order", ["symbol": "BTCUSDT", "side": "SELL", "order_type": "MARKET",
                                                         "quantity": "all"])
        #expect(result.isSuccess)
        #expect(await exchange.parameters(sentTo: "/api/v3/order", method: .post).first?["quantity"] == "0.1")
    }

    @Test func filterRejectionRefreshesExchangeInfo() async throws {
        let exchange = ToolsFakeExchange()
        await exchange.respond(.post, "/api/v3/order", status: 400, json: #"{"code":-1013,"msg":"Filter failure: LOT_SIZE"}"#)
        let engine = try ToolsTestEngine.make(transport: exchange)
        let first = await call(engine, "create_order", limitBuy)
        #expect(first.error?["type"] == "binance_api_error")
        #expect(first.error?["code"] == -1013)
        #expect(first.error?["message"] == "Binance rejected the request with code -1013: Filter failure: LOT_SIZE")
        #expect(first.error?["hint"] == "The order breaks one of the symbol's filters; get_symbol_info shows them.")
        _ = await call(engine, "preview_order", limitBuy)
        #expect(await exchange.count(.get, "/api/v3/exchangeInfo") == 2)
    }

    @Test func cachedRulesServeLaterOrders() async throws {
        let exchange = ToolsFakeExchange()
        let engine = try ToolsTestEngine.make(transport: exchange)
        _ = await call(engine, "preview_order", limitBuy)
        _ = await call(engine, "create_order", limitBuy)
        #expect(await exchange.count(.get, "/api/v3/exchangeInfo") == 1)
    }

    @Test func unknownOutcomeIsReconciledByClientOrderID() async throws {
        let exchange = ToolsFakeExchange()
        await exchange.fail(.post, "/api/v3/order", with: .outcomeUnknown("timed out"))
        let engine = try ToolsTestEngine.make(transport: exchange)
        var arguments = limitBuy
        arguments["client_order_id"] = "mine-1"
        let result = await call(engine, "create_order", arguments)
        #expect(result.isSuccess)
        #expect(result.data?["placed"]?["clientOrderId"] == "myOrder1")
        #expect(await exchange.count(.post, "/api/v3/order") == 1)
        #expect(await exchange.parameters(sentTo: "/api/v3/order", method: .get).first?["origClientOrderId"] == "mine-1")
    }

    @Test func unresolvedOutcomeReportsClientOrderID() async throws {
        let exchange = ToolsFakeExchange()
        await exchange.fail(.post, "/api/v3/order", with: .outcomeUnknown("connection lost"))
        await exchange.respond(.get, "/api/v3/order", status: 400, json: #"{"code":-2013,"msg":"Order does not exist."}"#)
        let engine = try ToolsTestEngine.make(transport: exchange)
        var arguments = limitBuy
        arguments["client_order_id"] = "mine-2"
        let result = await call(engine, "create_order", arguments)
        #expect(result.error?["type"] == "order_status_unknown")
        #expect(result.error?["message"] == "The outcome of order 'mine-2' on BTCUSDT is unknown: POST /api/v3/order: connection lost The exchange does not know the order yet.")
        #expect(result.error?["hint"] == "Check it with get_order symbol=BTCUSDT client_order_id=mine-2 before placing it again.")
        #expect(result.error?["client_order_id"] == "mine-2")
        #expect(await exchange.count(.post, "/api/v3/order") == 1)
    }

    @Test func rateLimitReportsTheWait() async throws {
        let exchange = ToolsFakeExchange()
        await exchange.route(.post, "/api/v3/order") { _ in
            HTTPResponse(status: 429, headers: ["Retry-After": "7"],
                         body: Data(#"{"code":-1015,"msg":"Too many new orders."}"#.utf8))
        }
        let engine = try ToolsTestEngine.make(transport: exchange)
        let result = await call(engine, "create_order", limitBuy)
        #expect(result.error?["type"] == "rate_limit_exceeded")
        #expect(result.error?["retry_after_seconds"] == 7)
        #expect(result.error?["message"] == "Rate limit reached: Binance error -1015: Too many new orders. Retry after 7 seconds.")
    }

    @Test func transportFailureIsNetworkError() async throws {
        let exchange = ToolsFakeExchange()
        await exchange.fail(.get, "/api/v3/ticker/price", with: .notSent("connection refused"))
        let engine = try ToolsTestEngine.make(transport: exchange)
        let result = await call(engine, "get_ticker_price", ["symbol": "BTCUSDT"])
        #expect(result.error?["type"] == "network_error")
        #expect(result.error?["message"] == "The request was not sent: GET /api/v3/ticker/price: connection refused")
    }

    @Test func unknownSymbolIsNamed() async throws {
        let engine = try ToolsTestEngine.make(transport: ToolsFakeExchange())
        var arguments = limitBuy
        arguments["symbol"] = "NOPEUSDT"
        let result = await call(engine, "create_order", arguments)
        #expect(result.error?["message"] == "Unknown symbol 'NOPEUSDT': it is not listed on spot.")
    }

    @Test func cancelOfFilledOrderShowsFinalState() async throws {
        let exchange = ToolsFakeExchange()
        await exchange.respond(.delete, "/api/v3/order", status: 400, json: #"{"code":-2011,"msg":"Unknown order sent."}"#)
        await exchange.respond(.get, "/api/v3/order", json: String(
            decoding: ToolsFakeExchange.fixture("order_query.json"), as: UTF8.self
        ).replacingOccurrences(of: "\"NEW\"", with: "\"FILLED\""))
        let engine = try ToolsTestEngine.make(transport: exchange)
        let result = await call(engine, "cancel_order", ["symbol": "LTCBTC", "order_id": "1"])
        #expect(result.isSuccess)
        #expect(result.data?["canceled"] == false)
        #expect(result.data?["status"] == "FILLED")
        #expect(result.data?["order"]?["orderId"] == 1)
    }

    @Test func cancelByClientOrderIDShowsFinalState() async throws {
        let exchange = ToolsFakeExchange()
        let engine = try ToolsTestEngine.make(transport: exchange)
        let result = await call(engine, "cancel_order", ["symbol": "LTCBTC", "client_order_id": "myOrder1"])
        #expect(result.data?["status"] == "CANCELED")
        #expect(await exchange.parameters(sentTo: "/api/v3/order", method: .delete).first?["origClientOrderId"] == "myOrder1")
    }

    @Test(arguments: ["cancel_order", "get_order"])
    func orderReferenceIsRequired(_ tool: String) async throws {
        let engine = try ToolsTestEngine.make(transport: ToolsFakeExchange())
        let result = await call(engine, tool, ["symbol": "LTCBTC"])
        #expect(result.error?["message"] == .string("Missing order reference for \(tool): give order_id or client_order_id."))
    }

    @Test func cancelOpenOrdersWithNoneOpenSendsNothing() async throws {
        let exchange = ToolsFakeExchange()
        await exchange.respond(.get, "/api/v3/openOrders", json: "[]")
        let engine = try ToolsTestEngine.make(transport: exchange)
        let result = await call(engine, "cancel_open_orders", ["symbol": "LTCBTC"])
        #expect(result.data?["count"] == 0)
        #expect(await exchange.count(.delete, "/api/v3/openOrders") == 0)
    }

    @Test func liveVenueWithoutTradingSendsNothing() async throws {
        let exchange = ToolsFakeExchange()
        let engine = try ToolsTestEngine.make(transport: exchange, environment: [
            "BINANCE_API_KEY": "key", "BINANCE_API_SECRET": "secret",
        ])
        let result = await call(engine, "create_order", limitBuy)
        #expect(result.error?["type"] == "trading_disabled")
        #expect(await exchange.count(.post, "/api/v3/order") == 0)
    }
}
