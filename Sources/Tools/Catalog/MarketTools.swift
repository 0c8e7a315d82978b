import BinanceAPI
import Foundation

/// Public market data tools: prices, tickers, the order book, symbols, klines and trades.
enum MarketTools {
    static func tickerPrice(_ gateway: ExchangeGateway) -> Tool {
        let fields = [DataField("symbol", .string), DataField("price", .decimal)]
        return Tool(
            name: "get_ticker_price",
            title: "Ticker price",
            summary: "Latest price of one symbol.",
            group: .market,
            parameters: [Parameters.symbol()],
            dataSchema: DataShape.object(fields),
            annotations: .read,
            examples: ["get_ticker_price symbol=BTCUSDT", "price BTCUSDT"],
            layout: TableLayout(rows: nil, columns: ["symbol", "price"], decimalColumns: ["price"])
        ) { arguments, context throws(ToolError) in
            let gateway = gateway.bound(to: context.invocation)
            let payload = try await gateway.json(.tickerPrice, ["symbol": arguments.string("symbol") ?? ""])
            return try DataShape.map(payload, fields)
        }
    }

    static let tickerFields: [DataField] = [
        DataField("symbol", .string),
        DataField("lastPrice", .decimal),
        DataField("priceChange", .decimal),
        DataField("priceChangePercent", .decimal),
        DataField("weightedAvgPrice", .decimal, optional: true),
        DataField("openPrice", .decimal),
        DataField("highPrice", .decimal),
        DataField("lowPrice", .decimal),
        DataField("prevClosePrice", .decimal, optional: true),
        DataField("bidPrice", .decimal, optional: true),
        DataField("askPrice", .decimal, optional: true),
        DataField("volume", .decimal),
        DataField("quoteVolume", .decimal),
        DataField("openTime", .integer),
        DataField("closeTime", .integer),
        DataField("count", .integer, optional: true),
    ]

    static func ticker(_ gateway: ExchangeGateway) -> Tool {
        Tool(
            name: "get_ticker",
            title: "24-hour ticker",
            summary: "Price change, high, low and volume of one symbol over the last 24 hours.",
            group: .market,
            parameters: [Parameters.symbol()],
            dataSchema: DataShape.object(tickerFields),
            annotations: .read,
            examples: ["get_ticker symbol=ETHUSDT"],
            layout: TableLayout(
                rows: nil,
                columns: ["symbol", "lastPrice", "priceChangePercent", "highPrice", "lowPrice", "volume"],
                decimalColumns: ["lastPrice", "priceChangePercent", "highPrice", "lowPrice", "volume"]
            )
        ) { arguments, context throws(ToolError) in
            let gateway = gateway.bound(to: context.invocation)
            let payload = try await gateway.json(.ticker24hr, ["symbol": arguments.string("symbol") ?? ""])
            return try DataShape.map(payload, tickerFields)
        }
    }

    static func orderBook(_ gateway: ExchangeGateway) -> Tool {
        let level = DataShape.object(["price": DataShape.decimal, "quantity": DataShape.decimal], required: ["price", "quantity"])
        let schema = DataShape.object(
            [
                "symbol": DataShape.string,
                "lastUpdateId": DataShape.integer,
                "bids": DataShape.array(of: level),
                "asks": DataShape.array(of: level),
                "bidCount": DataShape.integer,
                "askCount": DataShape.integer,
            ],
            required: ["symbol", "lastUpdateId", "bids", "asks", "bidCount", "askCount"]
        )
        return Tool(
            name: "get_order_book",
            title: "Order book",
            summary: "Best bids and asks of one symbol, best first.",
            group: .market,
            parameters: [
                Parameters.symbol(),
                Parameters.limit(1, 5000, default: 100, "Price levels per side, at most 5000."),
            ],
            dataSchema: schema,
            annotations: .read,
            examples: ["get_order_book symbol=BTCUSDT limit=5", "book BTCUSDT 5"],
            layout: TableLayout(rows: "asks", columns: ["price", "quantity"], decimalColumns: ["price", "quantity"])
        ) { arguments, context throws(ToolError) in
            let gateway = gateway.bound(to: context.invocation)
            let symbol = arguments.string("symbol") ?? ""
            let limit = arguments.integer("limit", default: 100)
            let payload = try await gateway.json(.depth, ["symbol": symbol, "limit": String(limit)])
            guard let updateID = payload["lastUpdateId"]?.decimalValue else {
                throw ToolError(.internalError, "Unexpected response: the order book lacks 'lastUpdateId'.")
            }
            let bids = try levels(payload["bids"])
            let asks = try levels(payload["asks"])
            return [
                "symbol": .string(symbol),
                "lastUpdateId": .number(updateID),
                "bids": .array(bids),
                "asks": .array(asks),
                "bidCount": .int(bids.count),
                "askCount": .int(asks.count),
            ]
        }
    }

