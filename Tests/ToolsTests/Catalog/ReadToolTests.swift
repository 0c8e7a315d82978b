import BinanceAPI
import Foundation
import Testing
import TestSupport
@testable import Tools

/// The read tools on the scripted exchange: the parameters they send and how they keep results small.
struct ReadToolTests {
    private func call(_ engine: ToolEngine, _ tool: String, _ arguments: [String: String]) async -> ToolResult {
        await engine.invoke(tool, arguments: ToolsTestEngine.shellArguments(arguments),
                            invocation: ToolsTestEngine.invocation(.script))
    }

    @Test func timeRangesReachBinanceInMilliseconds() async throws {
        let exchange = ToolsFakeExchange()
        let engine = try ToolsTestEngine.make(transport: exchange)
        let result = await call(engine, "get_orders", [
            "symbol": "LTCBTC", "start_time": "2024-01-01T00:00:00Z", "end_time": "2024-01-01T12:00:00Z", "limit": "20",
        ])
        #expect(result.isSuccess)
        let sent = try #require(await exchange.parameters(sentTo: "/api/v3/allOrders").first)
        #expect(sent["startTime"] == "1704067200000")
        #expect(sent["endTime"] == "1704110400000")
        #expect(sent["limit"] == "20")
        #expect(sent["start_time"] == nil)
    }

    @Test func klinesSendIntervalAndRange() async throws {
        let exchange = ToolsFakeExchange()
        let engine = try ToolsTestEngine.make(transport: exchange)
        _ = await call(engine, "get_klines", ["symbol": "BTCUSDT", "interval": "1M", "start_time": "1700000000000"])
        let sent = try #require(await exchange.parameters(sentTo: "/api/v3/klines").first)
        #expect(sent["interval"] == "1M")
        #expect(sent["startTime"] == "1700000000000")
        #expect(sent["limit"] == "100")
    }

    @Test func orderHistoryRangeIsAtMostOneDay() async throws {
        let exchange = ToolsFakeExchange()
        let engine = try ToolsTestEngine.make(transport: exchange)
        let result = await call(engine, "get_orders", [
            "symbol": "LTCBTC", "start_time": "2024-01-01", "end_time": "2024-01-03",
        ])
        #expect(result.error?["message"] == "Invalid time range for get_orders: end_time is more than 24 hours after start_time.")
        #expect(await exchange.count(.get, "/api/v3/allOrders") == 0)
    }

    @Test func depositHistoryRangeIsAtMostNinetyDays() async throws {
        let engine = try ToolsTestEngine.make(transport: ToolsFakeExchange())
        let result = await call(engine, "get_deposit_history", [
            "coin": "BTC", "start_time": "2024-01-01", "end_time": "2024-06-01",
        ])
        #expect(result.error?["message"] == "Invalid time range for get_deposit_history: end_time is more than 90 days after start_time.")
    }

    @Test func availableAssetsArePaged() async throws {
        let engine = try ToolsTestEngine.make(transport: ToolsFakeExchange())
        let first = await call(engine, "get_available_assets", ["quote_asset": "USDT", "limit": "2"])
        #expect(first.data?["total"] == 5)
        #expect(first.data?["returned"] == 2)
        #expect(first.data?["hasMore"] == true)
        #expect(first.data?["nextOffset"] == 2)
        let last = await call(engine, "get_available_assets", ["quote_asset": "USDT", "limit": "2", "offset": "4"])
        #expect(last.data?["returned"] == 1)
        #expect(last.data?["hasMore"] == false)
        #expect(last.data?["nextOffset"] == nil)
        let names = (first.data?["symbols"]?.arrayValue ?? []) + (last.data?["symbols"]?.arrayValue ?? [])
        #expect(names.compactMap { $0["quoteAsset"]?.stringValue }.allSatisfy { $0 == "USDT" })
    }

