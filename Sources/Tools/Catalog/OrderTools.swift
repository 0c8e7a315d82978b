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
    ]

    static func previewOrder(_ gateway: ExchangeGateway) -> Tool {
        var properties = OrderPlacement.previewProperties
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
        ) { arguments, _ throws(ToolError) in
            let placement = OrderPlacement(gateway: gateway)
            let prepared = try await placement.prepare(arguments)
            var data = placement.preview(prepared)
            data["placesOrder"] = .bool(false)
            data["exchangeVerdict"] = try await exchangeVerdict(prepared, gateway: gateway)
            return .object(data)
        }
    }

    /// Binance's own check of the order through `POST /api/v3/order/test`; a rejection is a verdict, not a failure.
    static func exchangeVerdict(_ prepared: OrderPlacement.Prepared, gateway: ExchangeGateway) async throws(ToolError)
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
        var properties = OrderPlacement.previewProperties
        properties["placed"] = OrderFields.orderSchema
        properties["fills"] = DataShape.array(of: DataShape.object(OrderFields.fill))
        properties["reconciled"] = DataShape.boolean
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
            let placement = OrderPlacement(gateway: gateway)
            var prepared = try await placement.prepare(arguments)
            let clientOrderID = prepared.draft.clientOrderID ?? ClientOrderID.generate(for: context.invocation.origin)
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

    /// Sends the order once. An unknown outcome is reconciled by asking for the order by its client order id;
    /// the order is never sent a second time.
    static func send(_ prepared: OrderPlacement.Prepared, clientOrderID: String, gateway: ExchangeGateway)
        async throws(ToolError) -> [String: JSONValue]
    {
        var parameters = prepared.order.requestParameters(clientOrderID: clientOrderID)
        parameters.set("newOrderRespType", "FULL")
        let response: HTTPResponse
        do {
            response = try await gateway.client.send(.newOrder, parameters)
        } catch {
            switch error {
            case .rejected(_, let code, _):
                if code == -1013 { await gateway.exchangeInfo.invalidate(.spot) }
                throw ToolError(binance: error, endpoint: .newOrder)
            case .outcomeUnknown(let reason):
                return try await reconcile(prepared, clientOrderID: clientOrderID, reason: reason, gateway: gateway)
            default:
                throw ToolError(binance: error, endpoint: .newOrder)
            }
        }
        let payload = try ExchangeGateway.parse(response.body, from: .newOrder)
        let fills = try DataShape.mapArray(payload["fills"] ?? .array([]), OrderFields.fill)
        return ["placed": try OrderFields.mapOrder(payload), "fills": .array(fills)]
    }

    static func reconcile(
        _ prepared: OrderPlacement.Prepared,
        clientOrderID: String,
        reason: String,
        gateway: ExchangeGateway
    ) async throws(ToolError) -> [String: JSONValue] {
        let symbol = prepared.order.symbol
        if let payload = try? await gateway.json(.queryOrder, ["symbol": symbol, "origClientOrderId": clientOrderID]),
            let order = try? OrderFields.mapOrder(payload)
        {
            return ["placed": order, "fills": .array([]), "reconciled": true]
        }
        throw ToolError(
            .orderStatusUnknown,
            "The outcome of order '\(clientOrderID)' on \(symbol) is unknown: \(reason)",
            hint: "Check it with get_order symbol=\(symbol) client_order_id=\(clientOrderID) before placing it again.",
            details: ["client_order_id": .string(clientOrderID)]
        )
    }

    static func cancelOrder(_ gateway: ExchangeGateway) -> Tool {
        Tool(
            name: "cancel_order",
            title: "Cancel order",
            summary: "Cancels one open order, found by order_id or client_order_id, and shows its final state.",
            group: .trading,
            parameters: [Parameters.symbol(), Parameters.orderID, Parameters.existingClientOrderID],
            dataSchema: DataShape.object(
                ["venue": DataShape.string, "order": OrderFields.orderSchema, "status": DataShape.string],
                required: ["venue", "order", "status"]
            ),
            annotations: ToolAnnotations(readOnly: false, destructive: true, idempotent: true),
            examples: ["cancel_order symbol=BTCUSDT order_id=12345"],
            layout: TableLayout(rows: nil, columns: ["symbol"] + OrderFields.listColumns,
                                decimalColumns: OrderFields.decimalColumns)
        ) { arguments, context throws(ToolError) in
            let symbol = arguments.string("symbol") ?? ""
            var parameters = try AccountTools.orderReference(arguments, tool: "cancel_order")
            parameters.set("symbol", symbol)
            let current = try OrderFields.mapOrder(try await gateway.json(.queryOrder, parameters))
            let status = current["status"]?.stringValue ?? ""
            guard ["NEW", "PARTIALLY_FILLED", "PENDING_NEW"].contains(status) else {
                let id = current["orderId"].map { $0.serialized() } ?? "?"
                throw ToolError(
                    .validationError,
                    "Order '\(id)' on \(symbol) is already \(status), so there is nothing to cancel.",
                    details: ["order": current]
                )
            }
            try await OrderSafety.authorizeCancel(symbol: symbol, context: context)
            let payload = try await gateway.json(.cancelOrder, parameters)
            let order = try OrderFields.mapOrder(payload)
            return ["venue": .string(gateway.venue.rawValue), "order": order, "status": order["status"] ?? .null]
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
