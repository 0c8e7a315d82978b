import BinanceAPI
import Foundation
import Testing
import TestSupport
@testable import Tools

/// Every tool of the registry that takes a time range, found by its `start_time` parameter, so a new history
/// tool is checked without being listed here. The range reaches Binance as `startTime` and `endTime` in
/// milliseconds, and a `limit` keeps the result small.
struct HistoryToolTests {
    /// Values for a tool's required parameters, chosen by kind.
    static func requiredArguments(of tool: Tool) -> [String: String] {
        var arguments: [String: String] = [:]
        for parameter in tool.parameters where parameter.isRequired {
            switch parameter.kind {
            case .symbol: arguments[parameter.name] = "BTCUSDT"
            case .asset: arguments[parameter.name] = "USDT"
            case .enumeration(let values): arguments[parameter.name] = values.first
            default: Issue.record("\(tool.name): no test value for required '\(parameter.name)'")
            }
        }
        return arguments
    }

    static func historyTools() throws -> [Tool] {
        try ToolsTestEngine.make(transport: ToolsFakeExchange()).tools.filter { $0.parameter(named: "start_time") != nil }
    }

    @Test func historyToolsAreFound() throws {
        let names = Set(try Self.historyTools().map(\.name))
        // Tools whose Binance endpoints take a time range. More may join.
        #expect(names.isSuperset(of: ["get_orders", "get_my_trades", "get_klines", "get_liquidation_history",
                                      "get_deposit_history", "get_withdraw_history", "get_pnl"]))
    }

    @Test func everyHistoryToolTakesEndTimeAndLimit() throws {
        for tool in try Self.historyTools() {
            #expect(tool.parameter(named: "end_time") != nil, "\(tool.name) has start_time but no end_time")
            guard case .integer(let minimum, let maximum)? = tool.parameter(named: "limit")?.kind else {
                Issue.record("\(tool.name) has no integer limit")
                continue
            }
            #expect(minimum >= 1, "\(tool.name)")
            #expect(maximum <= 5000, "\(tool.name)")
        }
    }

    @Test func everyRangeReachesBinanceInMilliseconds() async throws {
        for tool in try Self.historyTools() {
            let exchange = ToolsFakeExchange()
            let engine = try ToolsTestEngine.make(transport: exchange)
            var arguments = Self.requiredArguments(of: tool)
            arguments["start_time"] = "2024-01-01"
            arguments["end_time"] = "2024-01-01T12:00:00Z"
            let result = await engine.invoke(tool.name, arguments: ToolsTestEngine.shellArguments(arguments),
                                             invocation: ToolsTestEngine.invocation())
            #expect(result.isSuccess, "\(tool.name): \(result.structured.serialized())")
            let ranged = await exchange.requests.map(\.toolsDecodedParameters).filter { $0["startTime"] != nil }
            #expect(!ranged.isEmpty, "\(tool.name) sent no startTime")
            for sent in ranged {
                #expect(sent["startTime"] == "1704067200000", "\(tool.name)")
                #expect(sent["endTime"] == "1704110400000", "\(tool.name)")
                #expect(sent["start_time"] == nil, "\(tool.name)")
            }
        }
    }

    @Test func reversedRangeIsRejectedBeforeSending() async throws {
        for tool in try Self.historyTools() {
            let exchange = ToolsFakeExchange()
            let engine = try ToolsTestEngine.make(transport: exchange)
            var arguments = Self.requiredArguments(of: tool)
            arguments["start_time"] = "2024-01-02"
            arguments["end_time"] = "2024-01-01"
            let result = await engine.invoke(tool.name, arguments: ToolsTestEngine.shellArguments(arguments),
                                             invocation: ToolsTestEngine.invocation())
            #expect(result.error?["type"] == "validation_error", "\(tool.name)")
            #expect(result.error?["message"]
                == "Invalid time range: start_time '2024-01-02' must be earlier than end_time '2024-01-01'.", "\(tool.name)")
            #expect(await exchange.requests.isEmpty, "\(tool.name) sent a request")
        }
    }
}
