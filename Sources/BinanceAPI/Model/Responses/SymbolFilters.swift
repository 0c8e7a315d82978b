/// The filters of one symbol, typed by `filterType`. A filter the symbol does not have is nil; filter types
/// this module does not know (such as `MAX_POSITION`) are skipped when decoding and so not written back.
///
/// On the wire this is Binance's array of objects, each with a `filterType` field.
package struct SymbolFilters: Codable, Sendable, Equatable {
    package var priceFilter: PriceFilter?
    package var lotSize: LotSizeFilter?
    package var marketLotSize: LotSizeFilter?
    package var minNotional: MinNotionalFilter?
    package var notional: NotionalFilter?
    package var percentPrice: PercentPriceFilter?
    package var percentPriceBySide: PercentPriceBySideFilter?
    package var icebergParts: IcebergPartsFilter?
    package var maxNumOrders: MaxNumOrdersFilter?
    package var maxNumAlgoOrders: MaxNumAlgoOrdersFilter?
    package var trailingDelta: TrailingDeltaFilter?

    package init(
        priceFilter: PriceFilter? = nil,
        lotSize: LotSizeFilter? = nil,
        marketLotSize: LotSizeFilter? = nil,
        minNotional: MinNotionalFilter? = nil,
        notional: NotionalFilter? = nil,
        percentPrice: PercentPriceFilter? = nil,
        percentPriceBySide: PercentPriceBySideFilter? = nil,
        icebergParts: IcebergPartsFilter? = nil,
        maxNumOrders: MaxNumOrdersFilter? = nil,
        maxNumAlgoOrders: MaxNumAlgoOrdersFilter? = nil,
        trailingDelta: TrailingDeltaFilter? = nil
    ) {
        self.priceFilter = priceFilter
        self.lotSize = lotSize
        self.marketLotSize = marketLotSize
        self.minNotional = minNotional
        self.notional = notional
        self.percentPrice = percentPrice
        self.percentPriceBySide = percentPriceBySide
        self.icebergParts = icebergParts
        self.maxNumOrders = maxNumOrders
        self.maxNumAlgoOrders = maxNumAlgoOrders
        self.trailingDelta = trailingDelta
    }

    private enum TypeKey: String, CodingKey {
        case filterType
    }

    package init(from decoder: any Decoder) throws {
        self.init()
        var list = try decoder.unkeyedContainer()
        while !list.isAtEnd {
            // One decoder per element: read `filterType` first, then decode the same object as the typed filter.
            let element = try list.superDecoder()
            let type = try element.container(keyedBy: TypeKey.self).decode(String.self, forKey: .filterType)
            switch type {
            case "PRICE_FILTER": priceFilter = try PriceFilter(from: element)
            case "LOT_SIZE": lotSize = try LotSizeFilter(from: element)
            case "MARKET_LOT_SIZE": marketLotSize = try LotSizeFilter(from: element)
            case "MIN_NOTIONAL": minNotional = try MinNotionalFilter(from: element)
            case "NOTIONAL": notional = try NotionalFilter(from: element)
            case "PERCENT_PRICE": percentPrice = try PercentPriceFilter(from: element)
            case "PERCENT_PRICE_BY_SIDE": percentPriceBySide = try PercentPriceBySideFilter(from: element)
            case "ICEBERG_PARTS": icebergParts = try IcebergPartsFilter(from: element)
            case "MAX_NUM_ORDERS": maxNumOrders = try MaxNumOrdersFilter(from: element)
            case "MAX_NUM_ALGO_ORDERS": maxNumAlgoOrders = try MaxNumAlgoOrdersFilter(from: element)
            case "TRAILING_DELTA": trailingDelta = try TrailingDeltaFilter(from: element)
            default: continue
            }
        }
    }

    package func encode(to encoder: any Encoder) throws {
        var list = encoder.unkeyedContainer()
        try Self.append(priceFilter, type: "PRICE_FILTER", to: &list)
        try Self.append(lotSize, type: "LOT_SIZE", to: &list)
        try Self.append(icebergParts, type: "ICEBERG_PARTS", to: &list)
        try Self.append(marketLotSize, type: "MARKET_LOT_SIZE", to: &list)
        try Self.append(trailingDelta, type: "TRAILING_DELTA", to: &list)
        try Self.append(percentPrice, type: "PERCENT_PRICE", to: &list)
        try Self.append(percentPriceBySide, type: "PERCENT_PRICE_BY_SIDE", to: &list)
        try Self.append(minNotional, type: "MIN_NOTIONAL", to: &list)
        try Self.append(notional, type: "NOTIONAL", to: &list)
        try Self.append(maxNumOrders, type: "MAX_NUM_ORDERS", to: &list)
        try Self.append(maxNumAlgoOrders, type: "MAX_NUM_ALGO_ORDERS", to: &list)
    }

    /// Writes `filter` as one array element: `filterType` first, then the filter's own fields.
    private static func append(
        _ filter: (some Encodable)?,
        type: String,
        to list: inout any UnkeyedEncodingContainer
    ) throws {
        guard let filter else { return }
        let element = list.superEncoder()
        var keyed = element.container(keyedBy: TypeKey.self)
        try keyed.encode(type, forKey: .filterType)
        try filter.encode(to: element)
    }
}
