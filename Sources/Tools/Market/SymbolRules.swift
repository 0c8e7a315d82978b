import BinanceAPI
import Foundation

/// One symbol's trading rules from exchangeInfo: status, assets, order types and the filters that orders are
/// checked against. Spot and USDⓈ-M futures publish different rules for the same symbol name.
package struct SymbolRules: Sendable, Equatable, Decodable {
    package var symbol: String
    package var status: String
    package var baseAsset: String
    package var quoteAsset: String
    package var baseAssetPrecision: Int?
    package var quoteAssetPrecision: Int?
    package var orderTypes: [String]
    package var quoteOrderQtyMarketAllowed: Bool?
    package var filters: [SymbolFilter]
    /// Whether orders may carry `icebergQty`; nil when exchangeInfo does not say (futures).
    package var icebergAllowed: Bool? = nil
    /// Whether stop orders may carry `trailingDelta`; nil when exchangeInfo does not say.
    package var allowTrailingStop: Bool? = nil
    /// Self-trade prevention modes the symbol accepts; nil when exchangeInfo lists none.
    package var allowedSelfTradePreventionModes: [String]? = nil

    /// Returns the filter of the given `filterType`, such as `LOT_SIZE`.
    package func filter(_ type: String) -> SymbolFilter? {
        filters.first { $0.filterType == type }
    }

    /// PRICE_FILTER's tick size; zero when the filter is absent or disabled.
    package var tickSize: Decimal { filter("PRICE_FILTER")?.tickSize?.value ?? 0 }

    /// LOT_SIZE's step size; zero when the filter is absent or disabled.
    package var stepSize: Decimal { filter("LOT_SIZE")?.stepSize?.value ?? 0 }
}

/// The parts of an exchangeInfo response the tools use.
package struct ExchangeRules: Sendable, Decodable {
    package var serverTime: Int64?
    package var symbols: [SymbolRules]
}

extension SymbolRules {
    /// Converts the client's typed spot `SymbolInfo` into the rules the order check reads.
    package init(_ info: SymbolInfo) {
        self.init(SymbolTradingRules(info))
    }

    /// Converts the trading rules the client read from spot exchangeInfo into the rules the order check reads.
    package init(_ info: SymbolTradingRules) {
        let typed = info.filters
        var filters: [SymbolFilter] = []
        filters.reserveCapacity(11)
        if let price = typed.priceFilter {
            var filter = SymbolFilter(filterType: "PRICE_FILTER", memberCount: 3)
            filter.minPrice = price.minPrice
            filter.maxPrice = price.maxPrice
            filter.tickSize = price.tickSize
            filters.append(filter)
        }

        for (lot, type) in [(typed.lotSize, "LOT_SIZE"), (typed.marketLotSize, "MARKET_LOT_SIZE")] {
            guard let lot else { continue }
            var filter = SymbolFilter(filterType: type, memberCount: 3)
            filter.minQty = lot.minQty
            filter.maxQty = lot.maxQty
            filter.stepSize = lot.stepSize
            filters.append(filter)
        }

        if let minNotional = typed.minNotional {
            var filter = SymbolFilter(filterType: "MIN_NOTIONAL", memberCount: 3)
            filter.minNotional = minNotional.minNotional
            filter.applyToMarket = minNotional.applyToMarket
            filter.avgPriceMins = minNotional.avgPriceMins
            filters.append(filter)
        }

        if let notional = typed.notional {
            var filter = SymbolFilter(filterType: "NOTIONAL", memberCount: 5)
            filter.minNotional = notional.minNotional
            filter.maxNotional = notional.maxNotional
            filter.applyMinToMarket = notional.applyMinToMarket
            filter.applyMaxToMarket = notional.applyMaxToMarket
            filter.avgPriceMins = notional.avgPriceMins
            filters.append(filter)
        }

        if let percent = typed.percentPrice {
            var filter = SymbolFilter(filterType: "PERCENT_PRICE", memberCount: 3)
            filter.multiplierUp = percent.multiplierUp
            filter.multiplierDown = percent.multiplierDown
            filter.avgPriceMins = percent.avgPriceMins
            filters.append(filter)
        }

        if let bySide = typed.percentPriceBySide {
            var filter = SymbolFilter(filterType: "PERCENT_PRICE_BY_SIDE", memberCount: 5)
            filter.bidMultiplierUp = bySide.bidMultiplierUp
            filter.bidMultiplierDown = bySide.bidMultiplierDown
            filter.askMultiplierUp = bySide.askMultiplierUp
            filter.askMultiplierDown = bySide.askMultiplierDown
            filter.avgPriceMins = bySide.avgPriceMins
            filters.append(filter)
        }

        if let iceberg = typed.icebergParts {
            var filter = SymbolFilter(filterType: "ICEBERG_PARTS", memberCount: 1)
            filter.limit = iceberg.limit
            filters.append(filter)
        }

        if let maximum = typed.maxNumOrders {
            var filter = SymbolFilter(filterType: "MAX_NUM_ORDERS", memberCount: 1)
            filter.maxNumOrders = maximum.maxNumOrders
            filters.append(filter)
        }

        if let maximum = typed.maxNumAlgoOrders {
            var filter = SymbolFilter(filterType: "MAX_NUM_ALGO_ORDERS", memberCount: 1)
            filter.maxNumAlgoOrders = maximum.maxNumAlgoOrders
            filters.append(filter)
        }

        if let trailing = typed.trailingDelta {
            var filter = SymbolFilter(filterType: "TRAILING_DELTA", memberCount: 4)
            filter.minTrailingAboveDelta = trailing.minTrailingAboveDelta
            filter.maxTrailingAboveDelta = trailing.maxTrailingAboveDelta
            filter.minTrailingBelowDelta = trailing.minTrailingBelowDelta
            filter.maxTrailingBelowDelta = trailing.maxTrailingBelowDelta
            filters.append(filter)
        }

        self.init(
            symbol: info.symbol,
            status: info.status,
            baseAsset: info.baseAsset,
            quoteAsset: info.quoteAsset,
            baseAssetPrecision: info.baseAssetPrecision,
            quoteAssetPrecision: info.quoteAssetPrecision,
            orderTypes: info.orderTypes,
            quoteOrderQtyMarketAllowed: info.quoteOrderQtyMarketAllowed,
            filters: filters,
            icebergAllowed: info.icebergAllowed,
            allowTrailingStop: info.allowTrailingStop,
            allowedSelfTradePreventionModes: info.allowedSelfTradePreventionModes
        )
    }
}