    /// Converts Binance's `[["price", "qty"], …]` levels into objects.
    static func levels(_ raw: JSONValue?) throws(ToolError) -> [JSONValue] {
        guard let entries = raw?.arrayValue else {
            throw ToolError(.internalError, "Unexpected response: the order book lacks its price levels.")
        }
        var output: [JSONValue] = []
        for entry in entries {
            guard let pair = entry.arrayValue, pair.count >= 2,
                let price = DataShape.decimalText(pair[0]), let quantity = DataShape.decimalText(pair[1])
            else {
                throw ToolError(.internalError, "Unexpected response: malformed order book level \(entry.serialized()).")
            }
            output.append(["price": .string(price), "quantity": .string(quantity)])
        }
        return output
    }

    static func availableAssets(_ gateway: ExchangeGateway) -> Tool {
        let symbolSchema = DataShape.object(
            [
                "symbol": DataShape.string,
                "status": DataShape.string,
                "baseAsset": DataShape.string,
                "quoteAsset": DataShape.string,
            ],
            required: ["symbol", "status", "baseAsset", "quoteAsset"]
        )
        let schema = DataShape.object(
            [
                "total": DataShape.integer,
                "offset": DataShape.integer,
                "limit": DataShape.integer,
                "returned": DataShape.integer,
                "hasMore": DataShape.boolean,
                "nextOffset": DataShape.integer,
                "symbols": DataShape.array(of: symbolSchema),
            ],
            required: ["total", "offset", "limit", "returned", "hasMore", "symbols"]
        )
        let statuses = ["TRADING", "BREAK", "HALT", "END_OF_DAY", "PRE_TRADING", "POST_TRADING", "AUCTION_MATCH", "ANY"]
        return Tool(
            name: "get_available_assets",
            title: "Available symbols",
            summary: "Symbols of the exchange, filtered and paged: at most 'limit' per call, from 'offset'.",
            group: .market,
            parameters: [
                ToolParameter("quote_asset", .asset, "Only symbols quoted in this asset, such as USDT."),
                ToolParameter("base_asset", .asset, "Only symbols of this base asset, such as BTC."),
                ToolParameter("status", .enumeration(statuses), default: "TRADING", "Only symbols in this status; ANY for all."),
                ToolParameter("search", .asset, "Only symbols whose name contains this text, such as BTC."),
                Parameters.limit(1, 500, default: 50, "Symbols per page, at most 500."),
                ToolParameter("offset", .integer(minimum: 0, maximum: 100_000), default: "0", "Symbols to skip: the previous page's nextOffset."),
            ],
            dataSchema: schema,
            annotations: .read,
            examples: ["get_available_assets quote_asset=USDT search=BTC limit=10"],
            layout: TableLayout(rows: "symbols", columns: ["symbol", "status", "baseAsset", "quoteAsset"])
        ) { arguments, context throws(ToolError) in
            let gateway = gateway.bound(to: context.invocation)
            let all = try await gateway.exchangeInfo.allSymbols(market: .spot)
            let quote = arguments.string("quote_asset")
            let base = arguments.string("base_asset")
            let status = arguments.string("status") ?? "TRADING"
            let search = arguments.string("search")
            let matching = all.filter { rules in
                (quote == nil || rules.quoteAsset == quote) && (base == nil || rules.baseAsset == base)
                    && (status == "ANY" || rules.status == status)
                    && (search == nil || rules.symbol.contains(search!))
            }
            let limit = Int(arguments.integer("limit", default: 50))
            let offset = min(Int(arguments.integer("offset", default: 0)), matching.count)
            let page = matching[offset..<min(offset + limit, matching.count)]
            var data: [String: JSONValue] = [
                "total": .int(matching.count),
                "offset": .int(offset),
                "limit": .int(limit),
                "returned": .int(page.count),
                "hasMore": .bool(offset + page.count < matching.count),
                "symbols": .array(page.map { rules in
                    [
                        "symbol": .string(rules.symbol),
                        "status": .string(rules.status),
                        "baseAsset": .string(rules.baseAsset),
                        "quoteAsset": .string(rules.quoteAsset),
                    ]
                }),
            ]
            if offset + page.count < matching.count { data["nextOffset"] = .int(offset + page.count) }
            return .object(data)
        }
    }

