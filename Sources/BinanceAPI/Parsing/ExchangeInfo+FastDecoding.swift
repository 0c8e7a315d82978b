import Foundation

extension ExchangeInfo {
    /// Decodes an exchangeInfo response with a hand-written reader, because `JSONDecoder` needs 0.2 to 0.3 s
    /// for 3,000 symbols even in a release build (Swift 6.3, Linux, 2 cores).
    ///
    /// The result equals what `JSONDecoder` produces. Input the fast reader does not expect (a missing
    /// field, a malformed value) is decoded again with `JSONDecoder`, so errors are the same `DecodingError`s.
    package static func decode(from data: Data) throws -> ExchangeInfo {
        if let fast = fastDecode(from: data) { return fast }
        return try JSONDecoder().decode(ExchangeInfo.self, from: data)
    }

    /// Decodes with the fast reader only; returns nil for any input it does not expect.
    package static func fastDecode(from data: Data) -> ExchangeInfo? {
        data.withUnsafeBytes { bytes in
            var reader = ExchangeInfoReader(bytes, keepsEveryMember: true)
            var symbols: [SymbolInfo] = []
            guard let header = try? reader.readDocument(onSymbol: { members, _ in symbols.append(try members.symbolInfo()) })
            else {
                return nil
            }
            return ExchangeInfo(
                timezone: header.timezone,
                serverTime: header.serverTime,
                rateLimits: header.rateLimits,
                symbols: symbols
            )
        }
    }

    /// Reads the trading rules of every symbol in an exchangeInfo body, calling `body` once per symbol in
    /// order, without building the whole model. The lists that no index reads (`permissions`, `permissionSets`)
    /// are checked for type and skipped.
    ///
    /// The reader accepts only bodies that `decode(from:)` would also accept, and each `SymbolTradingRules` equals
    /// `SymbolTradingRules(info)` of the symbol `decode(from:)` returns. It returns nil for any other input, after
    /// `body` may already have seen some symbols; callers then discard what they built and use `decode(from:)`.
    /// - Returns: the rate limits the body reports, or nil when the reader does not accept the body.
    package static func readTradingRules(
        from data: Data,
        _ body: (SymbolTradingRules) -> Void
    ) -> [RateLimitRule]? {
        readTradingRulesWithRanges(from: data) { rules, _ in body(rules) }
    }

    /// Reads the trading rules of every symbol like `readTradingRules(from:_:)`, and passes `body` the byte range
    /// of each symbol's object in `data` too, braces included, for callers that keep the original text.
    /// - Returns: the rate limits the body reports, or nil when the reader does not accept the body.
    package static func readTradingRulesWithRanges(
        from data: Data,
        _ body: (SymbolTradingRules, Range<Int>) -> Void
    ) -> [RateLimitRule]? {
        data.withUnsafeBytes { bytes in
            var reader = ExchangeInfoReader(bytes, keepsEveryMember: false)
            let header = try? reader.readDocument(onSymbol: { body(try $0.tradingRules(), $1) })
            return header?.rateLimits
        }
    }
}

/// Reads exchangeInfo with a `JSONScanner`, sharing one `[String]` between symbols whose lists have the same
/// bytes (most symbols list the same order types).
private struct ExchangeInfoReader {
    struct Header {
        var timezone: String
        var serverTime: Int64
        var rateLimits: [RateLimitRule]
    }

    var scanner: JSONScanner
    /// Whether the lists that no index reads are built too, for the full `SymbolInfo`.
    let keepsEveryMember: Bool
    /// Lists read so far, by the byte range of their first occurrence.
    private var stringLists: [(range: Range<Int>, values: [String])] = []
    /// Lists kept for sharing; a body with more distinct lists reads the rest without sharing.
    private static let maximumSharedLists = 32

    init(_ bytes: UnsafeRawBufferPointer, keepsEveryMember: Bool) {
        scanner = JSONScanner(bytes)
        self.keepsEveryMember = keepsEveryMember
    }

