import BinanceAPI
import Foundation

/// Tools that preview, place and cancel spot orders.
enum OrderTools {
    static let orderParameters: [ToolParameter] = [
        Parameters.symbol(),
        Parameters.side,
        Parameters.orderType,
        Parameters.quantity,
        Parameters.price,
        Parameters.timeInForce,
        Parameters.stopPrice,
        Parameters.quoteOrderQuantity,
        Parameters.clientOrderID,
        Parameters.round,
        Parameters.icebergQuantity,
        Parameters.trailingDelta,
        Parameters.selfTradePreventionMode,
    ]

    static func previewOrder(_ gateway: ExchangeGateway) -> Tool {
        var properties = OrderPreparation.previewProperties
        properties["placesOrder"] = DataShape.boolean
        properties["exchangeVerdict"] = DataShape.object(
            ["accepted": DataShape.boolean, "code": DataShape.integer, "message": DataShape.string],
            required: ["accepted"]
        )
        return Tool(
            name: "preview_order",
            title: "Preview order",
            summary: "Checks an order against the symbol's filters and the free balance and asks the exchange to "
                + "validate it with order/test. Places nothing.",
            group: .trading,
            parameters: orderParameters,
            dataSchema: DataShape.object(
                properties,
                required: ["venue", "order", "baseAsset", "quoteAsset", "notionalEstimated", "adjustments",
                           "placesOrder", "exchangeVerdict"]
            ),
            annotations: ToolAnnotations(readOnly: true, destructive: false, idempotent: true),
            examples: ["preview_order symbol=BTCUSDT side=BUY order_type=LIMIT quantity=0.001 price=60000"],
            layout: TableLayout(rows: nil, columns: ["venue", "notional", "notionalEstimated"], decimalColumns: ["notional"])
        ) { arguments, context throws(ToolError) in
            let gateway = gateway.bound(to: context.invocation)
            let placement = OrderPreparation(gateway: gateway)
            let prepared = try await placement.prepare(arguments)
            var data = placement.preview(prepared)
            data["placesOrder"] = .bool(false)
            data["exchangeVerdict"] = try await exchangeVerdict(prepared, gateway: gateway)
            return .object(data)
        }
    }

    /// Binance's own check of the order through `POST /api/v3/order/test`; a rejection is a verdict, not a failure.
    static func exchangeVerdict(_ prepared: OrderPreparation.Prepared, gateway: ExchangeGateway) async throws(ToolError)
        -> JSONValue
    {
        let parameters = prepared.order.requestParameters(clientOrderID: prepared.draft.clientOrderID)
        do {
            _ = try await gateway.client.send(.testOrder, parameters)
            return ["accepted": true]
        } catch {
            if case .rejected(_, let code, let message) = error {
                if code == -1013 { await gateway.exchangeInfo.invalidate(.spot) }
                return ["accepted": false, "code": .int(code), "message": .string(message)]
            }
            throw ToolError(binance: error, endpoint: .testOrder)
        }
    }

    static func createOrder(_ gateway: ExchangeGateway) -> Tool {
        var properties = OrderPreparation.previewProperties
        properties["placed"] = OrderFields.orderSchema
        properties["fills"] = DataShape.array(of: DataShape.object(OrderFields.fill))
        properties["status"] = DataShape.string
        return Tool(
            name: "create_order",
            title: "Create order",
            summary: "Places a spot order after the same checks as preview_order. LIMIT orders default to GTC; "
                + "values off the tick or step size are rejected unless round=down.",
            group: .trading,
            parameters: orderParameters,
            dataSchema: DataShape.object(
                properties,
                required: ["venue", "order", "baseAsset", "quoteAsset", "notionalEstimated", "adjustments", "placed",
                           "fills", "status"]
            ),
            annotations: ToolAnnotations(readOnly: false, destructive: true, idempotent: false),
            examples: [
                "create_order symbol=BTCUSDT side=BUY order_type=MARKET quantity=0.001",
                "create_order symbol=BTCUSDT side=SELL order_type=LIMIT quantity=0.001 price=70000",
                "buy BTCUSDT 0.001",
            ],
            layout: TableLayout(rows: "fills", columns: ["price", "qty", "commission", "commissionAsset"],
                                decimalColumns: ["price", "qty", "commission"])
        ) { arguments, context throws(ToolError) in
            let gateway = gateway.bound(to: context.invocation)
            let placement = OrderPreparation(gateway: gateway)
            var prepared = try await placement.prepare(arguments)
            let clientOrderID = prepared.draft.clientOrderID ?? ClientOrderID.generate(prefix: clientOrderIDPrefix(for: context.invocation.origin))
            prepared.draft.clientOrderID = clientOrderID
            var data = placement.preview(prepared)

            try await OrderSafety.authorize(prepared.order, clientOrderID: clientOrderID, preview: .object(data),
                                            context: context)
            let placed = try await send(prepared, clientOrderID: clientOrderID, gateway: gateway)
            for (key, value) in placed { data[key] = value }
            // The engine's audit event reads the order's status from the top level of the data.
            data["status"] = placed["placed"]?["status"]
            return .object(data)
        }
    }

    /// Returns the prefix of generated client order ids, which names the way in: `bsh` shell, `bss` script, `bsm` MCP.
    static func clientOrderIDPrefix(for origin: Origin) -> String {
        switch origin {
        case .shell: return "bsh"
        case .script: return "bss"
        case .mcp: return "bsm"
        }
    }

