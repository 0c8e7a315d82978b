import BinanceAPI
import Foundation

/// Signed reads of the spot account: balances, fees, snapshots, orders and trades.
enum AccountTools {
    static func feeInfo(_ gateway: ExchangeGateway) -> Tool {
        let fields = [
            DataField("symbol", .string),
            DataField("makerCommission", .decimal),
            DataField("takerCommission", .decimal),
        ]
        let schema = DataShape.object(
            ["fees": DataShape.array(of: DataShape.object(fields)), "total": DataShape.integer],
            required: ["fees", "total"]
        )
        return Tool(
            name: "get_fee_info",
            title: "Trading fees",
            summary: "Maker and taker commission rates of one symbol, or of the first 'limit' symbols when none is given.",
            group: .account,
            parameters: [
                Parameters.symbol(required: false),
                Parameters.limit(1, 5000, default: 100, "Symbols to return when no symbol is given, at most 5000."),
            ],
            dataSchema: schema,
            annotations: .read,
            examples: ["get_fee_info symbol=BTCUSDT"],
            layout: TableLayout(rows: "fees", columns: ["symbol", "makerCommission", "takerCommission"],
                                decimalColumns: ["makerCommission", "takerCommission"])
        ) { arguments, context throws(ToolError) in
            let gateway = gateway.bound(to: context.invocation)
            let symbol = arguments.string("symbol")
            if gateway.venue == .testnet {
                // The spot testnet serves no /sapi endpoints; its account commission endpoint needs a symbol.
                guard let symbol else {
                    throw .validation("Missing required parameter 'symbol' for get_fee_info on the testnet.")
                }
                let payload = try await gateway.json(.commission, ["symbol": symbol])
                guard let standard = payload["standardCommission"] else {
                    throw ToolError(.internalError, "Unexpected response: the commission lacks 'standardCommission'.")
                }
                let maker = DataShape.decimalText(standard["maker"] ?? .null) ?? "0"
                let taker = DataShape.decimalText(standard["taker"] ?? .null) ?? "0"
                return [
                    "fees": [["symbol": .string(symbol), "makerCommission": .string(maker), "takerCommission": .string(taker)]],
                    "total": 1,
                ]
            }
            var parameters = RequestParameters()
            parameters.set("symbol", symbol)
            let fees = try DataShape.mapArray(try await gateway.json(.tradeFee, parameters), fields)
            let limit = Int(arguments.integer("limit", default: 100))
            return ["fees": .array(Array(fees.prefix(limit))), "total": .int(fees.count)]
        }
    }

    static func balance(_ gateway: ExchangeGateway) -> Tool {
        let balanceSchema = DataShape.object(
            ["asset": DataShape.string, "free": DataShape.decimal, "locked": DataShape.decimal, "total": DataShape.decimal],
            required: ["asset", "free", "locked", "total"]
        )
        let schema = DataShape.object(
            ["balances": DataShape.array(of: balanceSchema), "canTrade": DataShape.boolean, "accountType": DataShape.string],
            required: ["balances"]
        )
        return Tool(
            name: "get_balance",
            title: "Balances",
            summary: "Free and locked balances of the spot account; assets with a zero balance are left out unless asked.",
            group: .account,
            parameters: [
                ToolParameter("asset", .asset, "Only this asset, such as USDT; shown even when zero."),
                ToolParameter("include_zero", .boolean, default: "false", "Also list assets whose balance is zero."),
            ],
            dataSchema: schema,
            annotations: .read,
            examples: ["get_balance", "get_balance asset=USDT", "balance"],
            layout: TableLayout(rows: "balances", columns: ["asset", "free", "locked", "total"],
                                decimalColumns: ["free", "locked", "total"])
        ) { arguments, context throws(ToolError) in
            let gateway = gateway.bound(to: context.invocation)
            let payload = try await gateway.json(.account)
            let balances = try Balances(payload)
            let asset = arguments.string("asset")
            let includeZero = arguments.boolean("include_zero") ?? false
            var rows: [JSONValue] = []
            if let asset {
                let entry = balances.entries.first { $0.asset == asset } ?? Balances.Entry(asset: asset, free: 0, locked: 0)
                rows = [entry.json]
            } else {
                rows = balances.entries.filter { includeZero || $0.free + $0.locked > 0 }.map(\.json)
            }
            var data: [String: JSONValue] = ["balances": .array(rows)]
            if let canTrade = payload["canTrade"]?.boolValue { data["canTrade"] = .bool(canTrade) }
            if let type = payload["accountType"]?.stringValue { data["accountType"] = .string(type) }
            return .object(data)
        }
    }

