import BinanceAPI
import Foundation

/// A new-order request after parameter checks, before filters and matching.
struct OrderRequest {
    var rules: SymbolRules
    var side: String
    var type: String
    var timeInForce: String?
    var quantity: Decimal?
    var quoteOrderQty: Decimal?
    var price: Decimal?
    var stopPrice: Decimal?
    /// Trailing stop distance in basis points.
    var trailingDelta: Int64?
    var icebergQty: Decimal?
    var clientOrderId: String?
    var responseType: String
    var selfTradePreventionMode: String

    var isBuy: Bool { side == "BUY" }
    var isConditional: Bool { type == "STOP_LOSS_LIMIT" || type == "TAKE_PROFIT_LIMIT" }
    /// True for the four stop and take-profit types, which MAX_NUM_ALGO_ORDERS counts.
    var isAlgo: Bool { ExchangeEngine.algoOrderTypes.contains(type) }
    var isMarket: Bool { type == "MARKET" }

    /// True when the order triggers on a rise (STOP_LOSS BUY, TAKE_PROFIT SELL), which TRAILING_DELTA bounds
    /// with its "above" limits. The other algo orders trigger on a fall.
    var triggersAbove: Bool { type.hasPrefix("STOP_LOSS") == isBuy }
}

extension ExchangeEngine {
    static let algoOrderTypes: Set<String> = ["STOP_LOSS", "STOP_LOSS_LIMIT", "TAKE_PROFIT", "TAKE_PROFIT_LIMIT"]
    static let icebergOrderTypes: Set<String> = ["LIMIT", "LIMIT_MAKER", "STOP_LOSS_LIMIT", "TAKE_PROFIT_LIMIT"]
    static let selfTradePreventionModes: Set<String> = ["NONE", "EXPIRE_TAKER", "EXPIRE_MAKER", "EXPIRE_BOTH", "DECREMENT"]

    static let supportedOrderTypes: Set<String> = [
        "LIMIT", "MARKET", "STOP_LOSS", "STOP_LOSS_LIMIT", "TAKE_PROFIT", "TAKE_PROFIT_LIMIT", "LIMIT_MAKER",
    ]

