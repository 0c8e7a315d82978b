import BinanceAPI
import Foundation
import Testing
import TestSupport
@testable import Simulator

@Suite struct MarketDataTests {
    private func object(_ response: HTTPResponse) -> [String: Any] {
        SimTestClient.json(response) as? [String: Any] ?? [:]
    }

    private func array(_ response: HTTPResponse) -> [Any] {
        SimTestClient.json(response) as? [Any] ?? []
    }

    private func decimal(_ value: Any?) -> Decimal? {
        (value as? String).flatMap { DecimalText.parse($0) }
    }

    @Test func pingReturnsEmptyObject() async throws {
        let client = try SimTestClient.make()
        let response = await client.get("/api/v3/ping")
        #expect(response.status == 200)
        #expect(String(decoding: response.body, as: UTF8.self) == "{}")
        #expect(response.header("X-MBX-USED-WEIGHT-1M") == "1")
    }

    @Test func timeReturnsExchangeClock() async throws {
        let client = try SimTestClient.make()
        client.clock.advance(milliseconds: 1234)
        let response = await client.get("/api/v3/time")
        #expect(object(response)["serverTime"] as? Int64 == SimTestClient.startTime + 1234)
    }

    @Test func exchangeInfoListsRecordedSymbols() async throws {
        let client = try SimTestClient.make()
        let response = await client.get("/api/v3/exchangeInfo")
        let body = object(response)
        let symbols = body["symbols"] as? [[String: Any]] ?? []
        #expect(symbols.count == 2276)
        #expect(body["timezone"] as? String == "UTC")
        #expect(body["serverTime"] as? Int64 == SimTestClient.startTime)
        let limits = body["rateLimits"] as? [[String: Any]] ?? []
        #expect(limits.first?["rateLimitType"] as? String == "REQUEST_WEIGHT")
        #expect(limits.first?["limit"] as? Int == 6000)
        #expect(limits.map { $0["limit"] as? Int } == [6000, 100, 200_000, 300_000])
        #expect(response.header("x-mbx-used-weight-1m") == "20")
    }

