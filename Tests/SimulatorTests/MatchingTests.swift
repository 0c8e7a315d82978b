import BinanceAPI
import Foundation
import Testing
import TestSupport
@testable import Simulator

@Suite struct MatchingTests {
    private func object(_ response: HTTPResponse) -> [String: Any] {
        SimTestClient.json(response) as? [String: Any] ?? [:]
    }

    private func decimal(_ value: Any?) -> Decimal {
        (value as? String).flatMap { DecimalText.parse($0) } ?? -1
    }

    /// Returns the first minute after now at which `symbol` trades below (or above) `price`, from the market model.
    private func timeWhenPrice(_ client: SimTestClient, _ symbol: String, below price: Decimal? = nil, above: Decimal? = nil) throws -> Int64 {
        let engine = client.exchange.engine
        let rules = try #require(engine.catalog.rules(symbol))
        var time = client.clock.now
        for _ in 0..<(60 * 24 * 30) {
            time += 60_000
            let current = engine.market.price(rules, at: time)
            if let price, current < price { return time }
            if let above, current > above { return time }
        }
        Issue.record("price of \(symbol) never crossed within 30 days")
        return time
    }

    @Test func marketBuyChargesBaseCommission() async throws {
        let client = try SimTestClient.make()
        let response = await client.order([("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "MARKET"), ("quantity", "0.01")])
        let order = object(response)
        #expect(order["status"] as? String == "FILLED")
        #expect(decimal(order["executedQty"]) == Decimal(string: "0.01")!)
        let fills = order["fills"] as? [[String: Any]] ?? []
        #expect(!fills.isEmpty)
        let commission = fills.reduce(Decimal()) { $0 + decimal($1["commission"]) }
        #expect(fills.allSatisfy { $0["commissionAsset"] as? String == "BTC" })
        #expect(commission == Decimal(string: "0.00001")!)
        let spent = decimal(order["cummulativeQuoteQty"])
        let filledValue = fills.reduce(Decimal()) { $0 + decimal($1["price"]) * decimal($1["qty"]) }
        #expect(spent == filledValue)
        #expect(await client.balance("BTC").free == Decimal(string: "0.10999")!)
        #expect(await client.balance("USDT").free == 10_000 - spent)
    }

    @Test func marketSellChargesQuoteCommission() async throws {
        let client = try SimTestClient.make()
        let order = object(await client.order([("symbol", "ETHUSDT"), ("side", "SELL"), ("type", "MARKET"), ("quantity", "0.5")]))
        #expect(order["status"] as? String == "FILLED")
        let fills = order["fills"] as? [[String: Any]] ?? []
        #expect(fills.allSatisfy { $0["commissionAsset"] as? String == "USDT" })
        let received = decimal(order["cummulativeQuoteQty"])
        let commission = fills.reduce(Decimal()) { $0 + decimal($1["commission"]) }
        var expected = received * Decimal(string: "0.001")!
        var rounded = Decimal()
        NSDecimalRound(&rounded, &expected, 8, .plain)
        #expect(abs(commission - rounded) <= Decimal(string: "0.00000001")! * Decimal(fills.count))
        #expect(await client.balance("ETH").free == Decimal(string: "0.5")!)
        #expect(await client.balance("USDT").free == 10_000 + received - commission)
    }

    @Test func quoteOrderQtySpendsAtMostBudget() async throws {
        let client = try SimTestClient.make()
        let order = object(await client.order([("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "MARKET"), ("quoteOrderQty", "100")]))
        #expect(order["status"] as? String == "FILLED")
        let spent = decimal(order["cummulativeQuoteQty"])
        #expect(spent <= 100)
        #expect(spent > 99)
        let quantity = decimal(order["executedQty"])
        #expect(DecimalText.isMultiple(quantity, of: Decimal(string: "0.00001")!))
        #expect(decimal(order["origQuoteOrderQty"]) == 100)
        #expect(decimal(order["origQty"]) == quantity)
    }

    @Test func responseTypesShapeNewOrderAnswer() async throws {
        let client = try SimTestClient.make()
        let ack = object(await client.order([("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "MARKET"), ("quantity", "0.001"), ("newOrderRespType", "ACK")]))
        #expect(Set(ack.keys) == ["symbol", "orderId", "orderListId", "clientOrderId", "transactTime"])
        let result = object(await client.order([("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "MARKET"), ("quantity", "0.001"), ("newOrderRespType", "RESULT")]))
        #expect(result["status"] as? String == "FILLED")
        #expect(result["fills"] == nil)
        let full = object(await client.order([("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "MARKET"), ("quantity", "0.001")]))
        #expect(full["fills"] is [Any])
        let stopPrice = simFloor(await client.price("BTCUSDT") * Decimal(string: "0.9")!, Decimal(string: "0.01")!)
        let stop = object(await client.order([("symbol", "BTCUSDT"), ("side", "SELL"), ("type", "STOP_LOSS_LIMIT"), ("timeInForce", "GTC"),
                                              ("quantity", "0.001"), ("price", DecimalText.format(stopPrice)), ("stopPrice", DecimalText.format(stopPrice))]))
        #expect(stop["status"] == nil, "stop orders answer ACK by default")
        #expect(stop["orderId"] is Int)
    }

    @Test func restingLimitLocksAndCancelReleases() async throws {
        let client = try SimTestClient.make()
        let price = simFloor(await client.price("BTCUSDT") * Decimal(string: "0.95")!, Decimal(string: "0.01")!)
        let order = object(await client.order([("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "LIMIT"), ("timeInForce", "GTC"),
                                               ("quantity", "0.01"), ("price", DecimalText.format(price))]))
        #expect(order["status"] as? String == "NEW")
        #expect((order["fills"] as? [Any])?.isEmpty == true)
        let locked = price * Decimal(string: "0.01")!
        #expect(await client.balance("USDT") == (10_000 - locked, locked))
        let open = SimTestClient.json(await client.signed(.get, "/api/v3/openOrders", [("symbol", "BTCUSDT")])) as? [[String: Any]]
        #expect(open?.count == 1)
        let orderId = try #require(order["orderId"] as? Int)
        let canceled = object(await client.signed(.delete, "/api/v3/order", [("symbol", "BTCUSDT"), ("orderId", String(orderId))]))
        #expect(canceled["status"] as? String == "CANCELED")
        #expect(canceled["origClientOrderId"] as? String == order["clientOrderId"] as? String)
        #expect(await client.balance("USDT") == (10_000, 0))
        let again = await client.signed(.delete, "/api/v3/order", [("symbol", "BTCUSDT"), ("orderId", String(orderId))])
        #expect(SimTestClient.error(again)?.code == -2011)
    }

    @Test func immediateOrCancelExpiresUnfilled() async throws {
        let client = try SimTestClient.make()
        let price = simFloor(await client.price("BTCUSDT") * Decimal(string: "0.95")!, Decimal(string: "0.01")!)
        let order = object(await client.order([("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "LIMIT"), ("timeInForce", "IOC"),
                                               ("quantity", "0.01"), ("price", DecimalText.format(price))]))
        #expect(order["status"] as? String == "EXPIRED")
        #expect(decimal(order["executedQty"]) == 0)
        #expect(await client.balance("USDT") == (10_000, 0))
    }

    @Test func fillOrKillExpiresWhenBookIsThin() async throws {
        let client = try SimTestClient.make(balances: ["USDT": 10_000_000])
        let book = object(await client.get("/api/v3/depth", [("symbol", "BTCUSDT"), ("limit", "2")]))
        let asks = try #require(book["asks"] as? [[String]])
        let bestAsk = try #require(DecimalText.parse(asks[0][0]))
        let available = try #require(DecimalText.parse(asks[0][1]))
        let quantity = available + Decimal(string: "0.00001")!
        let order = object(await client.order([("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "LIMIT"), ("timeInForce", "FOK"),
                                               ("quantity", DecimalText.format(quantity)), ("price", DecimalText.format(bestAsk))]))
        #expect(order["status"] as? String == "EXPIRED")
        #expect(decimal(order["executedQty"]) == 0)
        let filled = object(await client.order([("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "LIMIT"), ("timeInForce", "FOK"),
                                                ("quantity", DecimalText.format(available)), ("price", DecimalText.format(bestAsk))]))
        #expect(filled["status"] as? String == "FILLED")
    }

    @Test func crossingLimitFillsPartlyThenRests() async throws {
        let client = try SimTestClient.make(balances: ["USDT": 10_000_000])
        let book = object(await client.get("/api/v3/depth", [("symbol", "BTCUSDT"), ("limit", "2")]))
        let asks = try #require(book["asks"] as? [[String]])
        let bestAsk = try #require(DecimalText.parse(asks[0][0]))
        let available = try #require(DecimalText.parse(asks[0][1]))
        let quantity = available * 3
        let order = object(await client.order([("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "LIMIT"), ("timeInForce", "GTC"),
                                               ("quantity", DecimalText.format(quantity)), ("price", DecimalText.format(bestAsk))]))
        #expect(order["status"] as? String == "PARTIALLY_FILLED")
        #expect(decimal(order["executedQty"]) == available)
        let remaining = quantity - available
        #expect(await client.balance("USDT").locked == remaining * bestAsk)
        #expect(await client.balance("BTC").free == available - available * Decimal(string: "0.001")!)
    }

    @Test func restingBuyFillsWhenPriceFalls() async throws {
        let client = try SimTestClient.make()
        let price = simFloor(await client.price("ETHUSDT") * Decimal(string: "0.995")!, Decimal(string: "0.01")!)
        let order = object(await client.order([("symbol", "ETHUSDT"), ("side", "BUY"), ("type", "LIMIT"), ("timeInForce", "GTC"),
                                               ("quantity", "0.5"), ("price", DecimalText.format(price))]))
        let orderId = try #require(order["orderId"] as? Int)
        let crossing = try timeWhenPrice(client, "ETHUSDT", below: price)
        client.clock.advance(milliseconds: crossing - client.clock.now - 60_000)
        let before = object(await client.signed(.get, "/api/v3/order", [("symbol", "ETHUSDT"), ("orderId", String(orderId))]))
        #expect(before["status"] as? String == "NEW")
        client.clock.advance(milliseconds: 60_000)
        let after = object(await client.signed(.get, "/api/v3/order", [("symbol", "ETHUSDT"), ("orderId", String(orderId))]))
        #expect(after["status"] as? String == "FILLED")
        #expect(decimal(after["cummulativeQuoteQty"]) == price * Decimal(string: "0.5")!)
        let trades = SimTestClient.json(await client.signed(.get, "/api/v3/myTrades", [("symbol", "ETHUSDT"), ("orderId", String(orderId))])) as? [[String: Any]] ?? []
        #expect(trades.count == 1)
        #expect(trades.first?["isMaker"] as? Bool == true)
        #expect(decimal(trades.first?["price"]) == price)
        #expect(await client.balance("ETH").free == Decimal(string: "1.4995")!)
        #expect(await client.balance("USDT") == (10_000 - price * Decimal(string: "0.5")!, 0))
    }

    @Test func stopLossTriggersWhenPriceFalls() async throws {
        let client = try SimTestClient.make()
        let current = await client.price("ETHUSDT")
        let stop = simFloor(current * Decimal(string: "0.995")!, Decimal(string: "0.01")!)
        let limit = simFloor(stop * Decimal(string: "0.95")!, Decimal(string: "0.01")!)
        let order = object(await client.order([("symbol", "ETHUSDT"), ("side", "SELL"), ("type", "STOP_LOSS_LIMIT"), ("timeInForce", "GTC"),
                                               ("quantity", "0.5"), ("price", DecimalText.format(limit)), ("stopPrice", DecimalText.format(stop)),
                                               ("newOrderRespType", "RESULT")]))
        #expect(order["status"] as? String == "NEW")
        #expect(await client.balance("ETH") == (Decimal(string: "0.5")!, Decimal(string: "0.5")!))
        let orderId = try #require(order["orderId"] as? Int)
        let queried = object(await client.signed(.get, "/api/v3/order", [("symbol", "ETHUSDT"), ("orderId", String(orderId))]))
        #expect(queried["isWorking"] as? Bool == false)
        let crossing = try timeWhenPrice(client, "ETHUSDT", below: stop)
        client.clock.advance(milliseconds: crossing - client.clock.now)
        let after = object(await client.signed(.get, "/api/v3/order", [("symbol", "ETHUSDT"), ("orderId", String(orderId))]))
        #expect(after["status"] as? String == "FILLED")
        #expect(after["isWorking"] as? Bool == true)
        #expect(await client.balance("ETH") == (Decimal(string: "0.5")!, 0))
    }

    @Test func decimalEdgeCasesStayExact() async throws {
        let client = try SimTestClient.make(balances: ["USDT": 100_000, "ETH": 0])
        _ = await client.order([("symbol", "ETHUSDT"), ("side", "BUY"), ("type", "MARKET"), ("quantity", "0.1")])
        _ = await client.order([("symbol", "ETHUSDT"), ("side", "BUY"), ("type", "MARKET"), ("quantity", "0.2")])
        // 0.3 bought, 0.1 % commission taken in ETH: 0.3 - 0.0003 exactly.
        #expect(await client.balance("ETH").free == Decimal(string: "0.2997")!)
        for _ in 0..<3 {
            let response = await client.order([("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "LIMIT"), ("timeInForce", "GTC"),
                                               ("quantity", "0.00017"), ("price", "60000.01")])
            #expect(response.status == 200, "\(String(decoding: response.body, as: UTF8.self))")
        }
        let locked = await client.balance("USDT").locked
        #expect(locked == Decimal(string: "30.6000051")!)
        let text = String(decoding: await client.signed(.get, "/api/v3/account").body, as: UTF8.self)
        #expect(!text.contains("e-"))
        #expect(text.contains(#""locked":"30.60000510""#))
    }

    @Test func cancelOpenOrdersCancelsAll() async throws {
        let client = try SimTestClient.make()
        let price = simFloor(await client.price("BTCUSDT") * Decimal(string: "0.9")!, Decimal(string: "0.01")!)
        for _ in 0..<3 {
            _ = await client.order([("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "LIMIT"), ("timeInForce", "GTC"),
                                    ("quantity", "0.001"), ("price", DecimalText.format(price))])
        }
        let canceled = SimTestClient.json(await client.signed(.delete, "/api/v3/openOrders", [("symbol", "BTCUSDT")])) as? [[String: Any]]
        #expect(canceled?.count == 3)
        #expect(canceled?.allSatisfy { $0["status"] as? String == "CANCELED" } == true)
        #expect(client.exchange.openOrderCount == 0)
        #expect(await client.balance("USDT") == (10_000, 0))
        let all = SimTestClient.json(await client.signed(.get, "/api/v3/allOrders", [("symbol", "BTCUSDT")])) as? [[String: Any]]
        #expect(all?.count == 3)
    }

    @Test func tenThousandRestingOrdersMatchCorrectly() async throws {
        let client = try SimTestClient.make(
            balances: ["USDT": 100_000_000, "DEEP": 1_000_000],
            rateLimits: .unlimited,
            extraSymbols: [SimTestClient.deepBookSymbol]
        )
        let engine = client.exchange.engine
        let rules = try #require(engine.catalog.rules("DEEPUSDT"))
        let start = client.clock.now
        let current = engine.market.price(rules, at: start)
        let tick = rules.tickSize
        // 7,500 buys from 12 % below the price up to just below it, 2,500 sells above it. They are written
        // straight into the ledger (placement is tested elsewhere), with their balances locked.
        var placed = [(id: Int64, isBuy: Bool, price: Decimal)]()
        try engine.lock.withLock {
            try engine.ledger.transaction {
                var lockedQuote = Decimal()
                for index in 0..<10_000 {
                    let isBuy = index < 7_500
                    let offset = isBuy
                        ? Decimal(index + 1) * current * Decimal(string: "0.000016")!
                        : Decimal(index - 7_499) * current * Decimal(string: "0.00004")!
                    let price = simFloor(isBuy ? current - offset : current + offset + tick, tick)
                    let order = PaperOrder(
                        orderId: try engine.ledger.allocateOrderId(), symbol: "DEEPUSDT", clientOrderId: "deep-\(index)",
                        side: isBuy ? "BUY" : "SELL", type: "LIMIT", timeInForce: "GTC", price: price, origQty: 1,
                        executedQty: 0, cummulativeQuoteQty: 0, origQuoteOrderQty: 0, stopPrice: 0, status: "NEW",
                        time: start, updateTime: start, workingTime: start, isWorking: true,
                        lockedAmount: isBuy ? price : 1, lockedAsset: isBuy ? "USDT" : "DEEP"
                    )
                    try engine.ledger.save(order)
                    if isBuy { lockedQuote += price }
                    placed.append((order.orderId, isBuy, price))
                }
                try engine.ledger.adjust("USDT", free: -lockedQuote, locked: lockedQuote)
                try engine.ledger.adjust("DEEP", free: -2_500, locked: 2_500)
            }
            engine.matchedUntil["DEEPUSDT"] = start
        }
        #expect(client.exchange.openOrderCount == 10_000)

        let later = start + 6 * 3_600_000
        client.clock.advance(milliseconds: later - start)
        let (low, high) = engine.market.range(rules, from: start, to: later, samples: Int(min(200, (later - start) / 1000)))
        _ = await client.get("/api/v3/ping")

        var expectedFilled = 0
        var lockedQuote = Decimal()
        var lockedBase = Decimal()
        for entry in placed {
            let order = try #require(engine.ledger.order(id: entry.id))
            let shouldFill = entry.isBuy ? low < entry.price : high > entry.price
            #expect(order.status == (shouldFill ? "FILLED" : "NEW"), "order \(entry.id) at \(entry.price), range \(low)...\(high)")
            if shouldFill { expectedFilled += 1 }
            if order.isOpen {
                if entry.isBuy { lockedQuote += entry.price } else { lockedBase += 1 }
            }
        }
        #expect(expectedFilled > 0)
        #expect(expectedFilled < 10_000)
        #expect(engine.ledger.trades.count == expectedFilled)
        #expect(client.exchange.balance(of: "USDT").locked == lockedQuote)
        #expect(client.exchange.balance(of: "DEEP").locked == lockedBase)
    }

    @Test func newOrderIgnoresEarlierPrices() async throws {
        let client = try SimTestClient.make()
        let engine = client.exchange.engine
        let rules = try #require(engine.catalog.rules("ETHUSDT"))
        let first = SimTestClient.json(await client.order([("symbol", "ETHUSDT"), ("side", "BUY"), ("type", "LIMIT"), ("timeInForce", "GTC"),
                                                          ("quantity", "0.01"), ("price", "1000")])) as? [String: Any]
        let firstId = try #require(first?["orderId"] as? Int)
        _ = await client.signed(.delete, "/api/v3/order", [("symbol", "ETHUSDT"), ("orderId", String(firstId))])
        let start = client.clock.now
        client.clock.advance(milliseconds: 6 * 3_600_000)
        let now = client.clock.now
        let low = engine.market.range(rules, from: start, to: now, samples: 2000).low
        let current = engine.market.price(rules, at: now)
        let price = simFloor((low + current) / 2, rules.tickSize)
        try #require(price > low && price < current - rules.tickSize, "the replayed path must have dipped below the current price")
        let order = SimTestClient.json(await client.order([("symbol", "ETHUSDT"), ("side", "BUY"), ("type", "LIMIT"), ("timeInForce", "GTC"),
                                                          ("quantity", "0.01"), ("price", DecimalText.format(price))])) as? [String: Any]
        let orderId = try #require(order?["orderId"] as? Int)
        client.clock.advance(milliseconds: 1)
        let queried = SimTestClient.json(await client.signed(.get, "/api/v3/order", [("symbol", "ETHUSDT"), ("orderId", String(orderId))])) as? [String: Any]
        #expect(queried?["status"] as? String == "NEW")
    }
}