    @Test func openOrdersArePagedOldestFirst() async throws {
        let exchange = ToolsFakeExchange()
        // Five open orders, listed newest first as a server may send them.
        let orders = (1...5).reversed().map { id in
            #"{"symbol":"BTCUSDT","orderId":\#(id),"orderListId":-1,"clientOrderId":"o\#(id)","price":"60000.00000000","#
                + #""origQty":"0.00100000","executedQty":"0.00000000","cummulativeQuoteQty":"0.00000000","status":"NEW","#
                + #""timeInForce":"GTC","type":"LIMIT","side":"BUY","stopPrice":"0.00000000","icebergQty":"0.00000000","#
                + #""time":1700000000000,"updateTime":1700000000000,"isWorking":true,"workingTime":1700000000000,"#
                + #""origQuoteOrderQty":"0.00000000","selfTradePreventionMode":"NONE"}"#
        }
        await exchange.respond(.get, "/api/v3/openOrders", json: "[" + orders.joined(separator: ",") + "]")
        let engine = try ToolsTestEngine.make(transport: exchange)

        let first = await call(engine, "get_open_orders", ["symbol": "BTCUSDT", "limit": "2"])
        #expect(first.data?["total"] == 5)
        #expect(first.data?["returned"] == 2)
        #expect(first.data?["hasMore"] == true)
        #expect(first.data?["nextOffset"] == 2)
        #expect(first.data?["orders"]?.arrayValue?.compactMap { $0["orderId"] } == [1, 2])
        let last = await call(engine, "get_open_orders", ["symbol": "BTCUSDT", "limit": "2", "offset": "4"])
        #expect(last.data?["orders"]?.arrayValue?.compactMap { $0["orderId"] } == [5])
        #expect(last.data?["hasMore"] == false)
        #expect(last.data?["nextOffset"] == nil)
        let beyond = await call(engine, "get_open_orders", ["symbol": "BTCUSDT", "offset": "9"])
        #expect(beyond.data?["returned"] == 0)
        #expect(beyond.data?["offset"] == 5)
        // Placeholder values Binance sends for orders without them are left out.
        let order = try #require(first.data?["orders"]?.arrayValue?.first)
        #expect(order["stopPrice"] == nil)
        #expect(order["icebergQty"] == nil)
        #expect(order["selfTradePreventionMode"] == nil)
        let tool = try #require(engine.tool(named: "get_open_orders"))
        #expect(ToolsSchemaChecker.violations(of: try #require(first.data), against: tool.dataSchema) == [])
    }

    @Test func availableAssetsSearchByName() async throws {
        let engine = try ToolsTestEngine.make(transport: ToolsFakeExchange())
        let result = await call(engine, "get_available_assets", ["search": "inch"])
        #expect(result.data?["symbols"] == [["symbol": "1INCHUSDT", "status": "TRADING", "baseAsset": "1INCH", "quoteAsset": "USDT"]])
    }

    @Test func balanceOmitsZeroUnlessAsked() async throws {
        let engine = try ToolsTestEngine.make(transport: ToolsFakeExchange())
        let plain = await call(engine, "get_balance", [:])
        #expect(plain.data?["balances"]?.arrayValue?.compactMap { $0["asset"]?.stringValue } == ["BTC", "USDT"])
        let all = await call(engine, "get_balance", ["include_zero": "yes"])
        #expect(all.data?["balances"]?.arrayValue?.count == 3)
        let one = await call(engine, "get_balance", ["asset": "xrp"])
        #expect(one.data?["balances"] == [["asset": "XRP", "free": "0", "locked": "0", "total": "0"]])
        let usdt = await call(engine, "get_balance", ["asset": "USDT"])
        #expect(usdt.data?["balances"] == [["asset": "USDT", "free": "10000", "locked": "250", "total": "10250"]])
    }

    @Test func positionsWithoutSizeAreHidden() async throws {
        let exchange = ToolsFakeExchange()
        await exchange.respond(.get, "/fapi/v3/positionRisk", json: """
            [{"symbol":"BTCUSDT","positionSide":"BOTH","positionAmt":"0.000","entryPrice":"0.0","markPrice":"65000",
              "unRealizedProfit":"0","liquidationPrice":"0"},
             {"symbol":"ETHUSDT","positionSide":"BOTH","positionAmt":"-1.5","entryPrice":"3000","markPrice":"2990",
              "unRealizedProfit":"15","liquidationPrice":"4100"}]
            """)
        let engine = try ToolsTestEngine.make(transport: exchange)
        let open = await call(engine, "get_position_info", [:])
        #expect(open.data?["positions"]?.arrayValue?.compactMap { $0["symbol"]?.stringValue } == ["ETHUSDT"])
        let all = await call(engine, "get_position_info", ["include_empty": "true"])
        #expect(all.data?["positions"]?.arrayValue?.count == 2)
    }

