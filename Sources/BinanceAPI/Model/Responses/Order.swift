/// One trade that filled part of a new order (`FULL` response).
package struct Fill: Codable, Sendable, Equatable {
    package var price: DecimalValue
    package var qty: DecimalValue
    package var commission: DecimalValue
    package var commissionAsset: String
    package var tradeId: Int64

    package init(
        price: DecimalValue,
        qty: DecimalValue,
        commission: DecimalValue,
        commissionAsset: String,
        tradeId: Int64
    ) {
        self.price = price
        self.qty = qty
        self.commission = commission
        self.commissionAsset = commissionAsset
        self.tradeId = tradeId
    }
}

/// An order as Binance reports it: new-order responses (`ACK`, `RESULT`, `FULL`), queries, open and all orders,
/// and cancels. Fields missing from the shorter forms are nil.
package struct Order: Codable, Sendable, Equatable {
    package var symbol: String
    package var orderId: Int64
    package var orderListId: Int64?
    package var clientOrderId: String
    /// Present in cancel responses: the client order id the order had before the cancel.
    package var origClientOrderId: String?
    package var transactTime: Int64?
    package var price: DecimalValue?
    package var origQty: DecimalValue?
    package var executedQty: DecimalValue?
    package var origQuoteOrderQty: DecimalValue?
    /// Binance's spelling.
    package var cummulativeQuoteQty: DecimalValue?
    /// NEW, PENDING_NEW, PARTIALLY_FILLED, FILLED, CANCELED, PENDING_CANCEL, REJECTED, EXPIRED,
    /// EXPIRED_IN_MATCH.
    package var status: String?
    package var timeInForce: String?
    package var type: String?
    package var side: String?
    package var stopPrice: DecimalValue?
    package var icebergQty: DecimalValue?
    package var trailingDelta: Int64?
    package var trailingTime: Int64?
    package var time: Int64?
    package var updateTime: Int64?
    package var isWorking: Bool?
    package var workingTime: Int64?
    package var selfTradePreventionMode: String?
    package var preventedMatchId: Int64?
    package var preventedQuantity: DecimalValue?
    package var strategyId: Int64?
    package var strategyType: Int64?
    package var expiryReason: String?
    package var fills: [Fill]?

    package init(
        symbol: String,
        orderId: Int64,
        orderListId: Int64? = nil,
        clientOrderId: String,
        origClientOrderId: String? = nil,
        transactTime: Int64? = nil,
        price: DecimalValue? = nil,
        origQty: DecimalValue? = nil,
        executedQty: DecimalValue? = nil,
        origQuoteOrderQty: DecimalValue? = nil,
        cummulativeQuoteQty: DecimalValue? = nil,
        status: String? = nil,
        timeInForce: String? = nil,
        type: String? = nil,
        side: String? = nil,
        stopPrice: DecimalValue? = nil,
        icebergQty: DecimalValue? = nil,
        trailingDelta: Int64? = nil,
        trailingTime: Int64? = nil,
        time: Int64? = nil,
        updateTime: Int64? = nil,
        isWorking: Bool? = nil,
        workingTime: Int64? = nil,
        selfTradePreventionMode: String? = nil,
        preventedMatchId: Int64? = nil,
        preventedQuantity: DecimalValue? = nil,
        strategyId: Int64? = nil,
        strategyType: Int64? = nil,
        expiryReason: String? = nil,
        fills: [Fill]? = nil
    ) {
        self.symbol = symbol
        self.orderId = orderId
        self.orderListId = orderListId
        self.clientOrderId = clientOrderId
        self.origClientOrderId = origClientOrderId
        self.transactTime = transactTime
        self.price = price
        self.origQty = origQty
        self.executedQty = executedQty
        self.origQuoteOrderQty = origQuoteOrderQty
        self.cummulativeQuoteQty = cummulativeQuoteQty
        self.status = status
        self.timeInForce = timeInForce
        self.type = type
        self.side = side
        self.stopPrice = stopPrice
        self.icebergQty = icebergQty
        self.trailingDelta = trailingDelta
        self.trailingTime = trailingTime
        self.time = time
        self.updateTime = updateTime
        self.isWorking = isWorking
        self.workingTime = workingTime
        self.selfTradePreventionMode = selfTradePreventionMode
        self.preventedMatchId = preventedMatchId
        self.preventedQuantity = preventedQuantity
        self.strategyId = strategyId
        self.strategyType = strategyType
        self.expiryReason = expiryReason
        self.fills = fills
    }
}

extension Order {
    /// Statuses after which the order can no longer trade or be cancelled.
    package static let finalStatuses: Set<String> = ["FILLED", "CANCELED", "REJECTED", "EXPIRED", "EXPIRED_IN_MATCH"]

    /// True when `status` is final; false for open orders and for `ACK` responses, which carry no status.
    package var isFinal: Bool { status.map(Self.finalStatuses.contains) ?? false }
}
