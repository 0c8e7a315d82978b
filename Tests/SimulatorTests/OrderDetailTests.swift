import BinanceAPI
import Foundation
import Testing
import TestSupport
@testable import Simulator

/// Iceberg quantities, self-trade prevention modes and trailing stops: accepted where Binance accepts them,
/// checked against their filters, stored with the order and shown in every order response.
@Suite struct OrderDetailTests {
    private func object(_ response: HTTPResponse) -> [String: Any] {
        SimTestClient.json(response) as? [String: Any] ?? [:]
    }

    private func expectRejected(
        _ response: HTTPResponse,
        code: Int,
        message: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let error = SimTestClient.error(response)
        #expect(error?.code == code, "\(String(decoding: response.body, as: UTF8.self))", sourceLocation: sourceLocation)
        #expect(error?.message == message, sourceLocation: sourceLocation)
    }

    private func query(_ client: SimTestClient, _ symbol: String, _ orderId: Int) async -> [String: Any] {
        object(await client.signed(.get, "/api/v3/order", [("symbol", symbol), ("orderId", String(orderId))]))
    }

    /// Returns a BUY LIMIT price 10 % below the market, on BTCUSDT's tick.
    private func restingPrice(_ client: SimTestClient) async -> String {
        DecimalText.format(simFloor(await client.price("BTCUSDT") * Decimal(string: "0.9")!, Decimal(string: "0.01")!))
    }

    // MARK: - icebergQty and selfTradePreventionMode

    @Test func icebergAndPreventionModeAreStoredAndShown() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sim-\(UUID().uuidString).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let client = try SimTestClient.make(databasePath: path)
        let placed = object(await client.order([
            ("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "LIMIT"), ("timeInForce", "GTC"), ("quantity", "0.01"),
            ("price", await restingPrice(client)), ("icebergQty", "0.002"), ("selfTradePreventionMode", "EXPIRE_MAKER"),
        ]))
        let orderId = try #require(placed["orderId"] as? Int, "\(placed)")
        #expect(placed["icebergQty"] as? String == "0.00200000")
        #expect(placed["selfTradePreventionMode"] as? String == "EXPIRE_MAKER")

        let queried = await query(client, "BTCUSDT", orderId)
        #expect(queried["icebergQty"] as? String == "0.00200000")
        #expect(queried["selfTradePreventionMode"] as? String == "EXPIRE_MAKER")

        let reopened = try SimTestClient.make(databasePath: path)
        let afterRestart = await query(reopened, "BTCUSDT", orderId)
        #expect(afterRestart["icebergQty"] as? String == "0.00200000")
        #expect(afterRestart["selfTradePreventionMode"] as? String == "EXPIRE_MAKER")

        let canceled = object(await reopened.signed(.delete, "/api/v3/order", [("symbol", "BTCUSDT"), ("orderId", String(orderId))]))
        #expect(canceled["icebergQty"] as? String == "0.00200000")
        #expect(canceled["selfTradePreventionMode"] as? String == "EXPIRE_MAKER")
    }

