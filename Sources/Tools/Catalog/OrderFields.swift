/// The members of an order in results, shared by every tool that shows orders.
enum OrderFields {
    static let order: [DataField] = [
        DataField("symbol", .string),
        DataField("orderId", .integer),
        DataField("clientOrderId", .string),
        DataField("side", .string),
        DataField("type", .string),
        DataField("status", .string),
        DataField("price", .decimal),
        DataField("origQty", .decimal),
        DataField("executedQty", .decimal),
        DataField("cummulativeQuoteQty", .decimal, optional: true),
        DataField("origQuoteOrderQty", .decimal, optional: true),
        DataField("stopPrice", .decimal, optional: true),
        DataField("icebergQty", .decimal, optional: true),
        DataField("trailingDelta", .integer, optional: true),
        DataField("trailingTime", .integer, optional: true),
        DataField("selfTradePreventionMode", .string, optional: true),
        DataField("timeInForce", .string, optional: true),
        DataField("orderListId", .integer, optional: true),
        DataField("origClientOrderId", .string, optional: true),
        DataField("time", .integer, optional: true),
        DataField("updateTime", .integer, optional: true),
        DataField("transactTime", .integer, optional: true),
        DataField("workingTime", .integer, optional: true),
        DataField("isWorking", .boolean, optional: true),
    ]

    static let fill: [DataField] = [
        DataField("price", .decimal),
        DataField("qty", .decimal),
        DataField("commission", .decimal),
        DataField("commissionAsset", .string),
        DataField("tradeId", .integer, optional: true),
    ]

    static var orderSchema: JSONValue { DataShape.object(order) }

    static let listColumns = ["orderId", "side", "type", "status", "price", "origQty", "executedQty", "time"]
    static let decimalColumns: Set<String> = ["price", "origQty", "executedQty"]

    /// Drops Binance's placeholders (`stopPrice` "0.00000000" on orders without a stop, the default STP mode
    /// `NONE`) so results stay small.
    static func mapOrder(_ payload: JSONValue) throws(ToolError) -> JSONValue {
        var mapped = try DataShape.map(payload, order)
        if case .object(var members) = mapped {
            for name in ["stopPrice", "origQuoteOrderQty", "icebergQty"] where members[name] == "0" {
                members[name] = nil
            }
            if members["selfTradePreventionMode"] == "NONE" { members["selfTradePreventionMode"] = nil }
            mapped = .object(members)
        }
        return mapped
    }

    static func mapOrders(_ payload: JSONValue) throws(ToolError) -> [JSONValue] {
        guard let elements = payload.arrayValue else {
            throw ToolError(.internalError, "Unexpected response: expected a list of orders.")
        }
        var output: [JSONValue] = []
        for element in elements {
            output.append(try mapOrder(element))
        }
        return output
    }
}