    /// Reads the whole body, passing each symbol and the byte range of its object to `onSymbol`, and checks that
    /// nothing follows it.
    mutating func readDocument(onSymbol: (SymbolMembers, Range<Int>) throws -> Void) throws -> Header {
        var timezone: String?
        var serverTime: Int64?
        var rateLimits: [RateLimitRule]?
        var hasSymbols = false
        var key = try scanner.firstKey()
        while let current = key {
            switch current {
            case "timezone": timezone = try scanner.readString()
            case "serverTime": serverTime = try scanner.readInteger()
            case "rateLimits":
                var rules: [RateLimitRule] = []
                var more = try scanner.enterArray()
                while more {
                    rules.append(try readRateLimitRule())
                    more = try scanner.nextElement()
                }
                rateLimits = rules
            case "symbols":
                // This reader cannot take back the symbols it already passed on, so a body with a second
                // `symbols` member is left to `JSONDecoder` and its rule for duplicate keys.
                guard !hasSymbols else { throw JSONScanner.Failure() }
                hasSymbols = true
                var more = try scanner.enterArray()
                while more {
                    scanner.skipWhitespace()
                    let start = scanner.index
                    let members = try readSymbol()
                    try onSymbol(members, start..<scanner.index)
                    more = try scanner.nextElement()
                }
            default: try scanner.skipValue()
            }
            key = try scanner.nextKey()
        }
        guard let timezone, let serverTime, let rateLimits, hasSymbols, scanner.isAtEnd() else {
            throw JSONScanner.Failure()
        }
        return Header(timezone: timezone, serverTime: serverTime, rateLimits: rateLimits)
    }

    private mutating func readRateLimitRule() throws -> RateLimitRule {
        var type: String?
        var interval: String?
        var intervalNum: Int64?
        var limit: Int64?
        var count: Int64?
        var key = try scanner.firstKey()
        while let current = key {
            switch current {
            case "rateLimitType": type = try scanner.readString()
            case "interval": interval = try scanner.readString()
            case "intervalNum": intervalNum = try scanner.readInteger()
            case "limit": limit = try scanner.readInteger()
            case "count": count = try scanner.readInteger()
            default: try scanner.skipValue()
            }
            key = try scanner.nextKey()
        }
        guard let type, let interval, let intervalNum, let limit else { throw JSONScanner.Failure() }
        return RateLimitRule(
            rateLimitType: type,
            interval: interval,
            intervalNum: Int(intervalNum),
            limit: Int(limit),
            count: count.map { Int($0) }
        )
    }

    private mutating func readSymbol() throws -> SymbolMembers {
        var members = SymbolMembers()
        var key = try scanner.firstKey()
        while let current = key {
            switch current {
            case "symbol": members.symbol = try scanner.readString()
            case "status": members.status = try scanner.readString()
            case "baseAsset": members.baseAsset = try scanner.readString()
            case "quoteAsset": members.quoteAsset = try scanner.readString()
            case "baseAssetPrecision": members.baseAssetPrecision = try scanner.readInteger()
            case "quoteAssetPrecision": members.quoteAssetPrecision = try scanner.readInteger()
            case "quotePrecision": members.quotePrecision = try scanner.readInteger()
            case "baseCommissionPrecision": members.baseCommissionPrecision = try scanner.readInteger()
            case "quoteCommissionPrecision": members.quoteCommissionPrecision = try scanner.readInteger()
            case "orderTypes": members.orderTypes = try readSharedStringArray()
            case "icebergAllowed": members.icebergAllowed = try scanner.readBool()
            case "ocoAllowed": members.ocoAllowed = try scanner.readBool()
            case "quoteOrderQtyMarketAllowed": members.quoteOrderQtyMarketAllowed = try scanner.readBool()
            case "allowTrailingStop": members.allowTrailingStop = try scanner.readBool()
            case "cancelReplaceAllowed": members.cancelReplaceAllowed = try scanner.readBool()
            case "isSpotTradingAllowed": members.isSpotTradingAllowed = try scanner.readBool()
            case "isMarginTradingAllowed": members.isMarginTradingAllowed = try scanner.readBool()
            case "permissions":
                if keepsEveryMember {
                    members.permissions = try scanner.readStringArray()
                } else {
                    try scanner.skipStringArray()
                }
            case "permissionSets":
                var sets: [[String]] = []
                var more = try scanner.enterArray()
                while more {
                    if keepsEveryMember {
                        sets.append(try scanner.readStringArray())
                    } else {
                        try scanner.skipStringArray()
                    }
                    more = try scanner.nextElement()
                }
                members.permissionSets = sets
            case "defaultSelfTradePreventionMode": members.defaultSelfTradePreventionMode = try scanner.readString()
            case "allowedSelfTradePreventionModes": members.allowedSelfTradePreventionModes = try readSharedStringArray()
            case "filters": members.filters = try readSymbolFilters()
            default: try scanner.skipValue()
            }
            key = try scanner.nextKey()
        }
        return members
    }

