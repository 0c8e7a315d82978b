import BinanceAPI
import Foundation
import Testing
import TestSupport
@testable import Simulator

/// Order checks with Binance's codes and exact messages.
@Suite struct OrderRuleTests {
    private func expectRejected(_ response: HTTPResponse, code: Int, message: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(response.status == 400, sourceLocation: sourceLocation)
        let error = SimTestClient.error(response)
        #expect(error?.code == code, "\(String(decoding: response.body, as: UTF8.self))", sourceLocation: sourceLocation)
        #expect(error?.message == message, sourceLocation: sourceLocation)
    }

    private func limitBuy(_ client: SimTestClient, _ symbol: String, quantity: String, price: Decimal, extra: [(String, String)] = []) async -> HTTPResponse {
        await client.order([("symbol", symbol), ("side", "BUY"), ("type", "LIMIT"), ("timeInForce", "GTC"),
                            ("quantity", quantity), ("price", DecimalText.format(price))] + extra)
    }

    @Test func priceFilterRejectsOffTickPrice() async throws {
        let client = try SimTestClient.make()
        let price = simFloor(await client.price("BTCUSDT") * Decimal(string: "0.9")!, Decimal(string: "0.01")!) + Decimal(string: "0.005")!
        expectRejected(await limitBuy(client, "BTCUSDT", quantity: "0.001", price: price), code: -1013, message: "Filter failure: PRICE_FILTER")
    }

    @Test func priceFilterRejectsAboveMaximum() async throws {
        let client = try SimTestClient.make()
        expectRejected(await limitBuy(client, "BTCUSDT", quantity: "0.001", price: 1_000_001), code: -1013, message: "Filter failure: PRICE_FILTER")
    }

    @Test func lotSizeRejectsOffStepQuantity() async throws {
        let client = try SimTestClient.make()
        let price = simFloor(await client.price("BTCUSDT") * Decimal(string: "0.9")!, Decimal(string: "0.01")!)
        expectRejected(await limitBuy(client, "BTCUSDT", quantity: "0.000015", price: price), code: -1013, message: "Filter failure: LOT_SIZE")
        expectRejected(await limitBuy(client, "BTCUSDT", quantity: "9001", price: price), code: -1013, message: "Filter failure: LOT_SIZE")
    }

    @Test func marketLotSizeRejectsLargeMarketOrder() async throws {
        let client = try SimTestClient.make()
        let response = await client.order([("symbol", "BTCUSDT"), ("side", "SELL"), ("type", "MARKET"), ("quantity", "170")])
        expectRejected(response, code: -1013, message: "Filter failure: MARKET_LOT_SIZE")
    }