    static func accountSnapshot(_ gateway: ExchangeGateway) -> Tool {
        let snapshot = DataShape.object(
            ["type": DataShape.string, "updateTime": DataShape.integer, "data": ["type": "object"]],
            required: ["type", "updateTime", "data"]
        )
        let schema = DataShape.object(
            ["accountType": DataShape.string, "snapshots": DataShape.array(of: snapshot)],
            required: ["accountType", "snapshots"]
        )
        return Tool(
            name: "get_account_snapshot",
            title: "Account snapshots",
            summary: "Daily snapshots of the SPOT, MARGIN or FUTURES account, newest last.",
            group: .account,
            parameters: [
                ToolParameter("account_type", .enumeration(["SPOT", "MARGIN", "FUTURES"]), default: "SPOT",
                              "SPOT, MARGIN or FUTURES."),
                Parameters.startTime,
                Parameters.endTime,
                Parameters.limit(7, 30, default: 7, "Days of snapshots, from 7 to 30."),
            ],
            dataSchema: schema,
            annotations: .read,
            examples: ["get_account_snapshot account_type=SPOT"],
            layout: TableLayout(rows: "snapshots", columns: ["type", "updateTime"])
        ) { arguments, context throws(ToolError) in
            let gateway = gateway.bound(to: context.invocation)
            let type = arguments.string("account_type") ?? "SPOT"
            var parameters: RequestParameters = ["type": type]
            parameters.copy("start_time", as: "startTime", from: arguments)
            parameters.copy("end_time", as: "endTime", from: arguments)
            parameters.set("limit", String(arguments.integer("limit", default: 7)))
            let payload = try await gateway.json(.accountSnapshot, parameters)
            let fields = [DataField("type", .string), DataField("updateTime", .integer), DataField("data", .object)]
            let snapshots = try DataShape.mapArray(payload["snapshotVos"] ?? .array([]), fields)
            return ["accountType": .string(type), "snapshots": .array(snapshots)]
        }
    }

    static func orders(_ gateway: ExchangeGateway) -> Tool {
        let schema = DataShape.object(
            ["symbol": DataShape.string, "orders": DataShape.array(of: OrderFields.orderSchema)],
            required: ["symbol", "orders"]
        )
        return Tool(
            name: "get_orders",
            title: "Orders",
            summary: "Orders of one symbol (open, filled and canceled), oldest first; a time range covers at most 24 hours.",
            group: .account,
            parameters: [
                Parameters.symbol(),
                Parameters.startTime,
                Parameters.endTime,
                Parameters.limit(1, 1000, default: 100, "Orders to return, at most 1000."),
            ],
            dataSchema: schema,
            annotations: .read,
            examples: ["get_orders symbol=BTCUSDT limit=10", "orders BTCUSDT"],
            layout: TableLayout(rows: "orders", columns: OrderFields.listColumns, decimalColumns: OrderFields.decimalColumns)
        ) { arguments, context throws(ToolError) in
            let gateway = gateway.bound(to: context.invocation)
            try checkDayRange(arguments, tool: "get_orders")
            let symbol = arguments.string("symbol") ?? ""
            var parameters: RequestParameters = ["symbol": symbol]
            parameters.copy("start_time", as: "startTime", from: arguments)
            parameters.copy("end_time", as: "endTime", from: arguments)
            parameters.set("limit", String(arguments.integer("limit", default: 100)))
            let payload = try await gateway.json(.allOrders, parameters)
            return ["symbol": .string(symbol), "orders": .array(try OrderFields.mapOrders(payload))]
        }
    }