    /// Reads a list of strings, returning the same array as an earlier list with the same bytes.
    private mutating func readSharedStringArray() throws -> [String] {
        var probe = scanner
        let range = try probe.readStringArrayRange()
        for list in stringLists where scanner.bytes(in: list.range, equalBytesIn: range) {
            scanner = probe
            return list.values
        }
        let values = try scanner.readStringArray()
        if stringLists.count < Self.maximumSharedLists { stringLists.append((range, values)) }
        return values
    }

    private mutating func readSymbolFilters() throws -> SymbolFilters {
        var filters = SymbolFilters()
        var more = try scanner.enterArray()
        while more {
            var fields = FilterFields()
            var key = try scanner.firstKey()
            while let current = key {
                try fields.read(current, from: &scanner)
                key = try scanner.nextKey()
            }
            try fields.apply(to: &filters, scanner: scanner)
            more = try scanner.nextElement()
        }
        return filters
    }
}

/// The members of one symbol object as read, before the checks `JSONDecoder` makes for required ones.
private struct SymbolMembers {
    var symbol: String?
    var status: String?
    var baseAsset: String?
    var quoteAsset: String?
    var baseAssetPrecision: Int64?
    var quoteAssetPrecision: Int64?
    var quotePrecision: Int64?
    var baseCommissionPrecision: Int64?
    var quoteCommissionPrecision: Int64?
    var orderTypes: [String]?
    var icebergAllowed: Bool?
    var ocoAllowed: Bool?
    var quoteOrderQtyMarketAllowed: Bool?
    var allowTrailingStop: Bool?
    var cancelReplaceAllowed: Bool?
    var isSpotTradingAllowed: Bool?
    var isMarginTradingAllowed: Bool?
    var permissions: [String]?
    var permissionSets: [[String]]?
    var defaultSelfTradePreventionMode: String?
    var allowedSelfTradePreventionModes: [String]?
    var filters: SymbolFilters?

    func tradingRules() throws -> SymbolTradingRules {
        guard let symbol, let status, let baseAsset, let quoteAsset, let baseAssetPrecision, let quoteAssetPrecision,
            let orderTypes, let quoteOrderQtyMarketAllowed, let isSpotTradingAllowed, let filters
        else { throw JSONScanner.Failure() }
        return SymbolTradingRules(
            symbol: symbol,
            status: status,
            baseAsset: baseAsset,
            quoteAsset: quoteAsset,
            baseAssetPrecision: Int(baseAssetPrecision),
            quoteAssetPrecision: Int(quoteAssetPrecision),
            orderTypes: orderTypes,
            icebergAllowed: icebergAllowed,
            quoteOrderQtyMarketAllowed: quoteOrderQtyMarketAllowed,
            allowTrailingStop: allowTrailingStop,
            isSpotTradingAllowed: isSpotTradingAllowed,
            defaultSelfTradePreventionMode: defaultSelfTradePreventionMode,
            allowedSelfTradePreventionModes: allowedSelfTradePreventionModes,
            filters: filters
        )
    }

    func symbolInfo() throws -> SymbolInfo {
        let rules = try tradingRules()
        return SymbolInfo(
            symbol: rules.symbol,
            status: rules.status,
            baseAsset: rules.baseAsset,
            quoteAsset: rules.quoteAsset,
            baseAssetPrecision: rules.baseAssetPrecision,
            quoteAssetPrecision: rules.quoteAssetPrecision,
            quotePrecision: quotePrecision.map { Int($0) },
            baseCommissionPrecision: baseCommissionPrecision.map { Int($0) },
            quoteCommissionPrecision: quoteCommissionPrecision.map { Int($0) },
            orderTypes: rules.orderTypes,
            icebergAllowed: icebergAllowed,
            ocoAllowed: ocoAllowed,
            quoteOrderQtyMarketAllowed: rules.quoteOrderQtyMarketAllowed,
            allowTrailingStop: allowTrailingStop,
            cancelReplaceAllowed: cancelReplaceAllowed,
            isSpotTradingAllowed: rules.isSpotTradingAllowed,
            isMarginTradingAllowed: isMarginTradingAllowed,
            permissions: permissions ?? [],
            permissionSets: permissionSets,
            defaultSelfTradePreventionMode: defaultSelfTradePreventionMode,
            allowedSelfTradePreventionModes: allowedSelfTradePreventionModes,
            filters: rules.filters
        )
    }
}