    /// Sends the order once through the client, which looks an order with an unknown outcome up by its client
    /// order id instead of sending it again.
    /// - Throws: `order_status_unknown` with the client order id when the lookups did not find the order, and
    ///   the mapped rejection otherwise (after a -1013 the cached filters are dropped, as they proved wrong).
    static func send(_ prepared: OrderPreparation.Prepared, clientOrderID: String, gateway: ExchangeGateway)
        async throws(ToolError) -> [String: JSONValue]
    {
        var parameters = prepared.order.requestParameters(clientOrderID: clientOrderID)
        parameters.set("newOrderRespType", "FULL")
        let placement: BinanceAPI.OrderPlacement
        do throws(BinanceError) {
            placement = try await gateway.client.placeOrder(
                parameters,
                waitPolicy: gateway.waitPolicy,
                progress: gateway.progress
            )
        } catch {
            if case .rejected(_, -1013, _) = error { await gateway.exchangeInfo.invalidate(.spot) }
            throw ToolError(binance: error, endpoint: .newOrder)
        }
        switch placement {
        case .placed(let order):
            let payload = try ExchangeGateway.json(encoding: order)
            let fills = try DataShape.mapArray(payload["fills"] ?? .array([]), OrderFields.fill)
            return ["placed": try OrderFields.mapOrder(payload), "fills": .array(fills)]
        case .unknown(let clientOrderID, let reason):
            let symbol = prepared.order.symbol
            throw ToolError(
                .orderStatusUnknown,
                "The outcome of order '\(clientOrderID)' on \(symbol) is unknown: \(reason)",
                hint: "Check it with get_order symbol=\(symbol) client_order_id=\(clientOrderID) before placing it again.",
                details: ["client_order_id": .string(clientOrderID)]
            )
        }
    }

    static func cancelOrder(_ gateway: ExchangeGateway) -> Tool {
        Tool(
            name: "cancel_order",
            title: "Cancel order",
            summary: "Cancels one open order, found by order_id or client_order_id, and shows its final state; an order that "
                + "already filled or expired is shown with canceled false.",
            group: .trading,
            parameters: [Parameters.symbol(), Parameters.orderID, Parameters.existingClientOrderID],
            dataSchema: DataShape.object(
                ["venue": DataShape.string, "order": OrderFields.orderSchema, "status": DataShape.string,
                 "canceled": DataShape.boolean],
                required: ["venue", "order", "status", "canceled"]
            ),
            annotations: ToolAnnotations(readOnly: false, destructive: true, idempotent: true),
            examples: ["cancel_order symbol=BTCUSDT order_id=12345"],
            layout: TableLayout(rows: "order", columns: ["symbol"] + OrderFields.listColumns,
                                decimalColumns: OrderFields.decimalColumns)
        ) { arguments, context throws(ToolError) in
            let gateway = gateway.bound(to: context.invocation)
            let symbol = arguments.string("symbol") ?? ""
            var parameters = try AccountTools.orderReference(arguments, tool: "cancel_order")
            parameters.set("symbol", symbol)
            try await OrderSafety.authorizeCancel(symbol: symbol, context: context)
            let order: Order
            do throws(BinanceError) {
                // A cancel the exchange rejects because the order is no longer open comes back as the order's
                // final state.
                order = try await gateway.client.cancelOrder(parameters, waitPolicy: gateway.waitPolicy,
                                                             progress: gateway.progress)
            } catch {
                throw ToolError(binance: error, endpoint: .cancelOrder, symbol: symbol)
            }
            let mapped = try OrderFields.mapOrder(try ExchangeGateway.json(encoding: order))
            return [
                "venue": .string(gateway.venue.rawValue),
                "order": mapped,
                "status": .string(order.status ?? ""),
                "canceled": .bool(order.status == "CANCELED"),
            ]
        }
    }

    static func cancelOpenOrders(_ gateway: ExchangeGateway) -> Tool {
        Tool(
            name: "cancel_open_orders",
            title: "Cancel open orders",
            summary: "Cancels every open order on one symbol and lists them in their final state.",
            group: .trading,
            parameters: [Parameters.symbol()],
            dataSchema: DataShape.object(
                ["venue": DataShape.string, "symbol": DataShape.string, "count": DataShape.integer,
                 "canceled": DataShape.array(of: OrderFields.orderSchema)],
                required: ["venue", "symbol", "count", "canceled"]
            ),
            annotations: ToolAnnotations(readOnly: false, destructive: true, idempotent: true),
            examples: ["cancel_open_orders symbol=BTCUSDT"],
            layout: TableLayout(rows: "canceled", columns: OrderFields.listColumns, decimalColumns: OrderFields.decimalColumns)
        ) { arguments, context throws(ToolError) in
            let gateway = gateway.bound(to: context.invocation)
            let symbol = arguments.string("symbol") ?? ""
            let open = try OrderFields.mapOrders(try await gateway.json(.openOrders, ["symbol": symbol]))
            var data: [String: JSONValue] = [
                "venue": .string(gateway.venue.rawValue), "symbol": .string(symbol), "count": 0, "canceled": [],
            ]
            guard !open.isEmpty else { return .object(data) }

            try await OrderSafety.authorizeCancel(symbol: symbol, context: context)
            let payload = try await gateway.json(.cancelOpenOrders, ["symbol": symbol])
            // Order lists come back as one entry holding `orderReports`; single orders have an `orderId`.
            var canceled: [JSONValue] = []
            for entry in payload.arrayValue ?? [] {
                if entry["orderId"] != nil {
                    canceled.append(try OrderFields.mapOrder(entry))
                } else if let reports = entry["orderReports"]?.arrayValue {
                    for report in reports { canceled.append(try OrderFields.mapOrder(report)) }
                }
            }
            data["canceled"] = .array(canceled)
            data["count"] = .int(canceled.count)
            return .object(data)
        }
    }
}