    /// Reads and checks the parameters of `POST /api/v3/order` in the order Binance reports problems.
    func readOrderRequest(_ parameters: ReceivedParameters) throws(APIFailure) -> OrderRequest {
        let symbol = try parameters.symbol()
        let side = try parameters.required("side")
        let type = try parameters.required("type")
        let rules = try rules(symbol)
        guard side == "BUY" || side == "SELL" else { throw APIFailure(code: -1117, "Invalid side.") }
        guard Self.supportedOrderTypes.contains(type) else { throw APIFailure(code: -1116, "Invalid orderType.") }
        guard rules.orderTypes.contains(type) else {
            throw APIFailure(code: -1013, "Order type not supported for this symbol.")
        }

        let needsTimeInForce = ["LIMIT", "STOP_LOSS_LIMIT", "TAKE_PROFIT_LIMIT"].contains(type)
        var timeInForce: String?
        if needsTimeInForce {
            let value = try parameters.required("timeInForce")
            guard ["GTC", "IOC", "FOK"].contains(value) else { throw APIFailure(code: -1115, "Invalid timeInForce.") }
            timeInForce = value
        } else if parameters.has("timeInForce") {
            throw APIFailure.notRequired("timeInForce")
        }

        let quantity = try parameters.decimal("quantity")
        let quoteOrderQty = try parameters.decimal("quoteOrderQty")
        if type == "MARKET" {
            if quantity == nil, quoteOrderQty == nil { throw APIFailure.eitherOr("quantity", "quoteOrderQty") }
            if quantity != nil, quoteOrderQty != nil { throw APIFailure.notRequired("quoteOrderQty") }
            if quoteOrderQty != nil, !rules.quoteOrderQtyMarketAllowed {
                throw APIFailure(code: -2010, "Quote order qty market orders are not supported for this symbol.")
            }
        } else {
            if quantity == nil { throw APIFailure.mandatory("quantity") }
            if quoteOrderQty != nil { throw APIFailure.notRequired("quoteOrderQty") }
        }

        let price = try parameters.decimal("price")
        if ["LIMIT", "LIMIT_MAKER", "STOP_LOSS_LIMIT", "TAKE_PROFIT_LIMIT"].contains(type) {
            if price == nil { throw APIFailure.mandatory("price") }
        } else if price != nil {
            throw APIFailure.notRequired("price")
        }

        let stopPrice = try parameters.decimal("stopPrice")
        let trailingDelta = try parameters.integer("trailingDelta")
        if Self.algoOrderTypes.contains(type) {
            if stopPrice == nil, trailingDelta == nil { throw APIFailure.eitherOr("stopPrice", "trailingDelta") }
        } else {
            if stopPrice != nil { throw APIFailure.notRequired("stopPrice") }
            if trailingDelta != nil { throw APIFailure.notRequired("trailingDelta") }
        }
        if let trailingDelta {
            guard rules.isTrailingStopAllowed else {
                throw APIFailure(code: -2010, "Trailing stop orders are not supported for this symbol.")
            }
            guard trailingDelta > 0 else { throw APIFailure.filter("TRAILING_DELTA") }
        }

        let icebergQty = try parameters.decimal("icebergQty")
        if icebergQty != nil {
            guard Self.icebergOrderTypes.contains(type) else { throw APIFailure.notRequired("icebergQty") }
            guard rules.isIcebergAllowed else {
                throw APIFailure(code: -2010, "Iceberg orders are not supported for this symbol.")
            }
            if let timeInForce, timeInForce != "GTC" {
                throw APIFailure(code: -2010, "Unsupported order combination")
            }
        }

        var clientOrderId: String?
        if let value = try parameters.optional("newClientOrderId") {
            guard ReceivedParameters.matchesClientOrderId(value) else {
                throw APIFailure.illegalCharacters("newClientOrderId", legal: ReceivedParameters.clientOrderIdPattern)
            }
            clientOrderId = value
        }
        let defaultResponse = type == "MARKET" || type == "LIMIT" ? "FULL" : "ACK"
        let responseType = try parameters.optional("newOrderRespType") ?? defaultResponse
        guard ["ACK", "RESULT", "FULL"].contains(responseType) else { throw APIFailure.invalidParameter("newOrderRespType") }
        let preventionMode = try parameters.optional("selfTradePreventionMode") ?? rules.defaultSelfTradePreventionMode
        guard Self.selfTradePreventionModes.contains(preventionMode),
              rules.allowedSelfTradePreventionModes?.contains(preventionMode) ?? true
        else {
            throw APIFailure.invalidParameter("selfTradePreventionMode")
        }
        if let strategyType = try parameters.integer("strategyType"), strategyType < 1_000_000 {
            throw APIFailure(code: -1100, "Illegal characters found in parameter 'strategyType'; legal range is '1000000'.")
        }
        _ = try parameters.integer("strategyId")

        try checkPrecision(quantity, name: "quantity", scale: rules.baseAssetPrecision)
        try checkPrecision(icebergQty, name: "icebergQty", scale: rules.baseAssetPrecision)
        try checkPrecision(quoteOrderQty, name: "quoteOrderQty", scale: rules.quoteAssetPrecision)
        try checkPrecision(price, name: "price", scale: rules.quoteAssetPrecision)
        try checkPrecision(stopPrice, name: "stopPrice", scale: rules.quoteAssetPrecision)

        return OrderRequest(
            rules: rules, side: side, type: type, timeInForce: timeInForce, quantity: quantity,
            quoteOrderQty: quoteOrderQty, price: price, stopPrice: stopPrice, trailingDelta: trailingDelta,
            icebergQty: icebergQty,
            clientOrderId: clientOrderId, responseType: responseType, selfTradePreventionMode: preventionMode
        )
    }

    private func checkPrecision(_ value: Decimal?, name: String, scale: Int) throws(APIFailure) {
        guard let value else { return }
        if DecimalText.scale(of: value) > scale {
            throw APIFailure(code: -1111, "Parameter '\(name)' has too much precision.")
        }
    }

