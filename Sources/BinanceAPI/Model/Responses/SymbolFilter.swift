/// `PRICE_FILTER`: price bounds and tick size; a zero value disables that check.
package struct PriceFilter: Codable, Sendable, Equatable {
    package var minPrice: DecimalValue
    package var maxPrice: DecimalValue
    package var tickSize: DecimalValue

    package init(
        minPrice: DecimalValue,
        maxPrice: DecimalValue,
        tickSize: DecimalValue
    ) {
        self.minPrice = minPrice
        self.maxPrice = maxPrice
        self.tickSize = tickSize
    }
}

/// `LOT_SIZE` and `MARKET_LOT_SIZE`: quantity bounds and step; a zero value disables that check.
package struct LotSizeFilter: Codable, Sendable, Equatable {
    package var minQty: DecimalValue
    package var maxQty: DecimalValue
    package var stepSize: DecimalValue

    package init(
        minQty: DecimalValue,
        maxQty: DecimalValue,
        stepSize: DecimalValue
    ) {
        self.minQty = minQty
        self.maxQty = maxQty
        self.stepSize = stepSize
    }
}

/// `MIN_NOTIONAL` (legacy): the minimum price × quantity.
package struct MinNotionalFilter: Codable, Sendable, Equatable {
    package var minNotional: DecimalValue
    package var applyToMarket: Bool?
    package var avgPriceMins: Int?

    package init(
        minNotional: DecimalValue,
        applyToMarket: Bool? = nil,
        avgPriceMins: Int? = nil
    ) {
        self.minNotional = minNotional
        self.applyToMarket = applyToMarket
        self.avgPriceMins = avgPriceMins
    }
}

/// `NOTIONAL`: price × quantity bounds; market orders are checked against the average price when the
/// `apply…ToMarket` flags require it.
package struct NotionalFilter: Codable, Sendable, Equatable {
    package var minNotional: DecimalValue
    package var applyMinToMarket: Bool?
    package var maxNotional: DecimalValue?
    package var applyMaxToMarket: Bool?
    package var avgPriceMins: Int?

    package init(
        minNotional: DecimalValue,
        applyMinToMarket: Bool? = nil,
        maxNotional: DecimalValue? = nil,
        applyMaxToMarket: Bool? = nil,
        avgPriceMins: Int? = nil
    ) {
        self.minNotional = minNotional
        self.applyMinToMarket = applyMinToMarket
        self.maxNotional = maxNotional
        self.applyMaxToMarket = applyMaxToMarket
        self.avgPriceMins = avgPriceMins
    }
}

/// `PERCENT_PRICE`: the price must lie within multipliers of the average price over `avgPriceMins` minutes.
package struct PercentPriceFilter: Codable, Sendable, Equatable {
    package var multiplierUp: DecimalValue
    package var multiplierDown: DecimalValue
    package var avgPriceMins: Int?

    package init(
        multiplierUp: DecimalValue,
        multiplierDown: DecimalValue,
        avgPriceMins: Int? = nil
    ) {
        self.multiplierUp = multiplierUp
        self.multiplierDown = multiplierDown
        self.avgPriceMins = avgPriceMins
    }
}

/// `PERCENT_PRICE_BY_SIDE`: like `PERCENT_PRICE` with separate multipliers for bids (BUY) and asks (SELL).
package struct PercentPriceBySideFilter: Codable, Sendable, Equatable {
    package var bidMultiplierUp: DecimalValue
    package var bidMultiplierDown: DecimalValue
    package var askMultiplierUp: DecimalValue
    package var askMultiplierDown: DecimalValue
    package var avgPriceMins: Int?

    package init(
        bidMultiplierUp: DecimalValue,
        bidMultiplierDown: DecimalValue,
        askMultiplierUp: DecimalValue,
        askMultiplierDown: DecimalValue,
        avgPriceMins: Int? = nil
    ) {
        self.bidMultiplierUp = bidMultiplierUp
        self.bidMultiplierDown = bidMultiplierDown
        self.askMultiplierUp = askMultiplierUp
        self.askMultiplierDown = askMultiplierDown
        self.avgPriceMins = avgPriceMins
    }
}

/// `ICEBERG_PARTS`: the maximum number of parts an iceberg order may show.
package struct IcebergPartsFilter: Codable, Sendable, Equatable {
    package var limit: Int

    package init(
        limit: Int
    ) {
        self.limit = limit
    }
}

/// `MAX_NUM_ORDERS`: the maximum number of open orders on the symbol.
package struct MaxNumOrdersFilter: Codable, Sendable, Equatable {
    package var maxNumOrders: Int

    package init(
        maxNumOrders: Int
    ) {
        self.maxNumOrders = maxNumOrders
    }
}

/// `MAX_NUM_ALGO_ORDERS`: the maximum number of open stop and take-profit orders on the symbol.
package struct MaxNumAlgoOrdersFilter: Codable, Sendable, Equatable {
    package var maxNumAlgoOrders: Int

    package init(
        maxNumAlgoOrders: Int
    ) {
        self.maxNumAlgoOrders = maxNumAlgoOrders
    }
}

/// `TRAILING_DELTA`: bounds of `trailingDelta` in basis points, above and below the market.
package struct TrailingDeltaFilter: Codable, Sendable, Equatable {
    package var minTrailingAboveDelta: Int
    package var maxTrailingAboveDelta: Int
    package var minTrailingBelowDelta: Int
    package var maxTrailingBelowDelta: Int

    package init(
        minTrailingAboveDelta: Int,
        maxTrailingAboveDelta: Int,
        minTrailingBelowDelta: Int,
        maxTrailingBelowDelta: Int
    ) {
        self.minTrailingAboveDelta = minTrailingAboveDelta
        self.maxTrailingAboveDelta = maxTrailingAboveDelta
        self.minTrailingBelowDelta = minTrailingBelowDelta
        self.maxTrailingBelowDelta = maxTrailingBelowDelta
    }
}
