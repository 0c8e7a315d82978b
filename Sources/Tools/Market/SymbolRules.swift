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

    /// The filter of the given `filterType`, such as `LOT_SIZE`.
    package func filter(_ type: String) -> SymbolFilter? {
        filters.first { $0.filterType == type }
    }

    /// PRICE_FILTER's tick size; zero when the filter is absent or disabled.
    package var tickSize: Decimal { filter("PRICE_FILTER")?.tickSize?.value ?? 0 }

    /// LOT_SIZE's step size; zero when the filter is absent or disabled.
    package var stepSize: Decimal { filter("LOT_SIZE")?.stepSize?.value ?? 0 }
}

/// One entry of a symbol's `filters`. Every member but the type is optional because each filter type has its
/// own members; spot and futures also name some of them differently (`minNotional` against `notional`).
package struct SymbolFilter: Sendable, Equatable, Decodable {
    package var filterType: String
    package var minPrice: DecimalValue?
    package var maxPrice: DecimalValue?
    package var tickSize: DecimalValue?
    package var minQty: DecimalValue?
    package var maxQty: DecimalValue?
    package var stepSize: DecimalValue?
    package var minNotional: DecimalValue?
    package var maxNotional: DecimalValue?
    /// Futures MIN_NOTIONAL's minimum, which spot calls `minNotional`.
    package var notional: DecimalValue?
    package var applyToMarket: Bool?
    package var applyMinToMarket: Bool?
    package var applyMaxToMarket: Bool?
    package var bidMultiplierUp: DecimalValue?
    package var bidMultiplierDown: DecimalValue?
    package var askMultiplierUp: DecimalValue?
    package var askMultiplierDown: DecimalValue?
    package var multiplierUp: DecimalValue?
    package var multiplierDown: DecimalValue?
    package var avgPriceMins: Int?
    package var limit: Int?
    package var maxNumOrders: Int?
    package var maxNumAlgoOrders: Int?

    package init(filterType: String) { self.filterType = filterType }
}

/// The parts of an exchangeInfo response the tools use.
package struct ExchangeRules: Sendable, Decodable {
    package var serverTime: Int64?
    package var symbols: [SymbolRules]
}