    static func openOrders(_ gateway: ExchangeGateway) -> Tool {
        let schema = DataShape.object(
            [
                "orders": DataShape.array(of: OrderFields.orderSchema),
                "total": DataShape.integer,
                "offset": DataShape.integer,
                "returned": DataShape.integer,
                "hasMore": DataShape.boolean,
                "nextOffset": DataShape.integer,
            ],
            required: ["orders", "total", "offset", "returned", "hasMore"]
        )
        return Tool(
            name: "get_open_orders",
            title: "Open orders",
            summary: "Open orders of one symbol, or of every symbol when none is given, oldest first and paged: at most "
                + "'limit' per call, from 'offset'.",
            group: .account,
            parameters: [
                Parameters.symbol(required: false),
                Parameters.limit(1, 1000, default: 100, "Orders per page, at most 1000."),
                ToolParameter("offset", .integer(minimum: 0, maximum: 100_000), default: "0",
                              "Orders to skip: the previous page's nextOffset."),
            ],
            dataSchema: schema,
            annotations: .read,
            examples: ["get_open_orders symbol=BTCUSDT", "get_open_orders"],
            layout: TableLayout(rows: "orders", columns: ["symbol"] + OrderFields.listColumns,
                                decimalColumns: OrderFields.decimalColumns)
        ) { arguments, context throws(ToolError) in
            let gateway = gateway.bound(to: context.invocation)
            var parameters = RequestParameters()
            parameters.set("symbol", arguments.string("symbol"))
            // Binance returns every open order at once (MAX_NUM_ORDERS allows 200 per symbol on BTCUSDT), so the
            // pages are cut here.
            let orders = try OrderFields.mapOrders(try await gateway.json(.openOrders, parameters))
            let sorted = orders.sorted { ($0["orderId"]?.decimalValue ?? 0) < ($1["orderId"]?.decimalValue ?? 0) }
            let limit = Int(arguments.integer("limit", default: 100))
            let offset = min(Int(arguments.integer("offset", default: 0)), sorted.count)
            let page = sorted[offset..<min(offset + limit, sorted.count)]
            let hasMore = offset + page.count < sorted.count
            var data: [String: JSONValue] = [
                "orders": .array(Array(page)),
                "total": .int(sorted.count),
                "offset": .int(offset),
                "returned": .int(page.count),
                "hasMore": .bool(hasMore),
            ]
            if hasMore { data["nextOffset"] = .int(offset + page.count) }
            return .object(data)
        }
    }

    static func order(_ gateway: ExchangeGateway) -> Tool {
        Tool(
            name: "get_order",
            title: "Order",
            summary: "The current state of one order, found by order_id or client_order_id.",
            group: .account,
            parameters: [Parameters.symbol(), Parameters.orderID, Parameters.existingClientOrderID],
            dataSchema: DataShape.object(["order": OrderFields.orderSchema], required: ["order"]),
            annotations: .read,
            examples: ["get_order symbol=BTCUSDT order_id=12345"],
            layout: TableLayout(rows: "order", columns: ["symbol"] + OrderFields.listColumns,
                                decimalColumns: OrderFields.decimalColumns)
        ) { arguments, context throws(ToolError) in
            let gateway = gateway.bound(to: context.invocation)
            var parameters = try orderReference(arguments, tool: "get_order")
            parameters.set("symbol", arguments.string("symbol"))
            let payload = try await gateway.json(.queryOrder, parameters)
            return ["order": try OrderFields.mapOrder(payload)]
        }
    }

