/// Parameters that several tools share, defined once so their names, rules and summaries agree.
enum Parameters {
    static let orderTypes = ["LIMIT", "MARKET", "STOP_LOSS", "STOP_LOSS_LIMIT", "TAKE_PROFIT", "TAKE_PROFIT_LIMIT",
                             "LIMIT_MAKER"]
    static let klineIntervals = ["1s", "1m", "3m", "5m", "15m", "30m", "1h", "2h", "4h", "6h", "8h", "12h", "1d",
                                 "3d", "1w", "1M"]

    static func symbol(required: Bool = true) -> ToolParameter {
        ToolParameter("symbol", .symbol, required: required, "Trading pair such as BTCUSDT; lowercase is accepted.")
    }

    static func limit(_ minimum: Int, _ maximum: Int, default defaultValue: Int, _ summary: String) -> ToolParameter {
        ToolParameter("limit", .integer(minimum: minimum, maximum: maximum), default: String(defaultValue), summary)
    }

    static let startTime = ToolParameter(
        "start_time", .timestamp,
        "Earliest time, in milliseconds since 1970-01-01 UTC or as an ISO 8601 date such as 2024-01-31."
    )
    static let endTime = ToolParameter(
        "end_time", .timestamp,
        "Latest time, in milliseconds since 1970-01-01 UTC or as an ISO 8601 date; must be after start_time."
    )
    static let side = ToolParameter("side", .enumeration(["BUY", "SELL"]), required: true, "BUY or SELL.")
    static let orderType = ToolParameter(
        "order_type", .enumeration(orderTypes), required: true,
        "Order type: LIMIT, MARKET, STOP_LOSS, STOP_LOSS_LIMIT, TAKE_PROFIT, TAKE_PROFIT_LIMIT or LIMIT_MAKER."
    )
    static let quantity = ToolParameter(
        "quantity", .quantity,
        "Amount of the base asset, a multiple of the symbol's step size; 'all' sells the whole free balance."
    )
    static let price = ToolParameter("price", .decimal, "Limit price in the quote asset, a multiple of the tick size.")
    static let timeInForce = ToolParameter(
        "time_in_force", .enumeration(["GTC", "IOC", "FOK"]),
        "How long a limit order stays: GTC (until canceled), IOC or FOK. LIMIT orders default to GTC."
    )
    static let stopPrice = ToolParameter(
        "stop_price", .decimal, "Trigger price of STOP_LOSS and TAKE_PROFIT orders, a multiple of the tick size."
    )
    static let icebergQuantity = ToolParameter(
        "iceberg_qty", .decimal,
        "Visible part of an iceberg order (LIMIT, LIMIT_MAKER, STOP_LOSS_LIMIT, TAKE_PROFIT_LIMIT; GTC only), a "
            + "multiple of the step size below quantity."
    )
    static let trailingDelta = ToolParameter(
        "trailing_delta", .integer(minimum: 1, maximum: 10_000),
        "Trailing stop distance in basis points (100 is 1 %) for STOP_LOSS and TAKE_PROFIT types, with or without "
            + "stop_price; the symbol's TRAILING_DELTA filter bounds it."
    )
    static let selfTradePreventionMode = ToolParameter(
        "self_trade_prevention_mode", .enumeration(["NONE", "EXPIRE_TAKER", "EXPIRE_MAKER", "EXPIRE_BOTH", "DECREMENT"]),
        "What happens when the order would trade with another of your orders; the symbol lists the modes it allows."
    )
    static let quoteOrderQuantity = ToolParameter(
        "quote_order_qty", .decimal, "For MARKET orders instead of quantity: amount of the quote asset to spend or receive."
    )
    static let clientOrderID = ToolParameter(
        "client_order_id", .clientOrderID, "Your id for the order: 1 to 36 letters, digits, '-' or '_'; generated if omitted."
    )
    static let round = ToolParameter(
        "round", .enumeration(["none", "down"]), default: "none",
        "down rounds a price or quantity off the tick or step size down to it; none rejects such values."
    )
    static let orderID = ToolParameter("order_id", .orderID, "Exchange order id; give this or client_order_id.")
    static let existingClientOrderID = ToolParameter(
        "client_order_id", .clientOrderID, "Client order id of the order; give this or order_id."
    )
    static let coin = ToolParameter("coin", .asset, required: true, "Coin such as BTC or USDT.")
}
