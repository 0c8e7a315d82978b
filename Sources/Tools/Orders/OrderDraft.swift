import BinanceAPI
import Foundation

/// An order as the user asked for it, before the symbol's rules are applied.
package struct OrderDraft: Sendable, Equatable {
    package enum Quantity: Sendable, Equatable {
        case amount(Decimal)
        /// The whole free balance of the base asset (SELL only).
        case all
    }

    package var symbol: String
    /// `BUY` or `SELL`.
    package var side: String
    /// Binance's order type, such as `LIMIT` or `STOP_LOSS_LIMIT`.
    package var type: String
    package var quantity: Quantity?
    package var quoteOrderQuantity: Decimal?
    package var price: Decimal?
    package var stopPrice: Decimal?
    package var timeInForce: String?
    /// Visible part of an iceberg order.
    package var icebergQuantity: Decimal?
    /// Trailing stop distance in basis points (100 is 1 %).
    package var trailingDelta: Int?
    /// Binance's `selfTradePreventionMode`, such as `EXPIRE_MAKER`; nil leaves the symbol's default.
    package var selfTradePreventionMode: String?
    package var clientOrderID: String?
    /// True when the user asked for prices and quantities off a tick or step to be rounded down.
    package var roundsDown: Bool

    package init(
        symbol: String,
        side: String,
        type: String,
        quantity: Quantity? = nil,
        quoteOrderQuantity: Decimal? = nil,
        price: Decimal? = nil,
        stopPrice: Decimal? = nil,
        timeInForce: String? = nil,
        icebergQuantity: Decimal? = nil,
        trailingDelta: Int? = nil,
        selfTradePreventionMode: String? = nil,
        clientOrderID: String? = nil,
        roundsDown: Bool = false
    ) {
        self.symbol = symbol
        self.side = side
        self.type = type
        self.quantity = quantity
        self.quoteOrderQuantity = quoteOrderQuantity
        self.price = price
        self.stopPrice = stopPrice
        self.timeInForce = timeInForce
        self.icebergQuantity = icebergQuantity
        self.trailingDelta = trailingDelta
        self.selfTradePreventionMode = selfTradePreventionMode
        self.clientOrderID = clientOrderID
        self.roundsDown = roundsDown
    }

    /// Builds a draft from decoded `create_order`/`preview_order` arguments.
    package init(_ arguments: ToolArguments) {
        let quantity: Quantity?
        switch arguments["quantity"] {
        case .decimal(let value)?: quantity = .amount(value)
        case .all?: quantity = .all
        default: quantity = nil
        }
        self.init(
            symbol: arguments.string("symbol") ?? "",
            side: arguments.string("side") ?? "",
            type: arguments.string("order_type") ?? "",
            quantity: quantity,
            quoteOrderQuantity: arguments.decimal("quote_order_qty"),
            price: arguments.decimal("price"),
            stopPrice: arguments.decimal("stop_price"),
            timeInForce: arguments.string("time_in_force"),
            icebergQuantity: arguments.decimal("iceberg_qty"),
            trailingDelta: arguments.integer("trailing_delta").map { Int($0) },
            selfTradePreventionMode: arguments.string("self_trade_prevention_mode"),
            clientOrderID: arguments.string("client_order_id"),
            roundsDown: arguments.string("round") == "down"
        )
    }
}

/// The facts the check needs besides the rules: the reference price and the free balances.
package struct OrderEnvironment: Sendable, Equatable {
    /// Binance's average price of the symbol, used for MARKET notional and PERCENT_PRICE checks; nil if unknown.
    package var averagePrice: Decimal?
    /// Free balance of the base asset; nil skips the balance check for sells.
    package var freeBase: Decimal?
    /// Free balance of the quote asset; nil skips the balance check for buys.
    package var freeQuote: Decimal?
    /// Taker commission rate, such as 0.001; nil when unknown.
    package var takerCommissionRate: Decimal?
    /// Open orders on the symbol, for MAX_NUM_ORDERS; nil skips that check.
    package var openOrderCount: Int?
    /// Open stop and take-profit orders on the symbol, for MAX_NUM_ALGO_ORDERS; nil skips that check.
    package var openAlgoOrderCount: Int?

    package init(
        averagePrice: Decimal? = nil,
        freeBase: Decimal? = nil,
        freeQuote: Decimal? = nil,
        takerCommissionRate: Decimal? = nil,
        openOrderCount: Int? = nil,
        openAlgoOrderCount: Int? = nil
    ) {
        self.averagePrice = averagePrice
        self.freeBase = freeBase
        self.freeQuote = freeQuote
        self.takerCommissionRate = takerCommissionRate
        self.openOrderCount = openOrderCount
        self.openAlgoOrderCount = openAlgoOrderCount
    }
}

