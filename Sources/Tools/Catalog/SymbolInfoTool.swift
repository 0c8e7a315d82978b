import BinanceAPI
import Foundation

/// `get_symbol_info`: a symbol's trading rules from the cached exchangeInfo, with each filter explained.
enum SymbolInfoTool {
    static func make(_ gateway: ExchangeGateway) -> Tool {
        let filterSchema = DataShape.object(
            ["filterType": DataShape.string, "rule": DataShape.string],
            required: ["filterType", "rule"]
        )
        let schema = DataShape.object(
            [
                "symbol": DataShape.string,
                "market": DataShape.string,
                "status": DataShape.string,
                "baseAsset": DataShape.string,
                "quoteAsset": DataShape.string,
                "orderTypes": DataShape.array(of: DataShape.string),
                "tickSize": DataShape.decimal,
                "stepSize": DataShape.decimal,
                "filters": DataShape.array(of: filterSchema),
            ],
            required: ["symbol", "market", "status", "baseAsset", "quoteAsset", "orderTypes", "tickSize", "stepSize",
                       "filters"]
        )
        return Tool(
            name: "get_symbol_info",
            title: "Symbol rules",
            summary: "Trading rules of one symbol: status, order types, and every filter in plain words.",
            group: .market,
            parameters: [
                Parameters.symbol(),
                ToolParameter("market", .enumeration(["SPOT", "FUTURES"]), default: "SPOT",
                              "SPOT, or FUTURES for USDⓈ-M futures, whose rules differ."),
            ],
            dataSchema: schema,
            annotations: .read,
            examples: ["get_symbol_info symbol=BTCUSDT", "get_symbol_info symbol=BTCUSDT market=FUTURES"],
            layout: TableLayout(rows: "filters", columns: ["filterType", "rule"])
        ) { arguments, context throws(ToolError) in
            let gateway = gateway.bound(to: context.invocation)
            let market: Market = arguments.string("market") == "FUTURES" ? .futures : .spot
            let rules = try await gateway.exchangeInfo.rules(for: arguments.string("symbol") ?? "", market: market)
            return [
                "symbol": .string(rules.symbol),
                "market": .string(market == .futures ? "FUTURES" : "SPOT"),
                "status": .string(rules.status),
                "baseAsset": .string(rules.baseAsset),
                "quoteAsset": .string(rules.quoteAsset),
                "orderTypes": .array(rules.orderTypes.map { .string($0) }),
                "tickSize": .string(DecimalText.format(rules.tickSize)),
                "stepSize": .string(DecimalText.format(rules.stepSize)),
                "filters": .array(rules.filters.map { filter in
                    ["filterType": .string(filter.filterType), "rule": .string(explain(filter, rules: rules))]
                }),
            ]
        }
    }

    /// One sentence saying what an order must satisfy to pass the filter.
    static func explain(_ filter: SymbolFilter, rules: SymbolRules) -> String {
        let quote = rules.quoteAsset
        func text(_ value: DecimalValue?) -> String { value.map { DecimalText.format($0.value) } ?? "0" }
        switch filter.filterType {
        case "PRICE_FILTER":
            return "Price from \(text(filter.minPrice)) to \(text(filter.maxPrice)) \(quote), in steps of "
                + "\(text(filter.tickSize)) (0 means no limit)."
        case "LOT_SIZE":
            return "Quantity from \(text(filter.minQty)) to \(text(filter.maxQty)) \(rules.baseAsset), in steps of "
                + "\(text(filter.stepSize))."
        case "MARKET_LOT_SIZE":
            return "MARKET order quantity from \(text(filter.minQty)) to \(text(filter.maxQty)) \(rules.baseAsset), "
                + "in steps of \(text(filter.stepSize)) (0 means no limit)."
        case "NOTIONAL":
            let market = filter.applyMinToMarket == false ? "; MARKET orders are exempt from the minimum" : ""
            return "Order value (price × quantity) from \(text(filter.minNotional)) to \(text(filter.maxNotional)) "
                + "\(quote)\(market)."
        case "MIN_NOTIONAL":
            let minimum = filter.minNotional ?? filter.notional
            return "Order value (price × quantity) at least \(text(minimum)) \(quote)."
        case "PERCENT_PRICE_BY_SIDE":
            return "BUY prices from \(text(filter.bidMultiplierDown)) to \(text(filter.bidMultiplierUp)) times, SELL "
                + "prices from \(text(filter.askMultiplierDown)) to \(text(filter.askMultiplierUp)) times the "
                + "average price of the last \(filter.avgPriceMins ?? 0) minutes."
        case "PERCENT_PRICE":
            return "Price from \(text(filter.multiplierDown)) to \(text(filter.multiplierUp)) times the average price."
        case "ICEBERG_PARTS":
            return "An iceberg order has at most \(filter.limit ?? 0) visible parts."
        case "MAX_NUM_ORDERS":
            return "At most \(filter.maxNumOrders ?? filter.limit ?? 0) open orders on this symbol."
        case "MAX_NUM_ALGO_ORDERS":
            return "At most \(filter.maxNumAlgoOrders ?? filter.limit ?? 0) open stop and take-profit orders."
        case "TRAILING_DELTA":
            func bound(_ value: Int?) -> String { value.map(String.init) ?? "?" }
            return "trailing_delta of stop orders that trigger on a rise from \(bound(filter.minTrailingAboveDelta)) to "
                + "\(bound(filter.maxTrailingAboveDelta)), on a fall from \(bound(filter.minTrailingBelowDelta)) to "
                + "\(bound(filter.maxTrailingBelowDelta)) basis points (100 is 1 %)."
        default:
            return "Checked by the exchange."
        }
    }
}
