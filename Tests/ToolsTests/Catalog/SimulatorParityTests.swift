import BinanceAPI
import Foundation
import Testing
import TestSupport
@testable import Tools

/// Every tool on the in-process simulator: a sequence of calls runs twice, shell-style on one simulator and
/// MCP-style on another with the same seed and clock, and each pair of results must be equal and conform to
/// the tool's schema. The sequence places, queries and cancels orders, so both accounts change alike.
struct SimulatorParityTests {
    struct Call: Sendable {
        var tool: String
        var shell: [String: String]
        var typed: [String: JSONValue]
    }

    /// Builds a BUY LIMIT order far below the market, which rests on the book. The test fills in `price`.
    static func restingOrder(_ clientOrderID: String) -> Call {
        let arguments = ["symbol": "BTCUSDT", "side": "BUY", "order_type": "LIMIT", "quantity": "0.001",
                         "client_order_id": clientOrderID]
        return Call(tool: "create_order", shell: arguments, typed: arguments.mapValues { .string($0) })
    }

    static let sequence: [Call] = [
        Call(tool: "get_status", shell: [:], typed: [:]),
        Call(tool: "get_ticker_price", shell: ["symbol": "btcusdt"], typed: ["symbol": "BTCUSDT"]),
        Call(tool: "get_ticker", shell: ["symbol": "ETHUSDT"], typed: ["symbol": "ETHUSDT"]),
        Call(tool: "get_order_book", shell: ["symbol": "BTCUSDT", "limit": "5"], typed: ["symbol": "BTCUSDT", "limit": 5]),
        Call(tool: "get_available_assets", shell: ["quote_asset": "usdt", "search": "ETH", "limit": "3"],
             typed: ["quote_asset": "USDT", "search": "ETH", "limit": 3]),
        Call(tool: "get_fee_info", shell: ["symbol": "BTCUSDT"], typed: ["symbol": "BTCUSDT"]),
        Call(tool: "get_balance", shell: ["include_zero": "false"], typed: ["include_zero": false]),
        Call(tool: "get_account_snapshot", shell: ["account_type": "spot"], typed: ["account_type": "SPOT"]),
        Call(tool: "get_klines", shell: ["symbol": "BTCUSDT", "interval": "1H", "limit": "3"],
             typed: ["symbol": "BTCUSDT", "interval": "1h", "limit": 3]),
        Call(tool: "get_recent_trades", shell: ["symbol": "BTCUSDT", "limit": "3"], typed: ["symbol": "BTCUSDT", "limit": 3]),
        Call(tool: "get_avg_price", shell: ["symbol": "BTCUSDT"], typed: ["symbol": "BTCUSDT"]),
        Call(tool: "get_symbol_info", shell: ["symbol": "1inchusdt"], typed: ["symbol": "1INCHUSDT"]),
        Call(tool: "get_funding_rate", shell: ["symbol": "BTCUSDT"], typed: ["symbol": "BTCUSDT"]),
        Call(tool: "get_position_info", shell: [:], typed: [:]),
        Call(tool: "get_pnl", shell: ["limit": "5"], typed: ["limit": 5]),
        Call(tool: "get_liquidation_history", shell: ["limit": "5"], typed: ["limit": 5]),
        Call(tool: "get_deposit_address", shell: ["coin": "btc"], typed: ["coin": "BTC"]),
        Call(tool: "get_deposit_history", shell: ["coin": "usdt"], typed: ["coin": "USDT"]),
        Call(tool: "get_withdraw_history", shell: ["coin": "usdt"], typed: ["coin": "USDT"]),
        Call(tool: "create_order",
             shell: ["symbol": "BTCUSDT", "side": "buy", "order_type": "market", "quantity": "0.00100",
                     "client_order_id": "parity-market"],
             typed: ["symbol": "BTCUSDT", "side": "BUY", "order_type": "MARKET", "quantity": .number(Decimal(string: "0.001")!),
                     "client_order_id": "parity-market"]),
        Call(tool: "preview_order", shell: ["symbol": "BTCUSDT", "side": "sell", "order_type": "market", "quantity": "all"],
             typed: ["symbol": "BTCUSDT", "side": "SELL", "order_type": "MARKET", "quantity": "all"]),
        restingOrder("parity-open"),
        Call(tool: "get_order", shell: ["symbol": "BTCUSDT", "client_order_id": "parity-open"],
             typed: ["symbol": "BTCUSDT", "client_order_id": "parity-open"]),
        Call(tool: "get_open_orders", shell: ["symbol": "BTCUSDT"], typed: ["symbol": "BTCUSDT"]),
        Call(tool: "get_orders", shell: ["symbol": "BTCUSDT", "limit": "10"], typed: ["symbol": "BTCUSDT", "limit": 10]),
        Call(tool: "get_my_trades", shell: ["symbol": "BTCUSDT", "limit": "5"], typed: ["symbol": "BTCUSDT", "limit": 5]),
        Call(tool: "cancel_order", shell: ["symbol": "BTCUSDT", "client_order_id": "parity-open"],
             typed: ["symbol": "BTCUSDT", "client_order_id": "parity-open"]),
        restingOrder("parity-rest"),
        Call(tool: "cancel_open_orders", shell: ["symbol": "btcusdt"], typed: ["symbol": "BTCUSDT"]),
    ]

    @Test func sequenceCoversEveryTool() throws {
        let engine = try ToolsTestEngine.make(transport: ToolsFakeExchange())
        #expect(Set(Self.sequence.map(\.tool)) == Set(engine.tools.map(\.name)))
    }

    @Test func shellAndMCPAgreeOnSimulator() async throws {
        let clock = ToolsTestEngine.simulatorClock()
        async let shellSide = ToolsTestEngine.simulated(seed: 7, clock: clock)
        async let mcpSide = ToolsTestEngine.simulated(seed: 7, clock: clock)
        let shellEngine = try await shellSide
        let mcpEngine = try await mcpSide

        let restingPrice = try await Self.restingPrice(on: shellEngine)
        #expect(try await Self.restingPrice(on: mcpEngine) == restingPrice)
        for var call in Self.sequence {
            if call.tool == "create_order", call.shell["order_type"] == "LIMIT" {
                call.shell["price"] = restingPrice
                call.typed["price"] = .string(restingPrice)
            }
            let fromShell = await shellEngine.invoke(call.tool, arguments: ToolsTestEngine.shellArguments(call.shell),
                                                     invocation: ToolsTestEngine.invocation(.shell))
            let fromMCP = await mcpEngine.invoke(call.tool, arguments: call.typed,
                                                 invocation: ToolsTestEngine.invocation(.mcp))
            #expect(fromShell.isSuccess, "\(call.tool): \(fromShell.structured.serialized())")
            #expect(fromShell == fromMCP, "\(call.tool)")
            let tool = try #require(shellEngine.tool(named: call.tool))
            let data = try #require(fromShell.data, "\(call.tool)")
            #expect(ToolsSchemaChecker.violations(of: data, against: tool.dataSchema) == [], "\(call.tool)")
        }
    }

    /// Half the average price of BTCUSDT, on its tick: inside PERCENT_PRICE_BY_SIDE, far from any ask.
    static func restingPrice(on engine: ToolEngine) async throws -> String {
        let average = await engine.invoke("get_avg_price", arguments: ["symbol": "BTCUSDT"],
                                          invocation: ToolsTestEngine.invocation())
        let price = try #require(average.data?["price"]?.stringValue.flatMap { DecimalText.parse($0) })
        return DecimalText.format(DecimalText.floor(price / 2, toMultipleOf: Decimal(string: "0.01")!))
    }
}