    @Test func pnlSumsRealizedProfitPerAsset() async throws {
        let exchange = ToolsFakeExchange()
        await exchange.respond(.get, "/fapi/v1/income", json: """
            [{"symbol":"BTCUSDT","incomeType":"REALIZED_PNL","income":"0.1","asset":"USDT","time":1700000000000,"tradeId":"1"},
             {"symbol":"ETHUSDT","incomeType":"REALIZED_PNL","income":"0.2","asset":"USDT","time":1700000001000,"tradeId":"2"},
             {"symbol":"BTCUSDT","incomeType":"REALIZED_PNL","income":"-0.05","asset":"BNFCR","time":1700000002000,"tradeId":3}]
            """)
        let engine = try ToolsTestEngine.make(transport: exchange)
        let result = await call(engine, "get_pnl", [:])
        #expect(result.data?["realizedProfit"] == [["asset": "BNFCR", "amount": "-0.05"], ["asset": "USDT", "amount": "0.3"]])
        #expect(await exchange.parameters(sentTo: "/fapi/v1/income").first?["incomeType"] == "REALIZED_PNL")
    }

    @Test func testnetSettingSelectsTheTestnet() async throws {
        let exchange = ToolsFakeExchange()
        let engine = try ToolsTestEngine.make(transport: exchange, environment: [
            "BINANCE_API_KEY": "key", "BINANCE_API_SECRET": "secret", "BINANCE_TESTNET": "true",
        ])
        _ = await call(engine, "get_ticker_price", ["symbol": "BTCUSDT"])
        _ = await call(engine, "get_funding_rate", ["symbol": "BTCUSDT"])
        // The client reads the spot limits with exchangeInfo before its first spot request on a network venue.
        let targets = await exchange.requests.map { $0.baseURL + $0.path }
        #expect(
            targets == [
                "https://testnet.binance.vision/api/v3/exchangeInfo",
                "https://testnet.binance.vision/api/v3/ticker/price",
                "https://testnet.binancefuture.com/fapi/v1/premiumIndex",
            ]
        )
        let status = await call(engine, "get_status", [:])
        #expect(status.data?["venue"] == "testnet")
    }

    @Test func statusReportsNoTradingWhileHalted() async throws {
        let engine = try ToolsTestEngine.make(transport: ToolsFakeExchange())
        let before = await call(engine, "get_status", [:])
        _ = await engine.services.tradingGuard.halt(reason: "checking the status")
        let during = await call(engine, "get_status", [:])
        try await engine.services.tradingGuard.resume()
        let after = await call(engine, "get_status", [:])

        #expect(before.data?["tradingAllowed"] == true)
        #expect(during.data?["tradingAllowed"] == false)
        #expect(during.data?["tradingGuard"]?["halted"]?["reason"] == "checking the status")
        #expect(after.data?["tradingAllowed"] == true)
    }

    @Test func walletToolsAreUnavailableOnTestnet() async throws {
        let exchange = ToolsFakeExchange()
        let engine = try ToolsTestEngine.make(transport: exchange, environment: [
            "BINANCE_API_KEY": "key", "BINANCE_API_SECRET": "secret", "BINANCE_TESTNET": "true",
        ])
        let result = await call(engine, "get_deposit_address", ["coin": "BTC"])
        #expect(result.error?["type"] == "configuration_error")
        #expect(result.error?["message"] == "Wallet endpoints are not available on the testnet venue.")
        #expect(await exchange.requests.isEmpty)
    }

    @Test func feeInfoOnTestnetUsesAccountCommission() async throws {
        let exchange = ToolsFakeExchange()
        let engine = try ToolsTestEngine.make(transport: exchange, environment: [
            "BINANCE_API_KEY": "key", "BINANCE_API_SECRET": "secret", "BINANCE_TESTNET": "true",
        ])
        let result = await call(engine, "get_fee_info", ["symbol": "BTCUSDT"])
        #expect(result.data?["fees"] == [["symbol": "BTCUSDT", "makerCommission": "0.0000001", "takerCommission": "0.0000002"]])
        #expect(result.data?["total"] == 1)
    }

    @Test func feeInfoWithoutSymbolIsLimited() async throws {
        let exchange = ToolsFakeExchange()
        await exchange.respond(.get, "/sapi/v1/asset/tradeFee", json: """
            [{"symbol":"ADABNB","makerCommission":"0.001","takerCommission":"0.001"},
             {"symbol":"BNBBTC","makerCommission":"0.001","takerCommission":"0.001"},
             {"symbol":"BTCUSDT","makerCommission":"0.00075","takerCommission":"0.001"}]
            """)
        let engine = try ToolsTestEngine.make(transport: exchange)
        let result = await call(engine, "get_fee_info", ["limit": "2"])
        #expect(result.data?["total"] == 3)
        #expect(result.data?["fees"]?.arrayValue?.compactMap { $0["symbol"]?.stringValue } == ["ADABNB", "BNBBTC"])
        #expect(await exchange.parameters(sentTo: "/sapi/v1/asset/tradeFee").first?["symbol"] == nil)
    }

    @Test func symbolInfoExplainsSpotFilters() async throws {
        let engine = try ToolsTestEngine.make(transport: ToolsFakeExchange())
        let result = await call(engine, "get_symbol_info", ["symbol": "BTCUSDT"])
        #expect(result.data?["tickSize"] == "0.01")
        #expect(result.data?["stepSize"] == "0.00001")
        let rules = result.data?["filters"]?.arrayValue ?? []
        #expect(rules.first == ["filterType": "PRICE_FILTER",
                                "rule": "Price from 0.01 to 1000000 USDT, in steps of 0.01 (0 means no limit)."])
        #expect(rules.contains(["filterType": "NOTIONAL",
                                "rule": "Order value (price × quantity) from 10 to 9000000 USDT."]))
    }

    @Test func statusHidesUserInfoOfBaseURL() {
        #expect(SessionTools.withoutUserInfo("http://user:pw@127.0.0.1:8080/x") == "http://127.0.0.1:8080/x")
        #expect(SessionTools.withoutUserInfo("https://api.binance.com") == "https://api.binance.com")
    }
}

