import Foundation
import Testing
import Tools

/// One call per tool: the arguments as the shell's parser produces them (every value a string) and the same
/// call as an MCP client sends it (typed JSON values).
struct ToolCall: CustomTestStringConvertible, Sendable {
    var tool: String
    var shell: [String: String]
    var typed: [String: JSONValue]
    var testDescription: String { tool }

    /// A call on every tool of the catalogue, in catalogue order.
    static let everyTool: [ToolCall] = [
        ToolCall(tool: "get_ticker_price", shell: ["symbol": "btcusdt"], typed: ["symbol": "BTCUSDT"]),
        ToolCall(tool: "get_ticker", shell: ["symbol": "BNBBTC"], typed: ["symbol": "BNBBTC"]),
        ToolCall(tool: "get_order_book", shell: ["symbol": "BTCUSDT", "limit": "5"],
                 typed: ["symbol": "BTCUSDT", "limit": 5]),
        ToolCall(tool: "get_available_assets", shell: ["quote_asset": "usdt", "limit": "2"],
                 typed: ["quote_asset": "USDT", "limit": 2]),
        ToolCall(tool: "get_fee_info", shell: ["symbol": "ADABNB"], typed: ["symbol": "ADABNB"]),
        ToolCall(tool: "get_balance", shell: ["include_zero": "true"], typed: ["include_zero": true]),
        ToolCall(tool: "get_account_snapshot", shell: ["account_type": "spot"], typed: ["account_type": "SPOT"]),
        ToolCall(tool: "get_orders", shell: ["symbol": "LTCBTC", "start_time": "2024-01-01", "end_time": "1704088800000"],
                 typed: ["symbol": "LTCBTC", "start_time": .int64(1_704_067_200_000), "end_time": .int64(1_704_088_800_000)]),
        ToolCall(tool: "create_order",
                 shell: ["symbol": "BTCUSDT", "side": "buy", "order_type": "limit", "quantity": "0.00100",
                         "price": "65000.00", "client_order_id": "parity-1"],
                 typed: ["symbol": "BTCUSDT", "side": "BUY", "order_type": "LIMIT", "quantity": .number(Decimal(string: "0.001")!),
                         "price": 65000, "client_order_id": "parity-1"]),
        ToolCall(tool: "get_position_info", shell: ["include_empty": "false"], typed: ["include_empty": false]),
        ToolCall(tool: "get_pnl", shell: ["start_time": "1700000000000", "end_time": "2023-11-15T22:13:20Z"],
                 typed: ["start_time": .int64(1_700_000_000_000), "end_time": .int64(1_700_086_400_000)]),
        ToolCall(tool: "get_liquidation_history", shell: ["symbol": "BTCUSDT", "limit": "10"],
                 typed: ["symbol": "BTCUSDT", "limit": 10]),
        ToolCall(tool: "get_deposit_address", shell: ["coin": "btc", "network": "btc"], typed: ["coin": "BTC", "network": "BTC"]),
        ToolCall(tool: "get_deposit_history", shell: ["coin": "BNB", "limit": "5"], typed: ["coin": "BNB", "limit": 5]),
        ToolCall(tool: "get_withdraw_history", shell: ["coin": "usdt"], typed: ["coin": "USDT"]),
        ToolCall(tool: "preview_order", shell: ["symbol": "BTCUSDT", "side": "SELL", "order_type": "MARKET", "quantity": "all"],
                 typed: ["symbol": "BTCUSDT", "side": "SELL", "order_type": "MARKET", "quantity": "all"]),
        ToolCall(tool: "cancel_order", shell: ["symbol": "LTCBTC", "order_id": "1"], typed: ["symbol": "LTCBTC", "order_id": 1]),
        ToolCall(tool: "cancel_open_orders", shell: ["symbol": "ltcbtc"], typed: ["symbol": "LTCBTC"]),
        ToolCall(tool: "get_order", shell: ["symbol": "LTCBTC", "client_order_id": "myOrder1"],
                 typed: ["symbol": "LTCBTC", "client_order_id": "myOrder1"]),
        ToolCall(tool: "get_open_orders", shell: ["symbol": "LTCBTC"], typed: ["symbol": "LTCBTC"]),
        ToolCall(tool: "get_my_trades", shell: ["symbol": "BNBBTC", "limit": "3"], typed: ["symbol": "BNBBTC", "limit": 3]),
        ToolCall(tool: "get_klines", shell: ["symbol": "BTCUSDT", "interval": "1H", "limit": "2"],
                 typed: ["symbol": "BTCUSDT", "interval": "1h", "limit": 2]),
        ToolCall(tool: "get_recent_trades", shell: ["symbol": "BTCUSDT", "limit": "1"], typed: ["symbol": "BTCUSDT", "limit": 1]),
        ToolCall(tool: "get_avg_price", shell: ["symbol": "BTCUSDT"], typed: ["symbol": "BTCUSDT"]),
        ToolCall(tool: "get_symbol_info", shell: ["symbol": "btcusdt", "market": "futures"],
                 typed: ["symbol": "BTCUSDT", "market": "FUTURES"]),
        ToolCall(tool: "get_funding_rate", shell: ["symbol": "BTCUSDT"], typed: ["symbol": "BTCUSDT"]),
        ToolCall(tool: "get_status", shell: [:], typed: [:]),
    ]
}
