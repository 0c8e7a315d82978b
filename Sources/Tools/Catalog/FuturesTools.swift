import BinanceAPI
import Foundation

/// Reads of the USDⓈ-M futures account and market: positions, profit and loss, liquidations, funding rates.
enum FuturesTools {
    static func positionInfo(_ gateway: ExchangeGateway) -> Tool {
        let fields = [
            DataField("symbol", .string),
            DataField("positionSide", .string),
            DataField("positionAmt", .decimal),
            DataField("entryPrice", .decimal),
            DataField("breakEvenPrice", .decimal, optional: true),
            DataField("markPrice", .decimal),
            DataField("unRealizedProfit", .decimal),
            DataField("liquidationPrice", .decimal),
            DataField("notional", .decimal, optional: true),
            DataField("marginAsset", .string, optional: true),
            DataField("isolatedMargin", .decimal, optional: true),
            DataField("initialMargin", .decimal, optional: true),
            DataField("maintMargin", .decimal, optional: true),
            DataField("updateTime", .integer, optional: true),
        ]
        let schema = DataShape.object(["positions": DataShape.array(of: DataShape.object(fields))], required: ["positions"])
        return Tool(
            name: "get_position_info",
            title: "Futures positions",
            summary: "Open USDⓈ-M futures positions; positions of size zero only when include_empty is true.",
            group: .futures,
            parameters: [
                Parameters.symbol(required: false),
                ToolParameter("include_empty", .boolean, default: "false", "Also list symbols without a position."),
            ],
            dataSchema: schema,
            annotations: .read,
            examples: ["get_position_info", "get_position_info symbol=BTCUSDT"],
            layout: TableLayout(
                rows: "positions",
                columns: ["symbol", "positionSide", "positionAmt", "entryPrice", "markPrice", "unRealizedProfit",
                          "liquidationPrice"],
                decimalColumns: ["positionAmt", "entryPrice", "markPrice", "unRealizedProfit", "liquidationPrice"]
            )
        ) { arguments, context throws(ToolError) in
            let gateway = gateway.bound(to: context.invocation)
            var parameters = RequestParameters()
            parameters.set("symbol", arguments.string("symbol"))
            let payload = try await gateway.json(.positionRisk, parameters)
            let includeEmpty = arguments.boolean("include_empty") ?? false
            let positions = try DataShape.mapArray(payload, fields).filter { position in
                includeEmpty || DataShape.decimal(position["positionAmt"]) != 0
            }
            return ["positions": .array(positions)]
        }
    }

    static func pnl(_ gateway: ExchangeGateway) -> Tool {
        let incomeFields = [
            DataField("symbol", .string),
            DataField("income", .decimal),
            DataField("asset", .string),
            DataField("time", .integer),
            DataField("tradeId", .string, optional: true),
        ]
        let schema = DataShape.object(
            [
                "unrealizedProfit": DataShape.decimal,
                "walletBalance": DataShape.decimal,
                "marginBalance": DataShape.decimal,
                "realizedProfit": DataShape.array(of: DataShape.object(
                    ["asset": DataShape.string, "amount": DataShape.decimal], required: ["asset", "amount"]
                )),
                "incomes": DataShape.array(of: DataShape.object(incomeFields)),
            ],
            required: ["unrealizedProfit", "realizedProfit", "incomes"]
        )
        return Tool(
            name: "get_pnl",
            title: "Futures profit and loss",
            summary: "Unrealized profit of the USDⓈ-M futures account, and realized profit over a time range "
                + "(Binance's default: the last 7 days).",
            group: .futures,
            parameters: [
                Parameters.symbol(required: false),
                Parameters.startTime,
                Parameters.endTime,
                Parameters.limit(1, 1000, default: 100, "Realized-profit entries to return, at most 1000."),
            ],
            dataSchema: schema,
            annotations: .read,
            examples: ["get_pnl", "get_pnl start_time=2024-01-01 end_time=2024-01-07"],
            layout: TableLayout(rows: "realizedProfit", columns: ["asset", "amount"], decimalColumns: ["amount"])
        ) { arguments, context throws(ToolError) in
            let gateway = gateway.bound(to: context.invocation)
            let account = try await gateway.json(.futuresAccount)
            var parameters: RequestParameters = ["incomeType": "REALIZED_PNL"]
            parameters.copy("symbol", as: "symbol", from: arguments)
            parameters.copy("start_time", as: "startTime", from: arguments)
            parameters.copy("end_time", as: "endTime", from: arguments)
            parameters.set("limit", String(arguments.integer("limit", default: 100)))
            let incomes = try DataShape.mapArray(try await gateway.json(.income, parameters), incomeFields)

            var totals: [String: Decimal] = [:]
            for income in incomes {
                guard let asset = income["asset"]?.stringValue, let amount = DataShape.decimal(income["income"]) else { continue }
                totals[asset, default: 0] += amount
            }
            var data: [String: JSONValue] = [
                "unrealizedProfit": .string(DataShape.decimalText(account["totalUnrealizedProfit"] ?? .null) ?? "0"),
                "realizedProfit": .array(totals.keys.sorted().map { asset in
                    ["asset": .string(asset), "amount": .string(DecimalText.format(totals[asset]!))]
                }),
                "incomes": .array(incomes),
            ]
            if let wallet = DataShape.decimalText(account["totalWalletBalance"] ?? .null) { data["walletBalance"] = .string(wallet) }
            if let margin = DataShape.decimalText(account["totalMarginBalance"] ?? .null) { data["marginBalance"] = .string(margin) }
            return .object(data)
        }
    }