    @Test func notionalRejectsSmallOrder() async throws {
        let client = try SimTestClient.make()
        let price = simFloor(await client.price("BTCUSDT") * Decimal(string: "0.9")!, Decimal(string: "0.01")!)
        expectRejected(await limitBuy(client, "BTCUSDT", quantity: "0.0001", price: price), code: -1013, message: "Filter failure: NOTIONAL")
        let market = await client.order([("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "MARKET"), ("quoteOrderQty", "5")])
        expectRejected(market, code: -1013, message: "Filter failure: NOTIONAL")
    }

    @Test func minNotionalRejectsSmallOrder() async throws {
        let client = try SimTestClient.make(extraSymbols: [SimTestClient.legacyFilterSymbol])
        let price = simFloor(await client.price("LEGACYUSDT"), Decimal(string: "0.001")!)
        let quantity = simFloor(Decimal(5) / price, Decimal(string: "0.01")!)
        expectRejected(await limitBuy(client, "LEGACYUSDT", quantity: DecimalText.format(quantity), price: price),
                       code: -1013, message: "Filter failure: MIN_NOTIONAL")
    }

    @Test func percentPriceRejectsFarPrice() async throws {
        let client = try SimTestClient.make(extraSymbols: [SimTestClient.legacyFilterSymbol])
        let price = simFloor(await client.price("LEGACYUSDT") * 2, Decimal(string: "0.001")!)
        let quantity = simFloor(Decimal(50) / price, Decimal(string: "0.01")!)
        expectRejected(await limitBuy(client, "LEGACYUSDT", quantity: DecimalText.format(quantity), price: price),
                       code: -1013, message: "Filter failure: PERCENT_PRICE")
    }

    @Test func percentPriceBySideRejectsFarPrices() async throws {
        let client = try SimTestClient.make()
        let price = await client.price("BTCUSDT")
        let high = simFloor(price * 6, Decimal(string: "0.01")!)
        expectRejected(await limitBuy(client, "BTCUSDT", quantity: "0.001", price: high), code: -1013, message: "Filter failure: PERCENT_PRICE_BY_SIDE")
        let low = simFloor(price * Decimal(string: "0.1")!, Decimal(string: "0.01")!)
        let sell = await client.order([("symbol", "BTCUSDT"), ("side", "SELL"), ("type", "LIMIT"), ("timeInForce", "GTC"),
                                       ("quantity", "0.01"), ("price", DecimalText.format(low))])
        expectRejected(sell, code: -1013, message: "Filter failure: PERCENT_PRICE_BY_SIDE")
    }

    @Test func maxNumOrdersRejectsExtraOrder() async throws {
        let client = try SimTestClient.make(extraSymbols: [SimTestClient.legacyFilterSymbol])
        let price = simFloor(await client.price("LEGACYUSDT") * Decimal(string: "0.8")!, Decimal(string: "0.001")!)
        let quantity = DecimalText.format(simFloor(Decimal(20) / price, Decimal(string: "0.01")!))
        for _ in 0..<3 {
            let placed = await limitBuy(client, "LEGACYUSDT", quantity: quantity, price: price)
            #expect(placed.status == 200, "\(String(decoding: placed.body, as: UTF8.self))")
        }
        expectRejected(await limitBuy(client, "LEGACYUSDT", quantity: quantity, price: price), code: -1013, message: "Filter failure: MAX_NUM_ORDERS")
    }

    @Test func insufficientBalanceIsRejected() async throws {
        let client = try SimTestClient.make()
        let price = simFloor(await client.price("BTCUSDT") * Decimal(string: "0.9")!, Decimal(string: "0.01")!)
        expectRejected(await limitBuy(client, "BTCUSDT", quantity: "1", price: price), code: -2010,
                       message: "Account has insufficient balance for requested action.")
        let sell = await client.order([("symbol", "ETHUSDT"), ("side", "SELL"), ("type", "MARKET"), ("quantity", "1.5")])
        expectRejected(sell, code: -2010, message: "Account has insufficient balance for requested action.")
        #expect(client.exchange.openOrderCount == 0)
    }

    @Test func limitMakerThatWouldTakeIsRejected() async throws {
        let client = try SimTestClient.make()
        let price = simFloor(await client.price("BTCUSDT") * Decimal(string: "1.01")!, Decimal(string: "0.01")!)
        let response = await client.order([("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "LIMIT_MAKER"),
                                           ("quantity", "0.001"), ("price", DecimalText.format(price))])
        expectRejected(response, code: -2010, message: "Order would immediately match and take.")
    }

    @Test func duplicateOpenClientOrderIdIsRejected() async throws {
        let client = try SimTestClient.make()
        let price = simFloor(await client.price("BTCUSDT") * Decimal(string: "0.9")!, Decimal(string: "0.01")!)
        let first = await limitBuy(client, "BTCUSDT", quantity: "0.001", price: price, extra: [("newClientOrderId", "dup-1")])
        #expect(first.status == 200)
        expectRejected(await limitBuy(client, "BTCUSDT", quantity: "0.001", price: price, extra: [("newClientOrderId", "dup-1")]),
                       code: -2010, message: "Duplicate order sent.")
        #expect(client.exchange.orderCount(clientOrderId: "dup-1") == 1)
    }

    @Test func stopThatWouldTriggerIsRejected() async throws {
        let client = try SimTestClient.make()
        let price = await client.price("BTCUSDT")
        let stop = simFloor(price * Decimal(string: "1.01")!, Decimal(string: "0.01")!)
        let response = await client.order([("symbol", "BTCUSDT"), ("side", "SELL"), ("type", "STOP_LOSS_LIMIT"), ("timeInForce", "GTC"),
                                           ("quantity", "0.001"), ("price", DecimalText.format(stop)), ("stopPrice", DecimalText.format(stop))])
        expectRejected(response, code: -2010, message: "Order would trigger immediately.")
    }

    @Test func unknownOrderCancelAndQuery() async throws {
        let client = try SimTestClient.make()
        let cancel = await client.signed(.delete, "/api/v3/order", [("symbol", "BTCUSDT"), ("orderId", "999")])
        expectRejected(cancel, code: -2011, message: "Unknown order sent.")
        let query = await client.signed(.get, "/api/v3/order", [("symbol", "BTCUSDT"), ("origClientOrderId", "nothing")])
        expectRejected(query, code: -2013, message: "Order does not exist.")
        let none = await client.signed(.delete, "/api/v3/openOrders", [("symbol", "BTCUSDT")])
        expectRejected(none, code: -2011, message: "Unknown order sent.")
        let neither = await client.signed(.get, "/api/v3/order", [("symbol", "BTCUSDT")])
        expectRejected(neither, code: -1102, message: "Param 'origClientOrderId' or 'orderId' must be sent, but both were empty/null!")
    }

    @Test func malformedParametersAreRejected() async throws {
        let client = try SimTestClient.make()
        let decimalRange = "^([0-9]{1,20})(\\.[0-9]{1,20})?$"
        for bad in ["1e-5", "-0.01", ".5", "5.", "1,5", "0x10"] {
            let response = await client.order([("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "MARKET"), ("quantity", bad)])
            expectRejected(response, code: -1100, message: "Illegal characters found in parameter 'quantity'; legal range is '\(decimalRange)'.")
        }
        let badId = await client.order([("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "MARKET"), ("quantity", "0.001"), ("newClientOrderId", "bad id!")])
        expectRejected(badId, code: -1100, message: "Illegal characters found in parameter 'newClientOrderId'; legal range is '^[a-zA-Z0-9-_]{1,36}$'.")
        let badOrderId = await client.signed(.get, "/api/v3/order", [("symbol", "BTCUSDT"), ("orderId", "12a")])
        expectRejected(badOrderId, code: -1100, message: "Illegal characters found in parameter 'orderId'; legal range is '^[0-9]{1,20}$'.")
    }

    @Test func orderParameterCombinations() async throws {
        let client = try SimTestClient.make()
        expectRejected(await client.order([("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "LIMIT"), ("quantity", "0.001"), ("price", "60000")]),
                       code: -1102, message: "Mandatory parameter 'timeInForce' was not sent, was empty/null, or malformed.")
        expectRejected(await client.order([("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "MARKET"), ("timeInForce", "GTC"), ("quantity", "0.001")]),
                       code: -1106, message: "Parameter 'timeInForce' sent when not required.")
        expectRejected(await client.order([("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "MARKET")]),
                       code: -1102, message: "Param 'quantity' or 'quoteOrderQty' must be sent, but both were empty/null!")
        expectRejected(await client.order([("symbol", "BTCUSDT"), ("side", "HOLD"), ("type", "MARKET"), ("quantity", "0.001")]),
                       code: -1117, message: "Invalid side.")
        expectRejected(await client.order([("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "SPOT"), ("quantity", "0.001")]),
                       code: -1116, message: "Invalid orderType.")
        expectRejected(await client.order([("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "LIMIT"), ("timeInForce", "GTD"), ("quantity", "0.001"), ("price", "60000")]),
                       code: -1115, message: "Invalid timeInForce.")
        expectRejected(await client.order([("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "MARKET"), ("quantity", "0.000000001")]),
                       code: -1111, message: "Parameter 'quantity' has too much precision.")
        expectRejected(await client.order([("symbol", "NOPEUSDT"), ("side", "BUY"), ("type", "MARKET"), ("quantity", "1")]),
                       code: -1121, message: "Invalid symbol.")
        expectRejected(await client.order([("side", "BUY"), ("type", "MARKET"), ("quantity", "1")]),
                       code: -1102, message: "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed.")
        #expect(client.exchange.openOrderCount == 0)
    }

    @Test func testOrderValidatesWithoutPlacing() async throws {
        let client = try SimTestClient.make()
        let ok = await client.signed(.post, "/api/v3/order/test", [("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "MARKET"), ("quantity", "0.001")])
        #expect(String(decoding: ok.body, as: UTF8.self) == "{}")
        let bad = await client.signed(.post, "/api/v3/order/test", [("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "MARKET"), ("quantity", "0.000015")])
        expectRejected(bad, code: -1013, message: "Filter failure: LOT_SIZE")
        let rates = await client.signed(.post, "/api/v3/order/test", [("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "MARKET"), ("quantity", "0.001"), ("computeCommissionRates", "true")])
        let standard = (SimTestClient.json(rates) as? [String: Any])?["standardCommissionForOrder"] as? [String: String]
        #expect(standard == ["maker": "0.00100000", "taker": "0.00100000"])
        #expect(rates.header("x-mbx-order-count-10s") == nil)
        let trades = SimTestClient.json(await client.signed(.get, "/api/v3/myTrades", [("symbol", "BTCUSDT")])) as? [Any]
        #expect(trades?.isEmpty == true)
        #expect(await client.balance("BTC").free == Decimal(string: "0.1")!)
    }
}