    /// Applies the symbol's filters with Binance's -1013 messages.
    func checkFilters(_ order: OrderRequest, at time: Int64) throws(APIFailure) {
        let rules = order.rules
        if let price = order.price, price <= 0 { throw APIFailure(code: -1013, "Invalid price.") }
        if let quantity = order.quantity, quantity <= 0 { throw APIFailure(code: -1013, "Invalid quantity.") }
        if let quote = order.quoteOrderQty, quote <= 0 { throw APIFailure(code: -1013, "Invalid quoteOrderQty.") }

        if let filter = rules.price {
            for value in [order.price, order.stopPrice].compactMap({ $0 }) {
                if filter.min > 0, value < filter.min { throw APIFailure.filter("PRICE_FILTER") }
                if filter.max > 0, value > filter.max { throw APIFailure.filter("PRICE_FILTER") }
                if filter.step > 0, !DecimalText.isMultiple(value, of: filter.step) { throw APIFailure.filter("PRICE_FILTER") }
            }
        }
        if let price = order.price {
            if let filter = rules.percentPrice {
                let average = averagePrice(rules, minutes: filter.avgPriceMins, at: time)
                if price > average * filter.up || price < average * filter.down { throw APIFailure.filter("PERCENT_PRICE") }
            }
            if let filter = rules.percentPriceBySide {
                let average = averagePrice(rules, minutes: filter.avgPriceMins, at: time)
                let up = order.isBuy ? filter.bidUp : filter.askUp
                let down = order.isBuy ? filter.bidDown : filter.askDown
                if price > average * up || price < average * down { throw APIFailure.filter("PERCENT_PRICE_BY_SIDE") }
            }
        }
        for quantity in [order.quantity, order.icebergQty].compactMap({ $0 }) {
            if let filter = rules.lotSize {
                if quantity < filter.min { throw APIFailure.filter("LOT_SIZE") }
                if filter.max > 0, quantity > filter.max { throw APIFailure.filter("LOT_SIZE") }
                if filter.step > 0, !DecimalText.isMultiple(quantity, of: filter.step) { throw APIFailure.filter("LOT_SIZE") }
            }
        }
        if order.isMarket, let quantity = order.quantity, let filter = rules.marketLotSize {
            if filter.min > 0, quantity < filter.min { throw APIFailure.filter("MARKET_LOT_SIZE") }
            if filter.max > 0, quantity > filter.max { throw APIFailure.filter("MARKET_LOT_SIZE") }
            if filter.step > 0, !DecimalText.isMultiple(quantity, of: filter.step) { throw APIFailure.filter("MARKET_LOT_SIZE") }
        }
        if let delta = order.trailingDelta, let filter = rules.trailingDelta {
            let bounds = order.triggersAbove ? (filter.minAbove, filter.maxAbove) : (filter.minBelow, filter.maxBelow)
            if delta < bounds.0 || (bounds.1 > 0 && delta > bounds.1) { throw APIFailure.filter("TRAILING_DELTA") }
        }
        if let icebergQty = order.icebergQty, let quantity = order.quantity, let parts = rules.icebergParts, parts > 0 {
            var quotient = quantity / icebergQty
            var rounded = Decimal()
            NSDecimalRound(&rounded, &quotient, 0, .up)
            if rounded > Decimal(parts) { throw APIFailure.filter("ICEBERG_PARTS") }
            if icebergQty >= quantity { throw APIFailure(code: -2010, "IcebergQty exceeds QTY.") }
        }
        try checkNotional(order, filter: rules.minNotional, name: "MIN_NOTIONAL", at: time)
        try checkNotional(order, filter: rules.notional, name: "NOTIONAL", at: time)

        if !order.isMarket, let maximum = rules.maxNumOrders, maximum > 0,
           ledger.openOrderCount(symbol: rules.symbol) >= maximum {
            throw APIFailure.filter("MAX_NUM_ORDERS")
        }
        if order.isAlgo, let maximum = rules.maxNumAlgoOrders, maximum > 0,
           ledger.openConditionalCount(symbol: rules.symbol) >= maximum {
            throw APIFailure.filter("MAX_NUM_ALGO_ORDERS")
        }
    }

    private func checkNotional(_ order: OrderRequest, filter: SymbolRules.Notional?, name: String, at time: Int64) throws(APIFailure) {
        guard let filter else { return }
        let notional: Decimal
        if order.isMarket {
            if let quote = order.quoteOrderQty {
                notional = quote
            } else {
                let average = averagePrice(order.rules, minutes: filter.avgPriceMins, at: time)
                notional = average * (order.quantity ?? 0)
            }
            if filter.applyMinToMarket, notional < filter.min { throw APIFailure.filter(name) }
            if filter.applyMaxToMarket, let maximum = filter.max, maximum > 0, notional > maximum { throw APIFailure.filter(name) }
        } else {
            notional = (order.price ?? 0) * (order.quantity ?? 0)
            if notional < filter.min { throw APIFailure.filter(name) }
            if let maximum = filter.max, maximum > 0, notional > maximum { throw APIFailure.filter(name) }
        }
    }
}
