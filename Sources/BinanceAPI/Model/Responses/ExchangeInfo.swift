/// Trading rules and limits, from `GET /api/v3/exchangeInfo`. Exchange-wide filters are not decoded.
package struct ExchangeInfo: Codable, Sendable, Equatable {
    package var timezone: String
    /// Milliseconds since the Unix epoch.
    package var serverTime: Int64
    package var rateLimits: [RateLimitRule]
    package var symbols: [SymbolInfo]

    package init(timezone: String, serverTime: Int64, rateLimits: [RateLimitRule], symbols: [SymbolInfo]) {
        self.timezone = timezone
        self.serverTime = serverTime
        self.rateLimits = rateLimits
        self.symbols = symbols
    }

    /// Returns the symbol named `name` (exact, upper-case match), or nil.
    package func symbol(_ name: String) -> SymbolInfo? {
        symbols.first { $0.symbol == name }
    }
}

/// One symbol's trading rules in exchangeInfo.
package struct SymbolInfo: Codable, Sendable, Equatable {
    package var symbol: String
    /// `TRADING`, `HALT`, `BREAK` or `END_OF_DAY`.
    package var status: String
    package var baseAsset: String
    package var quoteAsset: String
    package var baseAssetPrecision: Int
    package var quoteAssetPrecision: Int
    package var quotePrecision: Int?
    package var baseCommissionPrecision: Int?
    package var quoteCommissionPrecision: Int?
    package var orderTypes: [String]
    package var icebergAllowed: Bool?
    package var ocoAllowed: Bool?
    package var quoteOrderQtyMarketAllowed: Bool
    package var allowTrailingStop: Bool?
    package var cancelReplaceAllowed: Bool?
    package var isSpotTradingAllowed: Bool
    package var isMarginTradingAllowed: Bool?
    /// Legacy permission list; newer responses leave it empty and fill `permissionSets`.
    package var permissions: [String]
    package var permissionSets: [[String]]?
    package var defaultSelfTradePreventionMode: String?
    package var allowedSelfTradePreventionModes: [String]?
    package var filters: SymbolFilters

    package init(
        symbol: String,
        status: String,
        baseAsset: String,
        quoteAsset: String,
        baseAssetPrecision: Int,
        quoteAssetPrecision: Int,
        quotePrecision: Int? = nil,
        baseCommissionPrecision: Int? = nil,
        quoteCommissionPrecision: Int? = nil,
        orderTypes: [String],
        icebergAllowed: Bool? = nil,
        ocoAllowed: Bool? = nil,
        quoteOrderQtyMarketAllowed: Bool,
        allowTrailingStop: Bool? = nil,
        cancelReplaceAllowed: Bool? = nil,
        isSpotTradingAllowed: Bool,
        isMarginTradingAllowed: Bool? = nil,
        permissions: [String] = [],
        permissionSets: [[String]]? = nil,
        defaultSelfTradePreventionMode: String? = nil,
        allowedSelfTradePreventionModes: [String]? = nil,
        filters: SymbolFilters
    ) {
        self.symbol = symbol
        self.status = status
        self.baseAsset = baseAsset
        self.quoteAsset = quoteAsset
        self.baseAssetPrecision = baseAssetPrecision
        self.quoteAssetPrecision = quoteAssetPrecision
        self.quotePrecision = quotePrecision
        self.baseCommissionPrecision = baseCommissionPrecision
        self.quoteCommissionPrecision = quoteCommissionPrecision
        self.orderTypes = orderTypes
        self.icebergAllowed = icebergAllowed
        self.ocoAllowed = ocoAllowed
        self.quoteOrderQtyMarketAllowed = quoteOrderQtyMarketAllowed
        self.allowTrailingStop = allowTrailingStop
        self.cancelReplaceAllowed = cancelReplaceAllowed
        self.isSpotTradingAllowed = isSpotTradingAllowed
        self.isMarginTradingAllowed = isMarginTradingAllowed
        self.permissions = permissions
        self.permissionSets = permissionSets
        self.defaultSelfTradePreventionMode = defaultSelfTradePreventionMode
        self.allowedSelfTradePreventionModes = allowedSelfTradePreventionModes
        self.filters = filters
    }

    private enum CodingKeys: String, CodingKey {
        case symbol, status, baseAsset, quoteAsset, baseAssetPrecision, quoteAssetPrecision, quotePrecision
        case baseCommissionPrecision, quoteCommissionPrecision, orderTypes, icebergAllowed, ocoAllowed
        case quoteOrderQtyMarketAllowed, allowTrailingStop, cancelReplaceAllowed, isSpotTradingAllowed
        case isMarginTradingAllowed, permissions, permissionSets, defaultSelfTradePreventionMode
        case allowedSelfTradePreventionModes, filters
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        symbol = try container.decode(String.self, forKey: .symbol)
        status = try container.decode(String.self, forKey: .status)
        baseAsset = try container.decode(String.self, forKey: .baseAsset)
        quoteAsset = try container.decode(String.self, forKey: .quoteAsset)
        baseAssetPrecision = try container.decode(Int.self, forKey: .baseAssetPrecision)
        quoteAssetPrecision = try container.decode(Int.self, forKey: .quoteAssetPrecision)
        quotePrecision = try container.decodeIfPresent(Int.self, forKey: .quotePrecision)
        baseCommissionPrecision = try container.decodeIfPresent(Int.self, forKey: .baseCommissionPrecision)
        quoteCommissionPrecision = try container.decodeIfPresent(Int.self, forKey: .quoteCommissionPrecision)
        orderTypes = try container.decode([String].self, forKey: .orderTypes)
        icebergAllowed = try container.decodeIfPresent(Bool.self, forKey: .icebergAllowed)
        ocoAllowed = try container.decodeIfPresent(Bool.self, forKey: .ocoAllowed)
        quoteOrderQtyMarketAllowed = try container.decode(Bool.self, forKey: .quoteOrderQtyMarketAllowed)
        allowTrailingStop = try container.decodeIfPresent(Bool.self, forKey: .allowTrailingStop)
        cancelReplaceAllowed = try container.decodeIfPresent(Bool.self, forKey: .cancelReplaceAllowed)
        isSpotTradingAllowed = try container.decode(Bool.self, forKey: .isSpotTradingAllowed)
        isMarginTradingAllowed = try container.decodeIfPresent(Bool.self, forKey: .isMarginTradingAllowed)
        // Newer responses may drop the legacy list in favour of `permissionSets`.
        permissions = try container.decodeIfPresent([String].self, forKey: .permissions) ?? []
        permissionSets = try container.decodeIfPresent([[String]].self, forKey: .permissionSets)
        defaultSelfTradePreventionMode = try container.decodeIfPresent(
            String.self,
            forKey: .defaultSelfTradePreventionMode
        )
        allowedSelfTradePreventionModes = try container.decodeIfPresent(
            [String].self,
            forKey: .allowedSelfTradePreventionModes
        )
        filters = try container.decode(SymbolFilters.self, forKey: .filters)
    }
}