struct ExchangeInfoCacheTests {
    /// A clock tests move by hand.
    final class ManualClock: @unchecked Sendable {
        // The lock protects `now`, which the test thread sets and the cache reads.
        private let lock = NSLock()
        private var current = Date(timeIntervalSince1970: 1_700_000_000)

        var now: Date {
            lock.lock()
            defer { lock.unlock() }
            return current
        }

        func advance(by seconds: TimeInterval) {
            lock.lock()
            defer { lock.unlock() }
            current += seconds
        }
    }

    @Test func refreshesWhenStale() async throws {
        let exchange = ToolsFakeExchange()
        let client = BinanceClient(
            configuration: ClientConfiguration(spotBaseURL: "sim://spot", futuresBaseURL: "sim://futures", credentials: nil),
            transport: exchange
        )
        let clock = ManualClock()
        let cache = ExchangeInfoCache(client: client, maximumAge: 300, now: { clock.now })
        _ = try await cache.rules(for: "BTCUSDT")
        clock.advance(by: 299)
        _ = try await cache.rules(for: "BTCUSDT")
        #expect(await exchange.count(.get, "/api/v3/exchangeInfo") == 1)
        clock.advance(by: 2)
        _ = try await cache.rules(for: "BTCUSDT")
        #expect(await exchange.count(.get, "/api/v3/exchangeInfo") == 2)
    }

    @Test func fetchesOneSpotSymbolUntilTheMarketIsListed() async throws {
        let exchange = ToolsFakeExchange()
        let client = BinanceClient(
            configuration: ClientConfiguration(spotBaseURL: "sim://spot", futuresBaseURL: "sim://futures", credentials: nil),
            transport: exchange
        )
        let cache = ExchangeInfoCache(client: client)
        _ = try await cache.rules(for: "BTCUSDT")
        _ = try await cache.rules(for: "ETHUSDT")
        #expect(await exchange.parameters(sentTo: "/api/v3/exchangeInfo").map { $0["symbol"] } == ["BTCUSDT", "ETHUSDT"])
        _ = try await cache.allSymbols()
        _ = try await cache.rules(for: "BNBUSDT")
        #expect(await exchange.count(.get, "/api/v3/exchangeInfo") == 3)
    }

    /// Holds each request briefly, so concurrent callers overlap while a fetch is in progress.
    struct SlowTransport: HTTPTransport {
        let exchange: ToolsFakeExchange