    static func klines(_ gateway: ExchangeGateway) -> Tool {
        let klineFields = ["openTime", "open", "high", "low", "close", "volume", "closeTime", "quoteVolume", "trades"]
        let decimalFields: Set<String> = ["open", "high", "low", "close", "volume", "quoteVolume"]
        let kline = DataShape.object(
            Dictionary(uniqueKeysWithValues: klineFields.map { ($0, decimalFields.contains($0) ? DataShape.decimal : DataShape.integer) }),
            required: klineFields
        )
        let schema = DataShape.object(
            ["symbol": DataShape.string, "interval": DataShape.string, "klines": DataShape.array(of: kline)],
            required: ["symbol", "interval", "klines"]
        )
        return Tool(
            name: "get_klines",
            title: "Klines",
            summary: "Candlesticks (open, high, low, close, volume) of one symbol, oldest first.",
            group: .market,
            parameters: [
                Parameters.symbol(),
                ToolParameter("interval", .enumeration(Parameters.klineIntervals), required: true,
                              "Candle length: 1s, 1m, 3m, 5m, 15m, 30m, 1h, 2h, 4h, 6h, 8h, 12h, 1d, 3d, 1w or 1M (month)."),
                Parameters.startTime,
                Parameters.endTime,
                Parameters.limit(1, 1000, default: 100, "Candles to return, at most 1000."),
            ],
            dataSchema: schema,
            annotations: .read,
            examples: ["get_klines symbol=BTCUSDT interval=1h limit=24"],
            layout: TableLayout(
                rows: "klines",
                columns: ["openTime", "open", "high", "low", "close", "volume"],
                decimalColumns: ["open", "high", "low", "close", "volume"]
            )
        ) { arguments, context throws(ToolError) in
            let gateway = gateway.bound(to: context.invocation)
            let symbol = arguments.string("symbol") ?? ""
            let interval = arguments.string("interval") ?? ""
            var parameters: RequestParameters = ["symbol": symbol, "interval": interval]
            parameters.copy("start_time", as: "startTime", from: arguments)
            parameters.copy("end_time", as: "endTime", from: arguments)
            parameters.set("limit", String(arguments.integer("limit", default: 100)))
            let payload = try await gateway.json(.klines, parameters)
            guard let rows = payload.arrayValue else {
                throw ToolError(.internalError, "Unexpected response: klines are not an array.")
            }
            var klines: [JSONValue] = []
            for row in rows {
                guard let values = row.arrayValue, values.count >= 9 else {
                    throw ToolError(.internalError, "Unexpected response: malformed kline \(row.serialized().prefix(200)).")
                }
                var kline: [String: JSONValue] = [:]
                for (index, name) in [0: "openTime", 1: "open", 2: "high", 3: "low", 4: "close", 5: "volume",
                                      6: "closeTime", 7: "quoteVolume", 8: "trades"].sorted(by: { $0.key < $1.key }) {
                    let kind: DataField.Kind = decimalFields.contains(name) ? .decimal : .integer
                    guard let value = DataShape.convert(values[index], to: kind) else {
                        throw ToolError(.internalError, "Unexpected response: malformed kline \(row.serialized().prefix(200)).")
                    }
                    kline[name] = value
                }
                klines.append(.object(kline))
            }
            return ["symbol": .string(symbol), "interval": .string(interval), "klines": .array(klines)]
        }
    }

    static func recentTrades(_ gateway: ExchangeGateway) -> Tool {
        let fields = [
            DataField("id", .integer),
            DataField("price", .decimal),
            DataField("qty", .decimal),
            DataField("quoteQty", .decimal, optional: true),
            DataField("time", .integer),
            DataField("isBuyerMaker", .boolean),
        ]
        let schema = DataShape.object(
            ["symbol": DataShape.string, "trades": DataShape.array(of: DataShape.object(fields))],
            required: ["symbol", "trades"]
        )
        return Tool(
            name: "get_recent_trades",
            title: "Recent trades",
            summary: "The latest public trades of one symbol, oldest first.",
            group: .market,
            parameters: [Parameters.symbol(), Parameters.limit(1, 1000, default: 100, "Trades to return, at most 1000.")],
            dataSchema: schema,
            annotations: .read,
            examples: ["get_recent_trades symbol=BTCUSDT limit=20"],
            layout: TableLayout(rows: "trades", columns: ["id", "price", "qty", "time", "isBuyerMaker"],
                                decimalColumns: ["price", "qty"])
        ) { arguments, context throws(ToolError) in
            let gateway = gateway.bound(to: context.invocation)
            let symbol = arguments.string("symbol") ?? ""
            let payload = try await gateway.json(
                .trades,
                ["symbol": symbol, "limit": String(arguments.integer("limit", default: 100))]
            )
            return ["symbol": .string(symbol), "trades": .array(try DataShape.mapArray(payload, fields))]
        }
    }

    static func averagePrice(_ gateway: ExchangeGateway) -> Tool {
        let fields = [
            DataField("symbol", .string),
            DataField("mins", .integer),
            DataField("price", .decimal),
            DataField("closeTime", .integer, optional: true),
        ]
        return Tool(
            name: "get_avg_price",
            title: "Average price",
            summary: "Volume-weighted average price of one symbol over the last few minutes, as the exchange's filters use it.",
            group: .market,
            parameters: [Parameters.symbol()],
            dataSchema: DataShape.object(fields),
            annotations: .read,
            examples: ["get_avg_price symbol=BTCUSDT"],
            layout: TableLayout(rows: nil, columns: ["symbol", "mins", "price"], decimalColumns: ["price"])
        ) { arguments, context throws(ToolError) in
            let gateway = gateway.bound(to: context.invocation)
            let symbol = arguments.string("symbol") ?? ""
            var payload = try await gateway.json(.avgPrice, ["symbol": symbol])
            if case .object(var members) = payload {
                members["symbol"] = .string(symbol)
                payload = .object(members)
            }
            return try DataShape.map(payload, fields)
        }
    }
}
