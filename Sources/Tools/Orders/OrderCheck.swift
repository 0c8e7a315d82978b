import BinanceAPI
import Foundation

/// The local checks every order passes before it leaves, shared by `preview_order` and `create_order`:
/// parameters required per order type, then PRICE_FILTER, LOT_SIZE and MARKET_LOT_SIZE, ICEBERG_PARTS,
/// TRAILING_DELTA, PERCENT_PRICE and PERCENT_PRICE_BY_SIDE, MIN_NOTIONAL and NOTIONAL, MAX_NUM_ORDERS and
/// MAX_NUM_ALGO_ORDERS (when the environment has the open-order counts), and the free balance.
///
/// All arithmetic is `Decimal`. A value off a tick or step is rejected with the nearest valid values, unless
/// the draft requests rounding down. A rounded value is reported as an adjustment, so nothing changes silently.
package enum OrderCheck {
    static let typesWithPrice: Set<String> = ["LIMIT", "LIMIT_MAKER", "STOP_LOSS_LIMIT", "TAKE_PROFIT_LIMIT"]
    static let typesWithStopPrice: Set<String> = ["STOP_LOSS", "STOP_LOSS_LIMIT", "TAKE_PROFIT", "TAKE_PROFIT_LIMIT"]
    static let typesWithTimeInForce: Set<String> = ["LIMIT", "STOP_LOSS_LIMIT", "TAKE_PROFIT_LIMIT"]
    /// Order types that take `iceberg_qty`.
    static let typesWithIceberg: Set<String> = ["LIMIT", "LIMIT_MAKER", "STOP_LOSS_LIMIT", "TAKE_PROFIT_LIMIT"]

    /// Checks a draft against the symbol's rules and returns the order to send.
    /// - Throws: `validation_error` for missing or superfluous parameters, `filter_violation` for values the
    ///   exchange's filters or the free balance reject.
    package static func check(
        _ draft: OrderDraft,
        rules: SymbolRules,
        environment: OrderEnvironment
    ) throws(ToolError) -> CheckedOrder {
        try checkSymbolAccepts(draft, rules: rules)
        try checkParameterSet(draft)

        var order = CheckedOrder(
            symbol: draft.symbol,
            side: draft.side,
            type: draft.type,
            baseAsset: rules.baseAsset,
            quoteAsset: rules.quoteAsset,
            quantity: nil,
            quoteOrderQuantity: draft.quoteOrderQuantity,
            price: nil,
            stopPrice: nil,
            timeInForce: typesWithTimeInForce.contains(draft.type) ? (draft.timeInForce ?? "GTC") : nil,
            trailingDelta: draft.trailingDelta,
            selfTradePreventionMode: draft.selfTradePreventionMode,
            notional: nil,
            isNotionalEstimated: false,
            adjustments: []
        )
        if let price = draft.price {
            order.price = try checkPrice(price, parameter: "price", draft: draft, rules: rules, order: &order)
        }
        if let stopPrice = draft.stopPrice {
            order.stopPrice = try checkPrice(stopPrice, parameter: "stop_price", draft: draft, rules: rules, order: &order)
        }
        if let quantity = draft.quantity {
            order.quantity = try checkQuantity(quantity, draft: draft, rules: rules, environment: environment, order: &order)
        }
        if let quoteQuantity = draft.quoteOrderQuantity {
            try checkQuoteQuantity(quoteQuantity, rules: rules)
        }
        if let iceberg = draft.icebergQuantity {
            order.icebergQuantity = try checkIceberg(iceberg, draft: draft, rules: rules, order: &order)
        }
        if let delta = draft.trailingDelta {
            try checkTrailingDelta(delta, draft: draft, rules: rules)
        }

        try checkPercentPrice(order, rules: rules, environment: environment)
        try checkNotional(&order, rules: rules, environment: environment)
        try checkOpenOrderLimits(draft, rules: rules, environment: environment)
        try checkBalance(order, environment: environment)
        return order
    }

    // MARK: - Parameters

    static func checkSymbolAccepts(_ draft: OrderDraft, rules: SymbolRules) throws(ToolError) {
        guard rules.status == "TRADING" else {
            throw .validation("Symbol '\(draft.symbol)' is not trading now (status \(rules.status)).")
        }
        guard rules.orderTypes.contains(draft.type) else {
            throw .validation(
                "Invalid order_type '\(draft.type)' for \(draft.symbol): allowed types are "
                    + "\(rules.orderTypes.joined(separator: ", "))."
            )
        }
        if draft.quoteOrderQuantity != nil, rules.quoteOrderQtyMarketAllowed == false {
            throw .validation(
                "Invalid quote_order_qty '\(DecimalText.format(draft.quoteOrderQuantity ?? 0))' for \(draft.symbol): "
                    + "the symbol does not accept orders by quote amount."
            )
        }
        if let iceberg = draft.icebergQuantity, rules.icebergAllowed == false {
            throw .validation(
                "Invalid iceberg_qty '\(DecimalText.format(iceberg))' for \(draft.symbol): the symbol does not accept "
                    + "iceberg orders."
            )
        }
        if let delta = draft.trailingDelta, rules.allowTrailingStop == false {
            throw .validation(
                "Invalid trailing_delta '\(delta)' for \(draft.symbol): the symbol does not accept trailing stop orders."
            )
        }
        if let mode = draft.selfTradePreventionMode, let allowed = rules.allowedSelfTradePreventionModes,
            !allowed.contains(mode)
        {
            throw .validation(
                "Invalid self_trade_prevention_mode '\(mode)' for \(draft.symbol): allowed modes are "
                    + "\(allowed.joined(separator: ", "))."
            )
        }
    }

    static func checkParameterSet(_ draft: OrderDraft) throws(ToolError) {
        let type = draft.type
        if typesWithPrice.contains(type), draft.price == nil {
            throw .validation("Missing price: \(type) orders need a price.")
        }
        if !typesWithPrice.contains(type), let price = draft.price {
            throw .validation(
                "Invalid price '\(DecimalText.format(price))' for a \(type) order: \(type) orders take no price; remove it."
            )
        }
        if typesWithStopPrice.contains(type), draft.stopPrice == nil, draft.trailingDelta == nil {
            throw .validation("Missing stop_price: \(type) orders need a stop_price or a trailing_delta.")
        }
        if !typesWithStopPrice.contains(type), let delta = draft.trailingDelta {
            throw .validation(
                "Invalid trailing_delta '\(delta)' for a \(type) order: only STOP_LOSS, STOP_LOSS_LIMIT, TAKE_PROFIT "
                    + "and TAKE_PROFIT_LIMIT orders trail; remove it."
            )
        }
        if let iceberg = draft.icebergQuantity {
            guard typesWithIceberg.contains(type) else {
                throw .validation(
                    "Invalid iceberg_qty '\(DecimalText.format(iceberg))' for a \(type) order: only LIMIT, LIMIT_MAKER, "
                        + "STOP_LOSS_LIMIT and TAKE_PROFIT_LIMIT orders take iceberg_qty."
                )
            }
            if let timeInForce = draft.timeInForce, timeInForce != "GTC" {
                throw .validation(
                    "Invalid time_in_force '\(timeInForce)' for an iceberg order: orders with iceberg_qty must be GTC."
                )
            }
        }
        if !typesWithStopPrice.contains(type), let stopPrice = draft.stopPrice {
            throw .validation(
                "Invalid stop_price '\(DecimalText.format(stopPrice))' for a \(type) order: \(type) orders take no "
                    + "stop_price; remove it."
            )
        }
        if !typesWithTimeInForce.contains(type), let timeInForce = draft.timeInForce {
            throw .validation(
                "Invalid time_in_force '\(timeInForce)' for a \(type) order: \(type) orders take no time_in_force."
            )
        }
        if type == "MARKET" {
            if draft.quantity == nil, draft.quoteOrderQuantity == nil {
                throw .validation("Missing quantity: MARKET orders need quantity or quote_order_qty.")
            }
            if draft.quantity != nil, draft.quoteOrderQuantity != nil {
                throw .validation("Invalid MARKET order: give quantity or quote_order_qty, not both.")
            }
        } else {
            if let quoteQuantity = draft.quoteOrderQuantity {
                throw .validation(
                    "Invalid quote_order_qty '\(DecimalText.format(quoteQuantity))' for a \(type) order: only MARKET "
                        + "orders take quote_order_qty."
                )
            }
            if draft.quantity == nil {
                throw .validation("Missing quantity: \(type) orders need a quantity.")
            }
        }
        if draft.quantity == .all, draft.side != "SELL" {
            throw .validation("Invalid quantity 'all' for a BUY order: 'all' sells the whole free balance, so only SELL orders take it.")
        }
    }

    // MARK: - PRICE_FILTER

    static func checkPrice(
        _ price: Decimal,
        parameter: String,
        draft: OrderDraft,
        rules: SymbolRules,
        order: inout CheckedOrder
    ) throws(ToolError) -> Decimal {
        let text = DecimalText.format(price)
        let filter = rules.filter("PRICE_FILTER")
        let tick = filter?.tickSize?.value ?? 0
        if tick == 0 {
            try checkPrecision(price, text: text, parameter: parameter, places: rules.quoteAssetPrecision,
                               asset: rules.quoteAsset, symbol: draft.symbol)
        }
        guard let filter else { return price }
        var checked = price
        if tick > 0, !DecimalText.isMultiple(price, of: tick) {
            let lower = DecimalText.floor(price, toMultipleOf: tick)
            if draft.roundsDown {
                checked = lower
                order.adjustments.append(.init(
                    parameter: parameter, requested: text, adjusted: lower,
                    reason: "rounded down to the tick size \(DecimalText.format(tick))"
                ))
            } else {
                let nearest = validNeighbours(lower, step: tick, minimum: filter.minPrice?.value, maximum: filter.maxPrice?.value)
                throw ToolError(
                    .filterViolation,
                    "Invalid \(parameter) '\(text)' for \(draft.symbol): not a multiple of the tick size "
                        + "\(DecimalText.format(tick)); \(describe(nearest, singular: "price", plural: "prices")).",
                    hint: "Pass a valid value, or add round=down to round down.",
                    details: ["nearest": .array(nearest.map { .string(DecimalText.format($0)) })]
                )
            }
        }
        if let minimum = filter.minPrice?.value, minimum > 0, checked < minimum {
            throw ToolError(
                .filterViolation,
                "Invalid \(parameter) '\(text)' for \(draft.symbol): below the minimum price \(DecimalText.format(minimum))."
            )
        }
        if let maximum = filter.maxPrice?.value, maximum > 0, checked > maximum {
            throw ToolError(
                .filterViolation,
                "Invalid \(parameter) '\(text)' for \(draft.symbol): above the maximum price \(DecimalText.format(maximum))."
            )
        }
        return checked
    }

    // MARK: - LOT_SIZE and MARKET_LOT_SIZE

    static func checkQuantity(
        _ quantity: OrderDraft.Quantity,
        draft: OrderDraft,
        rules: SymbolRules,
        environment: OrderEnvironment,
        order: inout CheckedOrder
    ) throws(ToolError) -> Decimal {
        let lot = rules.filter("LOT_SIZE")
        let marketLot = draft.type == "MARKET" ? rules.filter("MARKET_LOT_SIZE") : nil
        let step = max(lot?.stepSize?.value ?? 0, marketLot?.stepSize?.value ?? 0)

        var value: Decimal
        let requested: String
        switch quantity {
        case .all:
            guard let free = environment.freeBase else {
                throw ToolError(.internalError, "The free balance of \(rules.baseAsset) is unknown, so quantity 'all' cannot be computed.")
            }
            value = DecimalText.floor(free, toMultipleOf: step)
            requested = "all"
            order.adjustments.append(.init(
                parameter: "quantity", requested: "all", adjusted: value,
                reason: "the free \(rules.baseAsset) balance \(DecimalText.format(free)) floored to the step size "
                    + "\(DecimalText.format(step))"
            ))
            let minimum = max(lot?.minQty?.value ?? 0, marketLot?.minQty?.value ?? 0)
            if value <= 0 || value < minimum {
                throw ToolError(
                    .filterViolation,
                    "Invalid quantity 'all' for \(draft.symbol): the free balance \(DecimalText.format(free)) "
                        + "\(rules.baseAsset) floored to the step size \(DecimalText.format(step)) is "
                        + "\(DecimalText.format(value)), below the minimum quantity \(DecimalText.format(minimum))."
                )
            }
        case .amount(let amount):
            value = amount
            requested = DecimalText.format(amount)
            if step > 0, !DecimalText.isMultiple(amount, of: step) {
                let lower = DecimalText.floor(amount, toMultipleOf: step)
                if draft.roundsDown {
                    value = lower
                    order.adjustments.append(.init(
                        parameter: "quantity", requested: requested, adjusted: lower,
                        reason: "rounded down to the step size \(DecimalText.format(step))"
                    ))
                } else {
                    let minimum = max(lot?.minQty?.value ?? 0, marketLot?.minQty?.value ?? 0)
                    let maximum = [lot?.maxQty?.value, marketLot?.maxQty?.value].compactMap { $0 }.filter { $0 > 0 }.min()
                    let nearest = validNeighbours(lower, step: step, minimum: minimum, maximum: maximum)
                    throw ToolError(
                        .filterViolation,
                        "Invalid quantity '\(requested)' for \(draft.symbol): not a multiple of the step size "
                            + "\(DecimalText.format(step)); \(describe(nearest, singular: "quantity", plural: "quantities")).",
                        hint: "Pass a valid value, or add round=down to round down.",
                        details: ["nearest": .array(nearest.map { .string(DecimalText.format($0)) })]
                    )
                }
            }
        }

        if step == 0 {
            try checkPrecision(value, text: requested, parameter: "quantity", places: rules.baseAssetPrecision,
                               asset: rules.baseAsset, symbol: draft.symbol)
        }
        for (filter, label) in [(lot, "quantity"), (marketLot, "market order quantity")] {
            guard let filter else { continue }
            if let minimum = filter.minQty?.value, minimum > 0, value < minimum {
                throw ToolError(
                    .filterViolation,
                    "Invalid quantity '\(requested)' for \(draft.symbol): below the minimum \(label) "
                        + "\(DecimalText.format(minimum))."
                )
            }
            if let maximum = filter.maxQty?.value, maximum > 0, value > maximum {
                throw ToolError(
                    .filterViolation,
                    "Invalid quantity '\(requested)' for \(draft.symbol): above the maximum \(label) "
                        + "\(DecimalText.format(maximum))."
                )
            }
        }
        return value
    }

    /// Checks a value against the asset's precision (8 when exchangeInfo gives none), which matters when the
    /// tick or step size is zero and so does not limit the decimals (Binance answers -1111 otherwise).
    static func checkPrecision(
        _ value: Decimal,
        text: String,
        parameter: String,
        places: Int?,
        asset: String,
        symbol: String
    ) throws(ToolError) {
        let places = places ?? 8
        guard DecimalText.scale(of: value) > places else { return }
        throw ToolError(
            .filterViolation,
            "Invalid \(parameter) '\(text)' for \(symbol): at most \(places) decimal places are allowed for \(asset)."
        )
    }

    /// Checks that a quote amount has no more decimals than the quote asset allows.
    static func checkQuoteQuantity(_ amount: Decimal, rules: SymbolRules) throws(ToolError) {
        let precision = rules.quoteAssetPrecision ?? 8
        let text = DecimalText.format(amount)
        guard DecimalText.scale(of: amount) <= precision else {
            throw ToolError(
                .filterViolation,
                "Invalid quote_order_qty '\(text)' for \(rules.symbol): at most \(precision) decimal places are "
                    + "allowed for \(rules.quoteAsset)."
            )
        }
    }

    // MARK: - PERCENT_PRICE and PERCENT_PRICE_BY_SIDE

    static func checkPercentPrice(_ order: CheckedOrder, rules: SymbolRules, environment: OrderEnvironment) throws(ToolError) {
        guard let price = order.price, let average = environment.averagePrice, average > 0 else { return }
        var bounds: (down: Decimal, up: Decimal)?
        if let filter = rules.filter("PERCENT_PRICE_BY_SIDE") {
            let isBuy = order.side == "BUY"
            if let down = (isBuy ? filter.bidMultiplierDown : filter.askMultiplierDown)?.value,
                let up = (isBuy ? filter.bidMultiplierUp : filter.askMultiplierUp)?.value
            {
                bounds = (down, up)
            }
        } else if let filter = rules.filter("PERCENT_PRICE"),
            let down = filter.multiplierDown?.value, let up = filter.multiplierUp?.value
        {
            bounds = (down, up)
        }
        guard let bounds else { return }

        let lowest = average * bounds.down
        let highest = average * bounds.up
        guard price < lowest || price > highest else { return }
        throw ToolError(
            .filterViolation,
            "Invalid price '\(DecimalText.format(price))' for \(order.symbol): a \(order.side) price must lie between "
                + "\(DecimalText.format(lowest)) and \(DecimalText.format(highest)) (\(DecimalText.format(bounds.down)) "
                + "to \(DecimalText.format(bounds.up)) times the average price \(DecimalText.format(average)))."
        )
    }

    // MARK: - MIN_NOTIONAL and NOTIONAL

    static func checkNotional(_ order: inout CheckedOrder, rules: SymbolRules, environment: OrderEnvironment) throws(ToolError) {
        let isMarketPriced = order.price == nil
        let unitPrice: Decimal? = order.price ?? order.stopPrice ?? environment.averagePrice
        if let quote = order.quoteOrderQuantity {
            order.notional = quote
        } else if let quantity = order.quantity, let unitPrice {
            order.notional = quantity * unitPrice
            order.isNotionalEstimated = isMarketPriced
        }
        guard let notional = order.notional else { return }

        var minimum: Decimal?
        var maximum: Decimal?
        if let filter = rules.filter("MIN_NOTIONAL"), !isMarketPriced || filter.applyToMarket != false {
            minimum = filter.minNotional?.value ?? filter.notional?.value
        }
        if let filter = rules.filter("NOTIONAL") {
            if !isMarketPriced || filter.applyMinToMarket != false { minimum = filter.minNotional?.value }
            if !isMarketPriced || filter.applyMaxToMarket == true { maximum = filter.maxNotional?.value }
        }
        let text = DecimalText.format(notional)
        let quote = rules.quoteAsset
        if let minimum, minimum > 0, notional < minimum {
            var message = "Invalid order value '\(text)' \(quote) for \(order.symbol): below the minimum notional "
                + "\(DecimalText.format(minimum)) \(quote)"
            if let unitPrice, unitPrice > 0, order.quoteOrderQuantity == nil {
                let smallest = ceiling(minimum / unitPrice, toMultipleOf: rules.stepSize)
                message += "; the smallest valid quantity at price \(DecimalText.format(unitPrice)) is "
                    + "\(DecimalText.format(smallest))"
            }
            throw ToolError(.filterViolation, message + ".")
        }
        if let maximum, maximum > 0, notional > maximum {
            throw ToolError(
                .filterViolation,
                "Invalid order value '\(text)' \(quote) for \(order.symbol): above the maximum notional "
                    + "\(DecimalText.format(maximum)) \(quote)."
            )
        }
    }

    // MARK: - Balance

    static func checkBalance(_ order: CheckedOrder, environment: OrderEnvironment) throws(ToolError) {
        if order.side == "BUY", let free = environment.freeQuote, let needed = order.notional, needed > free {
            throw ToolError(
                .filterViolation,
                "Insufficient balance: the order needs \(order.isNotionalEstimated ? "about " : "")"
                    + "\(DecimalText.format(needed)) \(order.quoteAsset) but \(DecimalText.format(free)) "
                    + "\(order.quoteAsset) is free.",
                hint: "Lower the quantity, or cancel open orders that lock \(order.quoteAsset)."
            )
        }
        if order.side == "SELL", let free = environment.freeBase, let quantity = order.quantity, quantity > free {
            throw ToolError(
                .filterViolation,
                "Insufficient balance: the order sells \(DecimalText.format(quantity)) \(order.baseAsset) but "
                    + "\(DecimalText.format(free)) \(order.baseAsset) is free.",
                hint: "Lower the quantity, or use quantity=all to sell the whole free balance."
            )
        }
    }

    /// Returns the multiples of `step` just below and above a value (`lower` and `lower + step`) that the filter's
    /// bounds allow; a zero bound means no bound.
    static func validNeighbours(_ lower: Decimal, step: Decimal, minimum: Decimal?, maximum: Decimal?) -> [Decimal] {
        [lower, lower + step].filter { value in
            value > 0 && value >= (minimum ?? 0) && (maximum == nil || maximum! <= 0 || value <= maximum!)
        }
    }

    static func describe(_ values: [Decimal], singular: String, plural: String) -> String {
        switch values.count {
        case 0: return "no valid \(singular) is near"
        case 1: return "the nearest valid \(singular) is \(DecimalText.format(values[0]))"
        default: return "the nearest valid \(plural) are \(values.map(DecimalText.format).joined(separator: " and "))"
        }
    }

    /// Rounds up to a whole multiple of `step` (returns `value` when `step` is zero).
    static func ceiling(_ value: Decimal, toMultipleOf step: Decimal) -> Decimal {
        let lower = DecimalText.floor(value, toMultipleOf: step)
        return lower < value ? lower + step : lower
    }
}