    static func liquidationHistory(_ gateway: ExchangeGateway) -> Tool {
        let fields = [
            DataField("symbol", .string),
            DataField("orderId", .integer),
            DataField("side", .string),
            DataField("status", .string),
            DataField("price", .decimal),
            DataField("avgPrice", .decimal, optional: true),
            DataField("origQty", .decimal),
            DataField("executedQty", .decimal),
            DataField("cumQuote", .decimal, optional: true),
            DataField("time", .integer),
        ]
        let schema = DataShape.object(["orders": DataShape.array(of: DataShape.object(fields))], required: ["orders"])
        return Tool(
            name: "get_liquidation_history",
            title: "Liquidations",
            summary: "Your USDⓈ-M futures liquidation orders, newest first; Binance keeps the last 7 days.",
            group: .futures,
            parameters: [
                Parameters.symbol(required: false),
                Parameters.startTime,
                Parameters.endTime,
                Parameters.limit(1, 100, default: 50, "Orders to return, at most 100."),
            ],
            dataSchema: schema,
            annotations: .read,
            examples: ["get_liquidation_history symbol=BTCUSDT"],
            layout: TableLayout(rows: "orders", columns: ["time", "symbol", "side", "price", "executedQty", "status"],
                                decimalColumns: ["price", "executedQty"])
        ) { arguments, context throws(ToolError) in
            let gateway = gateway.bound(to: context.invocation)
            var parameters = RequestParameters()
            parameters.copy("symbol", as: "symbol", from: arguments)
            parameters.copy("start_time", as: "startTime", from: arguments)
            parameters.copy("end_time", as: "endTime", from: arguments)
            parameters.set("limit", String(arguments.integer("limit", default: 50)))
            let payload = try await gateway.json(.forceOrders, parameters)
            return ["orders": .array(try DataShape.mapArray(payload, fields))]
        }
    }

    static func fundingRate(_ gateway: ExchangeGateway) -> Tool {
        let fields = [
            DataField("symbol", .string),
            DataField("markPrice", .decimal),
            DataField("indexPrice", .decimal, optional: true),
            DataField("lastFundingRate", .decimal),
            DataField("interestRate", .decimal, optional: true),
            DataField("nextFundingTime", .integer),
            DataField("time", .integer, optional: true),
        ]
        let schema = DataShape.object(
            ["rates": DataShape.array(of: DataShape.object(fields)), "total": DataShape.integer],
            required: ["rates", "total"]
        )
        return Tool(
            name: "get_funding_rate",
            title: "Funding rate",
            summary: "Mark price and current funding rate of USDⓈ-M perpetuals: one symbol, or the first 'limit' symbols.",
            group: .futures,
            parameters: [
                Parameters.symbol(required: false),
                Parameters.limit(1, 1000, default: 50, "Symbols to return when no symbol is given, at most 1000."),
            ],
            dataSchema: schema,
            annotations: .read,
            examples: ["get_funding_rate symbol=BTCUSDT"],
            layout: TableLayout(rows: "rates", columns: ["symbol", "markPrice", "lastFundingRate", "nextFundingTime"],
                                decimalColumns: ["markPrice", "lastFundingRate"])
        ) { arguments, context throws(ToolError) in
            let gateway = gateway.bound(to: context.invocation)
            var parameters = RequestParameters()
            parameters.copy("symbol", as: "symbol", from: arguments)
            let payload = try await gateway.json(.premiumIndex, parameters)
            let rates = payload.arrayValue == nil ? [try DataShape.map(payload, fields)] : try DataShape.mapArray(payload, fields)
            let limit = Int(arguments.integer("limit", default: 50))
            return ["rates": .array(Array(rates.prefix(limit))), "total": .int(rates.count)]
        }
    }
}