    static func myTrades(_ gateway: ExchangeGateway) -> Tool {
        let fields = [
            DataField("id", .integer),
            DataField("orderId", .integer),
            DataField("side", .string, optional: true),
            DataField("price", .decimal),
            DataField("qty", .decimal),
            DataField("quoteQty", .decimal),
            DataField("commission", .decimal),
            DataField("commissionAsset", .string),
            DataField("time", .integer),
            DataField("isBuyer", .boolean),
            DataField("isMaker", .boolean),
        ]
        let schema = DataShape.object(
            ["symbol": DataShape.string, "trades": DataShape.array(of: DataShape.object(fields))],
            required: ["symbol", "trades"]
        )
        return Tool(
            name: "get_my_trades",
            title: "My trades",
            summary: "Your fills on one symbol, oldest first; a time range covers at most 24 hours.",
            group: .account,
            parameters: [
                Parameters.symbol(),
                Parameters.startTime,
                Parameters.endTime,
                Parameters.limit(1, 1000, default: 100, "Trades to return, at most 1000."),
            ],
            dataSchema: schema,
            annotations: .read,
            examples: ["get_my_trades symbol=BTCUSDT limit=20"],
            layout: TableLayout(rows: "trades", columns: ["time", "orderId", "side", "price", "qty", "commission", "commissionAsset"],
                                decimalColumns: ["price", "qty", "commission"])
        ) { arguments, context throws(ToolError) in
            let gateway = gateway.bound(to: context.invocation)
            try checkDayRange(arguments, tool: "get_my_trades")
            let symbol = arguments.string("symbol") ?? ""
            var parameters: RequestParameters = ["symbol": symbol]
            parameters.copy("start_time", as: "startTime", from: arguments)
            parameters.copy("end_time", as: "endTime", from: arguments)
            parameters.set("limit", String(arguments.integer("limit", default: 100)))
            let payload = try await gateway.json(.myTrades, parameters)
            var trades = try DataShape.mapArray(payload, fields)
            for index in trades.indices {
                if case .object(var members) = trades[index] {
                    members["side"] = .string(members["isBuyer"] == .bool(true) ? "BUY" : "SELL")
                    trades[index] = .object(members)
                }
            }
            return ["symbol": .string(symbol), "trades": .array(trades)]
        }
    }

    // MARK: - Shared checks

    /// Rejects ranges over 24 hours, which Binance does not serve for allOrders and myTrades.
    static func checkDayRange(_ arguments: ToolArguments, tool: String) throws(ToolError) {
        guard let start = arguments.integer("start_time"), let end = arguments.integer("end_time") else { return }
        guard end - start <= 86_400_000 else {
            throw .validation(
                "Invalid time range for \(tool): end_time is more than 24 hours after start_time.",
                hint: "Split the range into days."
            )
        }
    }

    /// `orderId` or `origClientOrderId` from `order_id` or `client_order_id`.
    static func orderReference(_ arguments: ToolArguments, tool: String) throws(ToolError) -> RequestParameters {
        var parameters = RequestParameters()
        if let id = arguments.integer("order_id") {
            parameters.set("orderId", String(id))
        } else if let clientID = arguments.string("client_order_id") {
            parameters.set("origClientOrderId", clientID)
        } else {
            throw .validation("Missing order reference for \(tool): give order_id or client_order_id.")
        }
        return parameters
    }
}

/// The balances of an account payload.
struct Balances {
    struct Entry {
        var asset: String
        var free: Decimal
        var locked: Decimal

        var json: JSONValue {
            [
                "asset": .string(asset),
                "free": .string(DecimalText.format(free)),
                "locked": .string(DecimalText.format(locked)),
                "total": .string(DecimalText.format(free + locked)),
            ]
        }
    }

    var entries: [Entry]

    init(_ payload: JSONValue) throws(ToolError) {
        guard let balances = payload["balances"]?.arrayValue else {
            throw ToolError(.internalError, "Unexpected response: the account lacks 'balances'.")
        }
        entries = []
        for balance in balances {
            guard let asset = balance["asset"]?.stringValue,
                let free = DataShape.decimal(balance["free"]), let locked = DataShape.decimal(balance["locked"])
            else {
                throw ToolError(.internalError, "Unexpected response: malformed balance \(balance.serialized().prefix(200)).")
            }
            entries.append(Entry(asset: asset, free: free, locked: locked))
        }
    }

    func free(_ asset: String) -> Decimal {
        entries.first { $0.asset == asset }?.free ?? 0
    }
}