/// The members of one filter object, kept as byte ranges until `filterType`, which may come last, is known.
/// A member that occurs twice keeps its first value.
private struct FilterFields {
    var filterType: JSONScanner.Scalar?
    var minPrice: JSONScanner.Scalar?
    var maxPrice: JSONScanner.Scalar?
    var tickSize: JSONScanner.Scalar?
    var minQty: JSONScanner.Scalar?
    var maxQty: JSONScanner.Scalar?
    var stepSize: JSONScanner.Scalar?
    var minNotional: JSONScanner.Scalar?
    var maxNotional: JSONScanner.Scalar?
    var applyToMarket: JSONScanner.Scalar?
    var applyMinToMarket: JSONScanner.Scalar?
    var applyMaxToMarket: JSONScanner.Scalar?
    var avgPriceMins: JSONScanner.Scalar?
    var multiplierUp: JSONScanner.Scalar?
    var multiplierDown: JSONScanner.Scalar?
    var bidMultiplierUp: JSONScanner.Scalar?
    var bidMultiplierDown: JSONScanner.Scalar?
    var askMultiplierUp: JSONScanner.Scalar?
    var askMultiplierDown: JSONScanner.Scalar?
    var limit: JSONScanner.Scalar?
    var maxNumOrders: JSONScanner.Scalar?
    var maxNumAlgoOrders: JSONScanner.Scalar?
    var minTrailingAboveDelta: JSONScanner.Scalar?
    var maxTrailingAboveDelta: JSONScanner.Scalar?
    var minTrailingBelowDelta: JSONScanner.Scalar?
    var maxTrailingBelowDelta: JSONScanner.Scalar?

    /// Reads the value of member `key`; members no filter type has are skipped whatever their type.
    mutating func read(_ key: JSONScanner.Key, from scanner: inout JSONScanner) throws {
        func store(_ field: inout JSONScanner.Scalar?) throws {
            let value = try scanner.readScalar()
            if field == nil { field = value }
        }
        switch key {
        case "filterType": try store(&filterType)
        case "minPrice": try store(&minPrice)
        case "maxPrice": try store(&maxPrice)
        case "tickSize": try store(&tickSize)
        case "minQty": try store(&minQty)
        case "maxQty": try store(&maxQty)
        case "stepSize": try store(&stepSize)
        case "minNotional": try store(&minNotional)
        case "maxNotional": try store(&maxNotional)
        case "applyToMarket": try store(&applyToMarket)
        case "applyMinToMarket": try store(&applyMinToMarket)
        case "applyMaxToMarket": try store(&applyMaxToMarket)
        case "avgPriceMins": try store(&avgPriceMins)
        case "multiplierUp": try store(&multiplierUp)
        case "multiplierDown": try store(&multiplierDown)
        case "bidMultiplierUp": try store(&bidMultiplierUp)
        case "bidMultiplierDown": try store(&bidMultiplierDown)
        case "askMultiplierUp": try store(&askMultiplierUp)
        case "askMultiplierDown": try store(&askMultiplierDown)
        case "limit": try store(&limit)
        case "maxNumOrders": try store(&maxNumOrders)
        case "maxNumAlgoOrders": try store(&maxNumAlgoOrders)
        case "minTrailingAboveDelta": try store(&minTrailingAboveDelta)
        case "maxTrailingAboveDelta": try store(&maxTrailingAboveDelta)
        case "minTrailingBelowDelta": try store(&minTrailingBelowDelta)
        case "maxTrailingBelowDelta": try store(&maxTrailingBelowDelta)
        default: try scanner.skipValue()
        }
    }

