import BinanceAPI
import Foundation
import Testing
import TestSupport
@testable import Tools

/// Tools on the in-process simulator for what the scripted exchange cannot show: futures rules, iceberg and
/// trailing orders end to end, and the open-order limits counted from the exchange.
struct SimulatorOrderDetailToolTests {
    private func call(_ engine: ToolEngine, _ tool: String, _ arguments: [String: String]) async -> ToolResult {
        await engine.invoke(tool, arguments: ToolsTestEngine.shellArguments(arguments), invocation: ToolsTestEngine.invocation())
    }

    private func filterRule(_ result: ToolResult, _ type: String) -> String? {
        result.data?["filters"]?.arrayValue?.first { $0["filterType"] == .string(type) }?["rule"]?.stringValue
    }

    @Test func symbolInfoDiffersByMarket() async throws {
        let engine = try ToolsTestEngine.simulated(clock: ToolsTestEngine.simulatorClock())
        let spot = await call(engine, "get_symbol_info", ["symbol": "BTCUSDT"])
        let futures = await call(engine, "get_symbol_info", ["symbol": "BTCUSDT", "market": "futures"])
        #expect(futures.isSuccess, "\(futures.structured.serialized())")
        #expect(spot.data?["tickSize"] == "0.01")
        #expect(futures.data?["tickSize"] == "0.1")
        #expect(spot.data?["stepSize"] == "0.00001")
        #expect(futures.data?["stepSize"] == "0.001")
        #expect(futures.data?["market"] == "FUTURES")
        #expect(filterRule(futures, "MIN_NOTIONAL") == "Order value (price × quantity) at least 5 USDT.")
        #expect(filterRule(futures, "MAX_NUM_ORDERS") == "At most 200 open orders on this symbol.")
        #expect(filterRule(spot, "TRAILING_DELTA")
            == "trailing_delta of stop orders that trigger on a rise from 10 to 2000, on a fall from 10 to 2000 basis points (100 is 1 %).")
        let tool = try #require(engine.tool(named: "get_symbol_info"))
        #expect(ToolsSchemaChecker.violations(of: try #require(futures.data), against: tool.dataSchema) == [])
    }

    @Test func futuresOnlySymbolIsUnknownOnFutures() async throws {
        let engine = try ToolsTestEngine.simulated(clock: ToolsTestEngine.simulatorClock())
        let result = await call(engine, "get_symbol_info", ["symbol": "ETHBTC", "market": "FUTURES"])
        #expect(result.error?["type"] == "validation_error")
        #expect(result.error?["message"] == "Unknown symbol 'ETHBTC': it is not listed on USDⓈ-M futures.")
    }

    @Test func icebergOrderIsPlacedAndShown() async throws {
        let engine = try ToolsTestEngine.simulated(clock: ToolsTestEngine.simulatorClock())
        let price = try await Self.halfPrice(engine)
        let placed = await call(engine, "create_order", [
            "symbol": "BTCUSDT", "side": "BUY", "order_type": "LIMIT", "quantity": "0.01", "price": price,
            "iceberg_qty": "0.002", "self_trade_prevention_mode": "expire_maker", "client_order_id": "iceberg-1",
        ])
        #expect(placed.isSuccess, "\(placed.structured.serialized())")
        #expect(placed.data?["placed"]?["icebergQty"] == "0.002")
        #expect(placed.data?["placed"]?["selfTradePreventionMode"] == "EXPIRE_MAKER")
        let queried = await call(engine, "get_order", ["symbol": "BTCUSDT", "client_order_id": "iceberg-1"])
        #expect(queried.data?["order"]?["icebergQty"] == "0.002")
    }

    @Test func trailingStopIsPlacedWithoutStopPrice() async throws {
        let engine = try ToolsTestEngine.simulated(clock: ToolsTestEngine.simulatorClock())
        let price = try await Self.halfPrice(engine)
        let arguments = ["symbol": "BTCUSDT", "side": "SELL", "order_type": "STOP_LOSS_LIMIT", "quantity": "0.001",
                         "price": price, "trailing_delta": "250"]
        let preview = await call(engine, "preview_order", arguments)
        #expect(preview.data?["exchangeVerdict"]?["accepted"] == true, "\(preview.structured.serialized())")
        #expect(preview.data?["order"]?["trailingDelta"] == 250)
        let placed = await call(engine, "create_order", arguments)
        #expect(placed.isSuccess, "\(placed.structured.serialized())")
        #expect(placed.data?["placed"]?["trailingDelta"] == 250)
        #expect(placed.data?["placed"]?["status"] == "NEW")
    }

    @Test func algoOrderLimitIsCheckedLocally() async throws {
        let engine = try ToolsTestEngine.simulated(clock: ToolsTestEngine.simulatorClock())
        let price = try await Self.halfPrice(engine)
        let arguments = ["symbol": "BTCUSDT", "side": "SELL", "order_type": "STOP_LOSS_LIMIT", "quantity": "0.001",
                         "price": price, "trailing_delta": "500"]
        for _ in 0..<5 {
            let placed = await call(engine, "create_order", arguments)
            #expect(placed.isSuccess, "\(placed.structured.serialized())")
        }
        let preview = await call(engine, "preview_order", arguments)
        #expect(preview.error?["type"] == "filter_violation")
        #expect(preview.error?["message"]
            == "Invalid STOP_LOSS_LIMIT order on BTCUSDT: 5 stop and take-profit orders are open and MAX_NUM_ALGO_ORDERS allows at most 5.")
    }

    /// Returns half BTCUSDT's average price on its tick, which rests on the book and passes PERCENT_PRICE_BY_SIDE.
    static func halfPrice(_ engine: ToolEngine) async throws -> String {
        let average = await engine.invoke("get_avg_price", arguments: ["symbol": "BTCUSDT"], invocation: ToolsTestEngine.invocation())
        let price = try #require(average.data?["price"]?.stringValue.flatMap { DecimalText.parse($0) })
        return DecimalText.format(DecimalText.floor(price / 2, toMultipleOf: Decimal(string: "0.01")!))
    }
}