/// An order that passed every local check, with its values normalized to the symbol's rules.
package struct CheckedOrder: Sendable, Equatable {
    /// A value the check changed on request (`round=down` or `quantity=all`): what was asked and what is sent.
    package struct Adjustment: Sendable, Equatable {
        package var parameter: String
        package var requested: String
        package var adjusted: Decimal
        package var reason: String
    }

    package var symbol: String
    package var side: String
    package var type: String
    package var baseAsset: String
    package var quoteAsset: String
    package var quantity: Decimal?
    package var quoteOrderQuantity: Decimal?
    package var price: Decimal?
    package var stopPrice: Decimal?
    package var timeInForce: String?
    package var icebergQuantity: Decimal? = nil
    package var trailingDelta: Int? = nil
    package var selfTradePreventionMode: String? = nil
    /// Order value in the quote asset: price × quantity, or an estimate at the average price for MARKET orders.
    package var notional: Decimal?
    /// True when `notional` is an estimate (MARKET and stop-market orders).
    package var isNotionalEstimated: Bool
    package var adjustments: [Adjustment]

    /// Returns the request parameters of `POST /api/v3/order` (and `order/test`), in Binance's documented order.
    package func requestParameters(clientOrderID: String?) -> RequestParameters {
        var parameters = RequestParameters()
        parameters.set("symbol", symbol)
        parameters.set("side", side)
        parameters.set("type", type)
        parameters.set("timeInForce", timeInForce)
        parameters.set("quantity", quantity.map(DecimalText.format))
        parameters.set("quoteOrderQty", quoteOrderQuantity.map(DecimalText.format))
        parameters.set("price", price.map(DecimalText.format))
        parameters.set("stopPrice", stopPrice.map(DecimalText.format))
        parameters.set("trailingDelta", trailingDelta.map { String($0) })
        parameters.set("icebergQty", icebergQuantity.map(DecimalText.format))
        parameters.set("selfTradePreventionMode", selfTradePreventionMode)
        parameters.set("newClientOrderId", clientOrderID)
        return parameters
    }

    /// The normalized order as result data.
    package var json: JSONValue {
        var members: [String: JSONValue] = [
            "symbol": .string(symbol),
            "side": .string(side),
            "type": .string(type),
        ]
        if let timeInForce { members["timeInForce"] = .string(timeInForce) }
        if let quantity { members["quantity"] = .string(DecimalText.format(quantity)) }
        if let quoteOrderQuantity { members["quoteOrderQty"] = .string(DecimalText.format(quoteOrderQuantity)) }
        if let price { members["price"] = .string(DecimalText.format(price)) }
        if let stopPrice { members["stopPrice"] = .string(DecimalText.format(stopPrice)) }
        if let trailingDelta { members["trailingDelta"] = .int(trailingDelta) }
        if let icebergQuantity { members["icebergQty"] = .string(DecimalText.format(icebergQuantity)) }
        if let selfTradePreventionMode { members["selfTradePreventionMode"] = .string(selfTradePreventionMode) }
        return .object(members)
    }

    /// The adjustments as result data; an empty array when nothing changed.
    package var adjustmentsJSON: JSONValue {
        .array(adjustments.map { adjustment in
            [
                "parameter": .string(adjustment.parameter),
                "requested": .string(adjustment.requested),
                "adjusted": .string(DecimalText.format(adjustment.adjusted)),
                "reason": .string(adjustment.reason),
            ]
        })
    }
}
