import BinanceAPI
import Foundation

/// ICEBERG_PARTS, TRAILING_DELTA, MAX_NUM_ORDERS and MAX_NUM_ALGO_ORDERS, with messages that name the value
/// and the filter as the other checks do.
extension OrderCheck {
    /// Stop and take-profit types, which Binance calls algo orders and counts for MAX_NUM_ALGO_ORDERS.
    package static let algoOrderTypes: Set<String> = ["STOP_LOSS", "STOP_LOSS_LIMIT", "TAKE_PROFIT", "TAKE_PROFIT_LIMIT"]

    /// True when checking the draft needs the symbol's open-order counts: it would rest on the book and the
    /// symbol limits open orders (every type but MARKET counts, and stop types count for the algo limit too).
    package static func needsOpenOrderCounts(_ draft: OrderDraft, rules: SymbolRules) -> Bool {
        guard draft.type != "MARKET" else { return false }
        if (rules.filter("MAX_NUM_ORDERS").flatMap(maximumOpenOrders) ?? 0) > 0 { return true }
        guard algoOrderTypes.contains(draft.type) else { return false }
        return (rules.filter("MAX_NUM_ALGO_ORDERS").flatMap(maximumOpenAlgoOrders) ?? 0) > 0
    }

    // MARK: - ICEBERG_PARTS

    /// Checks `iceberg_qty` against LOT_SIZE (which applies to it as to the quantity), the order quantity, and
    /// ICEBERG_PARTS, whose number of parts is the quantity divided by `iceberg_qty`, rounded up.
    /// - Returns: the iceberg quantity to send, rounded down to the step when the draft requests it.
    static func checkIceberg(
        _ iceberg: Decimal,
        draft: OrderDraft,
        rules: SymbolRules,
        order: inout CheckedOrder
    ) throws(ToolError) -> Decimal {
        let text = DecimalText.format(iceberg)
        let lot = rules.filter("LOT_SIZE")
        let step = lot?.stepSize?.value ?? 0
        var value = iceberg
        if step > 0, !DecimalText.isMultiple(iceberg, of: step) {
            let lower = DecimalText.floor(iceberg, toMultipleOf: step)
            guard draft.roundsDown else {
                let nearest = validNeighbours(lower, step: step, minimum: lot?.minQty?.value, maximum: lot?.maxQty?.value)
                throw ToolError(
                    .filterViolation,
                    "Invalid iceberg_qty '\(text)' for \(draft.symbol): not a multiple of the step size "
                        + "\(DecimalText.format(step)); \(describe(nearest, singular: "quantity", plural: "quantities")).",
                    hint: "Pass a valid value, or add round=down to round down.",
                    details: ["nearest": .array(nearest.map { .string(DecimalText.format($0)) })]
                )
            }
            value = lower
            order.adjustments.append(.init(
                parameter: "iceberg_qty", requested: text, adjusted: lower,
                reason: "rounded down to the step size \(DecimalText.format(step))"
            ))
        }
        if let minimum = lot?.minQty?.value, minimum > 0, value < minimum {
            throw ToolError(
                .filterViolation,
                "Invalid iceberg_qty '\(text)' for \(draft.symbol): below the minimum quantity \(DecimalText.format(minimum))."
            )
        }
        guard let quantity = order.quantity else { return value }
        guard value < quantity else {
            throw ToolError(
                .filterViolation,
                "Invalid iceberg_qty '\(text)' for \(draft.symbol): it must be less than the quantity "
                    + "\(DecimalText.format(quantity))."
            )
        }
        guard let limit = rules.filter("ICEBERG_PARTS")?.limit, limit > 0 else { return value }
        let parts = ceiling(quantity / value, toMultipleOf: 1)
        guard parts > Decimal(limit) else { return value }
        let smallest = ceiling(quantity / Decimal(limit), toMultipleOf: step)
        throw ToolError(
            .filterViolation,
            "Invalid iceberg_qty '\(text)' for \(draft.symbol): the order would show in \(DecimalText.format(parts)) parts, "
                + "but ICEBERG_PARTS allows at most \(limit); the smallest valid iceberg_qty for quantity "
                + "\(DecimalText.format(quantity)) is \(DecimalText.format(smallest))."
        )
    }

    // MARK: - TRAILING_DELTA

    /// Checks `trailing_delta` against TRAILING_DELTA: the "above" bounds apply to orders that trigger on a rise
    /// (STOP_LOSS BUY, TAKE_PROFIT SELL and their LIMIT forms), the "below" bounds to those that trigger on a fall.
    static func checkTrailingDelta(_ delta: Int, draft: OrderDraft, rules: SymbolRules) throws(ToolError) {
        guard let filter = rules.filter("TRAILING_DELTA") else { return }
        let triggersAbove = draft.type.hasPrefix("STOP_LOSS") == (draft.side == "BUY")
        let minimum = (triggersAbove ? filter.minTrailingAboveDelta : filter.minTrailingBelowDelta) ?? 0
        let maximum = (triggersAbove ? filter.maxTrailingAboveDelta : filter.maxTrailingBelowDelta) ?? 0
        guard delta < minimum || (maximum > 0 && delta > maximum) else { return }
        let direction = triggersAbove ? "a rise" : "a fall"
        throw ToolError(
            .filterViolation,
            "Invalid trailing_delta '\(delta)' for a \(draft.side) \(draft.type) order on \(draft.symbol): TRAILING_DELTA "
                + "allows \(minimum) to \(maximum) basis points for orders that trigger on \(direction)."
        )
    }

    // MARK: - MAX_NUM_ORDERS and MAX_NUM_ALGO_ORDERS

    /// Checks that one more open order fits under MAX_NUM_ORDERS, and one more stop or take-profit order under
    /// MAX_NUM_ALGO_ORDERS. MARKET orders never rest, so they are not counted, as on the simulator.
    // NOTE: Binance's filter documentation does not say whether a MARKET order is rejected at the limit; a live
    // rejection still comes back from the exchange as -1013.
    static func checkOpenOrderLimits(
        _ draft: OrderDraft,
        rules: SymbolRules,
        environment: OrderEnvironment
    ) throws(ToolError) {
        guard draft.type != "MARKET" else { return }
        let hint = "Cancel an open order with cancel_order, or all of the symbol's with cancel_open_orders."
        if let open = environment.openOrderCount, let maximum = rules.filter("MAX_NUM_ORDERS").flatMap(maximumOpenOrders),
            maximum > 0, open >= maximum
        {
            throw ToolError(
                .filterViolation,
                "Invalid order on \(draft.symbol): \(open) orders are open and MAX_NUM_ORDERS allows at most \(maximum).",
                hint: hint
            )
        }
        guard algoOrderTypes.contains(draft.type) else { return }
        if let open = environment.openAlgoOrderCount,
            let maximum = rules.filter("MAX_NUM_ALGO_ORDERS").flatMap(maximumOpenAlgoOrders), maximum > 0, open >= maximum
        {
            throw ToolError(
                .filterViolation,
                "Invalid \(draft.type) order on \(draft.symbol): \(open) stop and take-profit orders are open and "
                    + "MAX_NUM_ALGO_ORDERS allows at most \(maximum).",
                hint: hint
            )
        }
    }

    /// Spot writes the maximum as `maxNumOrders`, futures as `limit`.
    static func maximumOpenOrders(_ filter: SymbolFilter) -> Int? { filter.maxNumOrders ?? filter.limit }

    static func maximumOpenAlgoOrders(_ filter: SymbolFilter) -> Int? { filter.maxNumAlgoOrders ?? filter.limit }
}