    /// Sets the typed filter these fields describe; unknown filter types are skipped, as `JSONDecoder` does.
    func apply(to filters: inout SymbolFilters, scanner: JSONScanner) throws {
        func required(_ field: JSONScanner.Scalar?) throws -> JSONScanner.Scalar {
            guard let field else { throw JSONScanner.Failure() }
            return field
        }
        func decimal(_ field: JSONScanner.Scalar?) throws -> DecimalValue { try scanner.decimal(try required(field)) }
        func integer(_ field: JSONScanner.Scalar?) throws -> Int { Int(try scanner.integer(try required(field))) }
        func present(_ field: JSONScanner.Scalar?) -> JSONScanner.Scalar? {
            if case .null = field { return nil }
            return field
        }
        func optionalDecimal(_ field: JSONScanner.Scalar?) throws -> DecimalValue? {
            try present(field).map { try scanner.decimal($0) }
        }
        func optionalInteger(_ field: JSONScanner.Scalar?) throws -> Int? {
            try present(field).map { Int(try scanner.integer($0)) }
        }
        func optionalBool(_ field: JSONScanner.Scalar?) throws -> Bool? { try present(field).map { try scanner.bool($0) } }

        switch try scanner.key(try required(filterType)) {
        case "PRICE_FILTER":
            filters.priceFilter = PriceFilter(
                minPrice: try decimal(minPrice),
                maxPrice: try decimal(maxPrice),
                tickSize: try decimal(tickSize)
            )
        case "LOT_SIZE":
            filters.lotSize = LotSizeFilter(
                minQty: try decimal(minQty),
                maxQty: try decimal(maxQty),
                stepSize: try decimal(stepSize)
            )
        case "MARKET_LOT_SIZE":
            filters.marketLotSize = LotSizeFilter(
                minQty: try decimal(minQty),
                maxQty: try decimal(maxQty),
                stepSize: try decimal(stepSize)
            )
        case "MIN_NOTIONAL":
            filters.minNotional = MinNotionalFilter(
                minNotional: try decimal(minNotional),
                applyToMarket: try optionalBool(applyToMarket),
                avgPriceMins: try optionalInteger(avgPriceMins)
            )
        case "NOTIONAL":
            filters.notional = NotionalFilter(
                minNotional: try decimal(minNotional),
                applyMinToMarket: try optionalBool(applyMinToMarket),
                maxNotional: try optionalDecimal(maxNotional),
                applyMaxToMarket: try optionalBool(applyMaxToMarket),
                avgPriceMins: try optionalInteger(avgPriceMins)
            )
        case "PERCENT_PRICE":
            filters.percentPrice = PercentPriceFilter(
                multiplierUp: try decimal(multiplierUp),
                multiplierDown: try decimal(multiplierDown),
                avgPriceMins: try optionalInteger(avgPriceMins)
            )
        case "PERCENT_PRICE_BY_SIDE":
            filters.percentPriceBySide = PercentPriceBySideFilter(
                bidMultiplierUp: try decimal(bidMultiplierUp),
                bidMultiplierDown: try decimal(bidMultiplierDown),
                askMultiplierUp: try decimal(askMultiplierUp),
                askMultiplierDown: try decimal(askMultiplierDown),
                avgPriceMins: try optionalInteger(avgPriceMins)
            )
        case "ICEBERG_PARTS":
            filters.icebergParts = IcebergPartsFilter(limit: try integer(limit))
        case "MAX_NUM_ORDERS":
            filters.maxNumOrders = MaxNumOrdersFilter(maxNumOrders: try integer(maxNumOrders))
        case "MAX_NUM_ALGO_ORDERS":
            filters.maxNumAlgoOrders = MaxNumAlgoOrdersFilter(maxNumAlgoOrders: try integer(maxNumAlgoOrders))
        case "TRAILING_DELTA":
            filters.trailingDelta = TrailingDeltaFilter(
                minTrailingAboveDelta: try integer(minTrailingAboveDelta),
                maxTrailingAboveDelta: try integer(maxTrailingAboveDelta),
                minTrailingBelowDelta: try integer(minTrailingBelowDelta),
                maxTrailingBelowDelta: try integer(maxTrailingBelowDelta)
            )
        default:
            break
        }
    }
}
