import BinanceAPI
import Foundation
import Tools

/// A small registry of fake tools shaped like the product's, for shell tests that must not depend on the
/// real tools. Handlers echo their arguments so tests can see what the parser sent.
package enum ShellFakeTools {
    package static let intervals = ["1m", "5m", "15m", "1h", "4h", "1d"]
    package static let orderTypes = ["MARKET", "LIMIT", "STOP_LOSS", "STOP_LOSS_LIMIT"]

    /// Returns the fake tools, in registry order.
    package static func tools() -> [Tool] {
        [
            tool("get_ticker_price", "Ticker price", .market, [.init("symbol", .symbol, required: true, "Trading pair")],
                 examples: ["price BTCUSDT"]) { arguments in
                .object(["symbol": .string(arguments.string("symbol") ?? ""), "price": .string("70000.12000000")])
            },
            tool("get_order_book", "Order book", .market, [
                .init("symbol", .symbol, required: true, "Trading pair"),
                .init("limit", .integer(minimum: 1, maximum: 5000), default: "100", "Levels per side"),
            ], examples: ["book BTCUSDT 5"]) { arguments in
                .object([
                    "symbol": .string(arguments.string("symbol") ?? ""),
                    "limit": .int64(arguments.integer("limit") ?? 100),
                    "bids": .array([.array([.string("69999.50"), .string("0.5")])]),
                    "asks": .array([.array([.string("70000.10"), .string("1.25")])]),
                ])
            },
            tool("get_balance", "Balances", .account, [
                .init("asset", .asset, "Only this asset"),
                .init("include_zero", .boolean, default: "false", "Also list empty balances"),
            ]) { arguments in
                .object(["balances": .array([
                    .object(["asset": .string("BTC"), "free": .string("0.10000000"), "locked": .string("0")]),
                    .object(["asset": .string("USDT"), "free": .string("10000.5"), "locked": .string("12.25")]),
                ])])
            },
            tool("create_order", "Place an order", .trading, orderParameters(),
                 annotations: ToolAnnotations(readOnly: false, destructive: false, idempotent: false)) { arguments in
                arguments.json
            },
            tool("preview_order", "Preview an order", .trading, orderParameters(), annotations: .local) { arguments in
                arguments.json
            },
            tool("get_orders", "Orders", .trading, [
                .init("symbol", .symbol, required: true, "Trading pair"),
                .init("start_time", .timestamp, "From"),
                .init("end_time", .timestamp, "To"),
                .init("limit", .integer(minimum: 1, maximum: 1000), default: "500", "Most orders"),
            ]) { arguments in
                .array([.object([
                    "symbol": .string(arguments.string("symbol") ?? ""), "orderId": .int64(17),
                    "time": .int64(1_767_225_600_000), "price": .string("70000.1"), "side": .string("BUY"),
                ])])
            },
            tool("get_open_orders", "Open orders", .trading, [.init("symbol", .symbol, "Trading pair")]) { _ in
                .array([.object(["symbol": .string("BTCUSDT"), "orderId": .int64(41)]),
                        .object(["symbol": .string("BTCUSDT"), "orderId": .int64(4242)])])
            },
            tool("cancel_order", "Cancel an order", .trading, [
                .init("symbol", .symbol, required: true, "Trading pair"),
                .init("order_id", .orderID, "Exchange order id"),
                .init("client_order_id", .clientOrderID, "Your order id"),
            ], annotations: ToolAnnotations(readOnly: false, destructive: true, idempotent: true)) { arguments in
                arguments.json
            },
            tool("get_klines", "Candlesticks", .market, [
                .init("symbol", .symbol, required: true, "Trading pair"),
                .init("interval", .enumeration(intervals), required: true, "Candle length"),
                .init("limit", .integer(minimum: 1, maximum: 1000), default: "500", "Candles"),
            ]) { arguments in arguments.json },
            tool("get_available_assets", "Trading pairs", .market, [
                .init("quote_asset", .asset, "Quote asset"),
                .init("search", .string, "Text in the symbol"),
            ]) { arguments in arguments.json },
            tool("get_status", "Status", .session, [], annotations: .local) { _ in
                .object(["venue": .string("sim")])
            },
            tool("fail_always", "Always fails", .session, [], annotations: .local) { _ throws(ToolError) in
                throw ToolError(.binanceAPIError, "The exchange said no.", code: -2010, hint: "Try again later.")
            },
        ]
    }

    /// Builds an engine over the fake tools. Its client uses a transport that fails every request.
    /// - Parameter home: `BINANCE_SHELL_HOME` of the engine (audit log, halt file); nil makes a fresh temporary one.
    package static func engine(tools: [Tool] = tools(), home: String? = nil) -> ToolEngine {
        let directory = home ?? (try! BinaryRunner.temporaryHome())
        let configuration = try! Configuration.load(environment: ["BINANCE_SHELL_HOME": directory], envFileText: nil)
        let client = BinanceClient(
            configuration: ClientConfiguration(
                spotBaseURL: "sim://spot",
                futuresBaseURL: "sim://futures",
                credentials: nil,
                recvWindowMilliseconds: 5000
            ),
            transport: UnreachableTransport()
        )
        let services = ToolServices(configuration: configuration, venue: .sim, client: client)
        return ToolEngine(tools: tools, services: services)
    }

    private static func orderParameters() -> [ToolParameter] {
        [
            .init("symbol", .symbol, required: true, "Trading pair"),
            .init("side", .enumeration(["BUY", "SELL"]), required: true, "BUY or SELL"),
            .init("order_type", .enumeration(orderTypes), required: true, "Order type"),
            .init("quantity", .quantity, "Base quantity"),
            .init("price", .decimal, "Limit price"),
            .init("time_in_force", .enumeration(["GTC", "IOC", "FOK"]), "How long the order lives"),
            .init("stop_price", .decimal, "Trigger price"),
            .init("quote_order_qty", .decimal, "Quote quantity for market orders"),
            .init("client_order_id", .clientOrderID, "Your order id"),
        ]
    }

    private static func tool(
        _ name: String,
        _ title: String,
        _ group: ToolGroup,
        _ parameters: [ToolParameter],
        annotations: ToolAnnotations = .read,
        examples: [String] = [],
        handler: @escaping @Sendable (ToolArguments) async throws(ToolError) -> JSONValue
    ) -> Tool {
        Tool(
            name: name,
            title: title,
            summary: title + ".",
            group: group,
            parameters: parameters,
            dataSchema: .object([:]),
            annotations: annotations,
            examples: examples,
            handler: { arguments, _ throws(ToolError) in try await handler(arguments) }
        )
    }
}