        func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
            try? await Task.sleep(for: .milliseconds(100))
            return try await exchange.send(request)
        }
    }

    /// Rejects every request while `isFailing` is set, then passes them to the fake exchange.
    final class SwitchableTransport: HTTPTransport, @unchecked Sendable {
        let exchange: ToolsFakeExchange
        // The lock protects `failing`, which the test sets and the client's tasks read.
        private let lock = NSLock()
        private var failing = true

        init(exchange: ToolsFakeExchange) {
            self.exchange = exchange
        }

        var isFailing: Bool {
            get { lock.withLock { failing } }
            set { lock.withLock { failing = newValue } }
        }

        func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
            if isFailing {
                return HTTPResponse(status: 400, body: Data(#"{"code":-1100,"msg":"Illegal characters found."}"#.utf8))
            }
            return try await exchange.send(request)
        }
    }

    @Test func failedFetchIsRetriedByTheNextCall() async throws {
        let transport = SwitchableTransport(exchange: ToolsFakeExchange())
        let client = BinanceClient(
            configuration: ClientConfiguration(spotBaseURL: "sim://spot", futuresBaseURL: "sim://futures", credentials: nil),
            transport: transport
        )
        let cache = ExchangeInfoCache(client: client)
        await #expect(throws: ToolError.self) { try await cache.rules(for: "BTCUSDT") }
        await #expect(throws: ToolError.self) { try await cache.allSymbols() }

        transport.isFailing = false
        let rules = try await cache.rules(for: "BTCUSDT")
        #expect(rules.symbol == "BTCUSDT")
        let all = try await cache.allSymbols()
        #expect(!all.isEmpty)
    }

    @Test func concurrentCallersShareOneFetch() async throws {
        let exchange = ToolsFakeExchange()
        let client = BinanceClient(
            configuration: ClientConfiguration(spotBaseURL: "sim://spot", futuresBaseURL: "sim://futures", credentials: nil),
            transport: SlowTransport(exchange: exchange)
        )
        let cache = ExchangeInfoCache(client: client)
        async let first = cache.rules(for: "BTCUSDT")
        async let second = cache.rules(for: "BTCUSDT")
        async let third = cache.rules(for: "BTCUSDT")
        let symbols = try await [first, second, third].map(\.symbol)
        #expect(symbols == ["BTCUSDT", "BTCUSDT", "BTCUSDT"])
        #expect(await exchange.count(.get, "/api/v3/exchangeInfo") == 1)

        async let wholeFirst = cache.allSymbols()
        async let wholeSecond = cache.allSymbols()
        let counts = try await [wholeFirst, wholeSecond].map(\.count)
        #expect(counts[0] == counts[1])
        #expect(await exchange.count(.get, "/api/v3/exchangeInfo") == 2)
    }

    @Test func unknownSymbolRejectionIsNamed() async throws {
        let exchange = ToolsFakeExchange()
        await exchange.respond(.get, "/api/v3/exchangeInfo", status: 400, json: #"{"code":-1121,"msg":"Invalid symbol."}"#)
        let client = BinanceClient(
            configuration: ClientConfiguration(spotBaseURL: "sim://spot", futuresBaseURL: "sim://futures", credentials: nil),
            transport: exchange
        )
        do {
            _ = try await ExchangeInfoCache(client: client).rules(for: "NOPEUSDT")
            Issue.record("an unknown symbol was accepted")
        } catch {
            #expect(error.message == "Unknown symbol 'NOPEUSDT': it is not listed on spot.")
            #expect(error.type == .validationError)
        }
    }

    @Test func keepsMarketsApart() async throws {
        let exchange = ToolsFakeExchange()
        let client = BinanceClient(
            configuration: ClientConfiguration(spotBaseURL: "sim://spot", futuresBaseURL: "sim://futures", credentials: nil),
            transport: exchange
        )
        let cache = ExchangeInfoCache(client: client)
        let spot = try await cache.rules(for: "BTCUSDT", market: .spot)
        let futures = try await cache.rules(for: "BTCUSDT", market: .futures)
        #expect(spot.tickSize == Decimal(string: "0.01"))
        #expect(futures.tickSize == Decimal(string: "0.1"))
        #expect(futures.filter("MIN_NOTIONAL")?.notional?.value == 100)
        await cache.invalidate(.futures)
        #expect(await cache.age(of: .futures) == nil)
        #expect(await cache.age(of: .spot) != nil)
    }
}