    @Test func exchangeInfoSelectsSymbols() async throws {
        let client = try SimTestClient.make()
        let one = object(await client.get("/api/v3/exchangeInfo", [("symbol", "BTCUSDT")]))
        let symbols = one["symbols"] as? [[String: Any]] ?? []
        #expect(symbols.count == 1)
        let filters = symbols.first?["filters"] as? [[String: Any]] ?? []
        let priceFilter = filters.first { $0["filterType"] as? String == "PRICE_FILTER" }
        #expect(priceFilter?["tickSize"] as? String == "0.01000000")
        let two = object(await client.get("/api/v3/exchangeInfo", [("symbols", #"["BTCUSDT","ETHBTC"]"#)]))
        #expect((two["symbols"] as? [[String: Any]])?.compactMap { $0["symbol"] as? String } == ["BTCUSDT", "ETHBTC"])
    }

    @Test func exchangeInfoRejectsUnknownAndConflicting() async throws {
        let client = try SimTestClient.make()
        let unknown = await client.get("/api/v3/exchangeInfo", [("symbol", "NOPEUSDT")])
        #expect(unknown.status == 400)
        #expect(SimTestClient.error(unknown)?.code == -1121)
        #expect(SimTestClient.error(unknown)?.message == "Invalid symbol.")
        let both = await client.get("/api/v3/exchangeInfo", [("symbol", "BTCUSDT"), ("symbols", #"["ETHBTC"]"#)])
        #expect(SimTestClient.error(both)?.code == -1128)
        let lowerCase = await client.get("/api/v3/exchangeInfo", [("symbol", "btcusdt")])
        #expect(SimTestClient.error(lowerCase)?.code == -1100)
    }

    @Test func exchangeInfoBodyIsStableAcrossRequests() async throws {
        let client = try SimTestClient.make()
        let first = await client.get("/api/v3/exchangeInfo")
        let second = await client.get("/api/v3/exchangeInfo")
        #expect(first.body == second.body)
        #expect(first.body.count > 3_000_000)
    }

    @Test func tickerPriceIsOnTickGrid() async throws {
        let client = try SimTestClient.make()
        for symbol in ["BTCUSDT", "ETHBTC", "ADAUSDT", "DOGEEUR"] {
            let body = object(await client.get("/api/v3/ticker/price", [("symbol", symbol)]))
            #expect(body["symbol"] as? String == symbol)
            let price = try #require(decimal(body["price"]))
            let tick = try #require(client.exchange.engine.catalog.rules(symbol)?.tickSize)
            #expect(price > 0)
            #expect(DecimalText.isMultiple(price, of: tick), "\(symbol) price \(price) off tick \(tick)")
        }
        let list = array(await client.get("/api/v3/ticker/price", [("symbols", #"["BTCUSDT","ETHUSDT"]"#)]))
        #expect(list.count == 2)
    }

    @Test func crossPairFollowsUSDTLegs() async throws {
        let client = try SimTestClient.make()
        let eth = try #require(decimal(object(await client.get("/api/v3/ticker/price", [("symbol", "ETHUSDT")]))["price"]))
        let btc = try #require(decimal(object(await client.get("/api/v3/ticker/price", [("symbol", "BTCUSDT")]))["price"]))
        let cross = try #require(decimal(object(await client.get("/api/v3/ticker/price", [("symbol", "ETHBTC")]))["price"]))
        let implied = eth / btc
        #expect(abs(cross - implied) <= Decimal(string: "0.00002")!, "ETHBTC \(cross) vs implied \(implied)")
    }

    @Test func pricesAreDeterministicForSeed() async throws {
        let first = try SimTestClient.make(seed: 7)
        let second = try SimTestClient.make(seed: 7)
        let other = try SimTestClient.make(seed: 8)
        let a = await first.get("/api/v3/ticker/price", [("symbol", "SOLUSDT")])
        let b = await second.get("/api/v3/ticker/price", [("symbol", "SOLUSDT")])
        let c = await other.get("/api/v3/ticker/price", [("symbol", "SOLUSDT")])
        #expect(a.body == b.body)
        #expect(a.body != c.body)
    }

    @Test func ticker24hrHasBinanceFields() async throws {
        let client = try SimTestClient.make()
        let body = object(await client.get("/api/v3/ticker/24hr", [("symbol", "BTCUSDT")]))
        for key in ["priceChange", "priceChangePercent", "weightedAvgPrice", "prevClosePrice", "lastPrice", "lastQty",
                    "bidPrice", "bidQty", "askPrice", "askQty", "openPrice", "highPrice", "lowPrice", "volume", "quoteVolume"] {
            #expect(body[key] is String, "\(key) should be a string")
        }
        for key in ["openTime", "closeTime", "firstId", "lastId", "count"] {
            #expect(body[key] is Int, "\(key) should be a number")
        }
        let high = try #require(decimal(body["highPrice"]))
        let low = try #require(decimal(body["lowPrice"]))
        let last = try #require(decimal(body["lastPrice"]))
        #expect(low <= last)
        #expect(last <= high)
        let mini = object(await client.get("/api/v3/ticker/24hr", [("symbol", "BTCUSDT"), ("type", "MINI")]))
        #expect(mini["bidPrice"] == nil)
        #expect(mini["lastPrice"] as? String == body["lastPrice"] as? String)
    }

    @Test func bookTickerBidBelowAsk() async throws {
        let client = try SimTestClient.make()
        let body = object(await client.get("/api/v3/ticker/bookTicker", [("symbol", "ETHUSDT")]))
        let bid = try #require(decimal(body["bidPrice"]))
        let ask = try #require(decimal(body["askPrice"]))
        #expect(bid < ask)
        #expect(try #require(decimal(body["bidQty"])) > 0)
    }

    @Test func depthLevelsAreOrdered() async throws {
        let client = try SimTestClient.make()
        let response = await client.get("/api/v3/depth", [("symbol", "BTCUSDT"), ("limit", "5")])
        let body = object(response)
        let bids = (body["bids"] as? [[String]] ?? []).map { (DecimalText.parse($0[0])!, DecimalText.parse($0[1])!) }
        let asks = (body["asks"] as? [[String]] ?? []).map { (DecimalText.parse($0[0])!, DecimalText.parse($0[1])!) }
        #expect(bids.count == 5)
        #expect(asks.count == 5)
        #expect(zip(bids, bids.dropFirst()).allSatisfy { $0.0 > $1.0 })
        #expect(zip(asks, asks.dropFirst()).allSatisfy { $0.0 < $1.0 })
        #expect(bids[0].0 < asks[0].0)
        #expect(body["lastUpdateId"] is Int)
        #expect(response.header("x-mbx-used-weight-1m") == "5")
        let deep = await client.get("/api/v3/depth", [("symbol", "BTCUSDT"), ("limit", "1000")])
        #expect(deep.header("x-mbx-used-weight-1m") == "55")
    }

    @Test func klinesAreAlignedAndConsistent() async throws {
        let client = try SimTestClient.make()
        let rows = array(await client.get("/api/v3/klines", [("symbol", "ETHUSDT"), ("interval", "1h"), ("limit", "24")]))
        #expect(rows.count == 24)
        var previousOpen: Int64?
        for case let row as [Any] in rows {
            #expect(row.count == 12)
            let open = try #require(row[0] as? Int64)
            #expect(open % 3_600_000 == 0)
            if let previousOpen { #expect(open == previousOpen + 3_600_000) }
            previousOpen = open
            #expect(row[6] as? Int64 == open + 3_599_999)
            let values = try (1...4).map { try #require(decimal(row[$0])) }
            #expect(values[1] >= max(values[0], values[3]))
            #expect(values[2] <= min(values[0], values[3]))
        }
        let lastOpen = try #require(previousOpen)
        #expect(lastOpen <= SimTestClient.startTime)
        #expect(lastOpen + 3_600_000 > SimTestClient.startTime)
    }

    @Test func klinesFromStartTime() async throws {
        let client = try SimTestClient.make()
        let start = SimTestClient.startTime - 10 * 60_000 + 1
        let rows = array(await client.get("/api/v3/klines", [("symbol", "ADAUSDT"), ("interval", "1m"), ("startTime", String(start)), ("limit", "3")]))
        let opens = rows.compactMap { ($0 as? [Any])?.first as? Int64 }
        #expect(opens == [start - 1 + 60_000, start - 1 + 120_000, start - 1 + 180_000])
    }

    @Test func klinesRejectUnknownInterval() async throws {
        let client = try SimTestClient.make()
        let response = await client.get("/api/v3/klines", [("symbol", "BTCUSDT"), ("interval", "7m")])
        #expect(SimTestClient.error(response)?.code == -1120)
        #expect(SimTestClient.error(response)?.message == "Invalid interval.")
    }

    @Test func recentTradesHaveIncreasingIds() async throws {
        let client = try SimTestClient.make()
        let trades = array(await client.get("/api/v3/trades", [("symbol", "BNBUSDT"), ("limit", "10")])).compactMap { $0 as? [String: Any] }
        #expect(trades.count == 10)
        let ids = trades.compactMap { $0["id"] as? Int64 }
        #expect(ids == ids.sorted())
        #expect(Set(ids).count == 10)
        #expect(trades.allSatisfy { $0["isBestMatch"] as? Bool == true })
    }

    @Test func averagePriceUsesFiveMinutes() async throws {
        let client = try SimTestClient.make()
        let body = object(await client.get("/api/v3/avgPrice", [("symbol", "BTCUSDT")]))
        #expect(body["mins"] as? Int == 5)
        #expect(try #require(decimal(body["price"])) > 0)
        #expect(body["closeTime"] is Int)
    }

    @Test func unknownPathIsNotFound() async throws {
        let client = try SimTestClient.make()
        let response = await client.get("/api/v3/withdraw")
        #expect(response.status == 404)
        let apply = await client.signed(.post, "/sapi/v1/capital/withdraw/apply", [("coin", "BTC")])
        #expect(apply.status == 404)
    }

    @Test func unreadParameterIsRejected() async throws {
        let client = try SimTestClient.make()
        let response = await client.get("/api/v3/ticker/price", [("symbol", "BTCUSDT"), ("colour", "blue")])
        #expect(SimTestClient.error(response)?.code == -1104)
        #expect(SimTestClient.error(response)?.message == "Not all sent parameters were read; read '1' parameter(s) but was sent '2'.")
    }

    @Test func duplicateParameterIsRejected() async throws {
        let client = try SimTestClient.make()
        let response = await client.raw(.get, "/api/v3/ticker/price", query: "symbol=BTCUSDT&symbol=ETHUSDT")
        #expect(SimTestClient.error(response)?.code == -1101)
        #expect(SimTestClient.error(response)?.message == "Duplicate values for a parameter detected.")
    }

    @Test func premiumIndexForPerpetual() async throws {
        let client = try SimTestClient.make()
        let body = object(await client.get("/fapi/v1/premiumIndex", [("symbol", "BTCUSDT")]))
        #expect(body["symbol"] as? String == "BTCUSDT")
        #expect(try #require(decimal(body["markPrice"])) > 0)
        let next = try #require(body["nextFundingTime"] as? Int64)
        #expect(next % 28_800_000 == 0)
        #expect(next > SimTestClient.startTime)
        let unknown = await client.get("/fapi/v1/premiumIndex", [("symbol", "ETHBTC")])
        #expect(SimTestClient.error(unknown)?.code == -1121)
    }
}

@Suite struct ParameterBoundsTests {
    @Test func farFutureTimesAreRejectedNotTrapped() async throws {
        let client = try SimTestClient.make()
        let huge = "9223372036854775807"
        let klines = await client.get("/api/v3/klines", [("symbol", "BTCUSDT"), ("interval", "1m"), ("startTime", huge)])
        #expect(klines.status == 400)
        let income = await client.signed(.get, "/fapi/v1/income", [("startTime", huge), ("page", huge)])
        #expect(income.status == 400)
        let deposits = await client.signed(.get, "/sapi/v1/capital/deposit/hisrec", [("startTime", "253402300799999")])
        #expect(deposits.status == 200)
        let pages = await client.signed(.get, "/fapi/v1/income", [("page", huge)])
        #expect(pages.status == 200)
        #expect(String(decoding: pages.body, as: UTF8.self) == "[]")
    }
}