    @Test func plainOrderShowsNoIcebergAndModeNone() async throws {
        let client = try SimTestClient.make()
        let placed = object(await client.order([("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "MARKET"), ("quantity", "0.001")]))
        #expect(placed["icebergQty"] == nil)
        #expect(placed["selfTradePreventionMode"] as? String == "NONE")
        let orderId = try #require(placed["orderId"] as? Int)
        #expect(await query(client, "BTCUSDT", orderId)["icebergQty"] as? String == "0.00000000")
    }

    @Test func icebergRulesAreEnforced() async throws {
        let client = try SimTestClient.make()
        let price = await restingPrice(client)
        let base: [(String, String)] = [("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "LIMIT"), ("quantity", "0.01"), ("price", price)]
        expectRejected(await client.order(base + [("timeInForce", "IOC"), ("icebergQty", "0.002")]),
                       code: -2010, message: "Unsupported order combination")
        expectRejected(await client.order(base + [("timeInForce", "GTC"), ("icebergQty", "0.0009")]),
                       code: -1013, message: "Filter failure: ICEBERG_PARTS")
        expectRejected(await client.order(base + [("timeInForce", "GTC"), ("icebergQty", "0.01")]),
                       code: -2010, message: "IcebergQty exceeds QTY.")
        expectRejected(await client.order([("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "MARKET"), ("quantity", "0.01"), ("icebergQty", "0.002")]),
                       code: -1106, message: "Parameter 'icebergQty' sent when not required.")
        #expect(client.exchange.openOrderCount == 0)
    }

    @Test func preventionModeDefaultsToSymbolDefault() async throws {
        let symbol = SimTestClient.legacyFilterSymbol
            .replacingOccurrences(of: #""permissions":["SPOT"]"#,
                                  with: #""permissions":["SPOT"],"defaultSelfTradePreventionMode":"EXPIRE_TAKER""#)
        let client = try SimTestClient.make(extraSymbols: [symbol])
        let placed = object(await client.order([("symbol", "LEGACYUSDT"), ("side", "BUY"), ("type", "MARKET"), ("quoteOrderQty", "20")]))
        #expect(placed["selfTradePreventionMode"] as? String == "EXPIRE_TAKER", "\(placed)")
    }

    @Test func preventionModeOutsideSymbolListIsRejected() async throws {
        let client = try SimTestClient.make()
        // BTCUSDT's recorded allowedSelfTradePreventionModes lack DECREMENT.
        let response = await client.order([("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "MARKET"), ("quantity", "0.001"),
                                           ("selfTradePreventionMode", "DECREMENT")])
        expectRejected(response, code: -1130, message: "Data sent for parameter 'selfTradePreventionMode' is not valid.")
    }

    // MARK: - trailingDelta

    private func trailingSell(_ client: SimTestClient, delta: String, extra: [(String, String)] = []) async -> HTTPResponse {
        let limit = DecimalText.format(simFloor(await client.price("BTCUSDT") * Decimal(string: "0.5")!, Decimal(string: "0.01")!))
        return await client.order([("symbol", "BTCUSDT"), ("side", "SELL"), ("type", "STOP_LOSS_LIMIT"), ("timeInForce", "GTC"),
                                   ("quantity", "0.001"), ("price", limit), ("trailingDelta", delta),
                                   ("newOrderRespType", "RESULT")] + extra)
    }

    @Test func trailingStopWithoutStopPriceIsAccepted() async throws {
        let client = try SimTestClient.make()
        let placed = object(await trailingSell(client, delta: "100"))
        let orderId = try #require(placed["orderId"] as? Int, "\(placed)")
        #expect(placed["status"] as? String == "NEW")
        #expect(placed["trailingDelta"] as? Int == 100)
        #expect(placed["trailingTime"] as? Int64 == client.clock.now)
        #expect(placed["stopPrice"] == nil)

        let queried = await query(client, "BTCUSDT", orderId)
        #expect(queried["trailingDelta"] as? Int == 100)
        #expect(queried["isWorking"] as? Bool == false)
        #expect(await client.balance("BTC").locked == Decimal(string: "0.001")!)
    }

    @Test(arguments: [
        ("9", "Filter failure: TRAILING_DELTA"),
        ("2001", "Filter failure: TRAILING_DELTA"),
        ("0", "Filter failure: TRAILING_DELTA"),
    ])
    func trailingDeltaOutsideFilterIsRejected(delta: String, message: String) async throws {
        let client = try SimTestClient.make()
        expectRejected(await trailingSell(client, delta: delta), code: -1013, message: message)
        #expect(client.exchange.openOrderCount == 0)
    }

    @Test func trailingDeltaOnLimitOrderIsRejected() async throws {
        let client = try SimTestClient.make()
        let response = await client.order([("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "LIMIT"), ("timeInForce", "GTC"),
                                           ("quantity", "0.001"), ("price", await restingPrice(client)), ("trailingDelta", "100")])
        expectRejected(response, code: -1106, message: "Parameter 'trailingDelta' sent when not required.")
        let malformed = await trailingSell(client, delta: "1.5")
        expectRejected(malformed, code: -1100, message: "Illegal characters found in parameter 'trailingDelta'; legal range is '^[0-9]{1,20}$'.")
    }

    @Test func trailingStopIsRejectedWhereSymbolForbidsIt() async throws {
        let symbol = SimTestClient.legacyFilterSymbol
            .replacingOccurrences(of: #""orderTypes":["LIMIT","LIMIT_MAKER","MARKET"]"#,
                                  with: #""orderTypes":["LIMIT","MARKET","STOP_LOSS_LIMIT"],"allowTrailingStop":false"#)
        let client = try SimTestClient.make(extraSymbols: [symbol])
        let price = await client.price("LEGACYUSDT")
        let limit = DecimalText.format(simFloor(price * Decimal(string: "0.6")!, Decimal(string: "0.001")!))
        let quantity = DecimalText.format(simFloor(Decimal(20) / price, Decimal(string: "0.01")!))
        let response = await client.order([("symbol", "LEGACYUSDT"), ("side", "BUY"), ("type", "STOP_LOSS_LIMIT"), ("timeInForce", "GTC"),
                                           ("quantity", quantity), ("price", limit), ("trailingDelta", "100")])
        expectRejected(response, code: -2010, message: "Trailing stop orders are not supported for this symbol.")
    }

    @Test func trailingStopTriggersAfterPullback() async throws {
        let client = try SimTestClient.make()
        let tight = try #require(object(await trailingSell(client, delta: "10"))["orderId"] as? Int)
        let wide = try #require(object(await trailingSell(client, delta: "2000"))["orderId"] as? Int)
        let start = client.clock.now

        var triggered: [String: Any] = [:]
        for _ in 0..<48 where triggered.isEmpty {
            client.clock.advance(milliseconds: 1_800_000)
            let order = await query(client, "BTCUSDT", tight)
            if order["status"] as? String != "NEW" { triggered = order }
        }
        // A 0.1 % pullback from the highest price happens within a day of recorded BTCUSDT prices.
        #expect(triggered["status"] as? String == "FILLED", "\(triggered)")
        #expect(triggered["isWorking"] as? Bool == true)
        #expect((triggered["workingTime"] as? Int64 ?? 0) > start)
        // A 20 % pullback does not.
        let untouched = await query(client, "BTCUSDT", wide)
        #expect(untouched["status"] as? String == "NEW")
        #expect(untouched["isWorking"] as? Bool == false)
    }

    @Test func trailingStopWithStopPriceWaitsForIt() async throws {
        let client = try SimTestClient.make()
        let current = await client.price("BTCUSDT")
        // A SELL stop far below the market: tracking starts only once the price falls to it.
        let stop = DecimalText.format(simFloor(current * Decimal(string: "0.7")!, Decimal(string: "0.01")!))
        let placed = object(await trailingSell(client, delta: "10", extra: [("stopPrice", stop)]))
        let orderId = try #require(placed["orderId"] as? Int, "\(placed)")
        #expect(placed["trailingTime"] as? Int == -1)
        #expect(placed["stopPrice"] as? String == DecimalText.format(Decimal(string: stop)!, scale: 8))
        client.clock.advance(milliseconds: 3_600_000)
        let later = await query(client, "BTCUSDT", orderId)
        #expect(later["status"] as? String == "NEW")
        #expect(later["trailingTime"] as? Int == -1)
    }

    @Test func algoOrderLimitCountsTrailingStops() async throws {
        let client = try SimTestClient.make()
        for _ in 0..<5 {
            let placed = await trailingSell(client, delta: "500")
            #expect(placed.status == 200, "\(String(decoding: placed.body, as: UTF8.self))")
        }
        expectRejected(await trailingSell(client, delta: "500"), code: -1013, message: "Filter failure: MAX_NUM_ALGO_ORDERS")
    }
}