/// The members of one exchangeInfo symbol that indexes of trading rules read: names, precisions, order types,
/// self-trade prevention modes and the typed filters, without the permission lists.
package struct SymbolTradingRules: Sendable, Equatable {
    package var symbol: String
    /// `TRADING`, `HALT`, `BREAK` or `END_OF_DAY`.
    package var status: String
    package var baseAsset: String
    package var quoteAsset: String
    package var baseAssetPrecision: Int
    package var quoteAssetPrecision: Int
    package var orderTypes: [String]
    package var icebergAllowed: Bool?
    package var quoteOrderQtyMarketAllowed: Bool
    package var allowTrailingStop: Bool?
    package var isSpotTradingAllowed: Bool
    package var defaultSelfTradePreventionMode: String?
    package var allowedSelfTradePreventionModes: [String]?
    package var filters: SymbolFilters

    package init(
        symbol: String,
        status: String,
        baseAsset: String,
        quoteAsset: String,
        baseAssetPrecision: Int,
        quoteAssetPrecision: Int,
        orderTypes: [String],
        icebergAllowed: Bool? = nil,
        quoteOrderQtyMarketAllowed: Bool,
        allowTrailingStop: Bool? = nil,
        isSpotTradingAllowed: Bool,
        defaultSelfTradePreventionMode: String? = nil,
        allowedSelfTradePreventionModes: [String]? = nil,
        filters: SymbolFilters
    ) {
        self.symbol = symbol
        self.status = status
        self.baseAsset = baseAsset
        self.quoteAsset = quoteAsset
        self.baseAssetPrecision = baseAssetPrecision
        self.quoteAssetPrecision = quoteAssetPrecision
        self.orderTypes = orderTypes
        self.icebergAllowed = icebergAllowed
        self.quoteOrderQtyMarketAllowed = quoteOrderQtyMarketAllowed
        self.allowTrailingStop = allowTrailingStop
        self.isSpotTradingAllowed = isSpotTradingAllowed
        self.defaultSelfTradePreventionMode = defaultSelfTradePreventionMode
        self.allowedSelfTradePreventionModes = allowedSelfTradePreventionModes
        self.filters = filters
    }

    /// Takes the members of a fully decoded symbol.
    package init(_ info: SymbolInfo) {
        self.init(
            symbol: info.symbol,
            status: info.status,
            baseAsset: info.baseAsset,
            quoteAsset: info.quoteAsset,
            baseAssetPrecision: info.baseAssetPrecision,
            quoteAssetPrecision: info.quoteAssetPrecision,
            orderTypes: info.orderTypes,
            icebergAllowed: info.icebergAllowed,
            quoteOrderQtyMarketAllowed: info.quoteOrderQtyMarketAllowed,
            allowTrailingStop: info.allowTrailingStop,
            isSpotTradingAllowed: info.isSpotTradingAllowed,
            defaultSelfTradePreventionMode: info.defaultSelfTradePreventionMode,
            allowedSelfTradePreventionModes: info.allowedSelfTradePreventionModes,
            filters: info.filters
        )
    }
}
