import BinanceAPI
import Foundation

/// The trading rules of one simulated USDⓈ-M perpetual contract.
///
/// Binance publishes futures rules separately from spot, and they differ for the same symbol name: a coarser
/// tick and step, a `MIN_NOTIONAL` filter whose minimum is called `notional`, a symmetric `PERCENT_PRICE`
/// band, and order counts under `limit`. The simulator has no recorded futures exchangeInfo, so it derives
/// each contract from the spot symbol with fixed rules, listed on `init(spot:)`.
struct FuturesContract: Sendable, Equatable {
    var symbol: String
    var baseAsset: String
    var quoteAsset: String
    var minPrice: Decimal
    var maxPrice: Decimal
    var tickSize: Decimal
    var minQty: Decimal
    var maxQty: Decimal
    var stepSize: Decimal
    var marketMaxQty: Decimal
    var minNotional: Decimal

    static let maxNumOrders = 200
    static let maxNumAlgoOrders = 10
    static let percentPriceUp = Decimal(string: "1.0500")!
    static let percentPriceDown = Decimal(string: "0.9500")!
    static let orderTypes = ["LIMIT", "MARKET", "STOP", "STOP_MARKET", "TAKE_PROFIT", "TAKE_PROFIT_MARKET",
                             "TRAILING_STOP_MARKET"]
    static let timeInForce = ["GTC", "IOC", "FOK", "GTX", "GTD"]

    /// Derives the contract of a spot symbol. The tick is ten spot ticks and the step a hundred spot steps (at
    /// most 1). The minimum price and quantity are one tick and one step, MARKET orders take at most a tenth
    /// of the maximum quantity, and every order must be worth at least 5 USDT.
    init(spot rules: SymbolRules) {
        symbol = rules.symbol
        baseAsset = rules.baseAsset
        quoteAsset = rules.quoteAsset
        tickSize = rules.tickSize * 10
        stepSize = min(rules.stepSize * 100, 1)
        minPrice = tickSize
        let spotMaxPrice = rules.price?.max ?? 0
        maxPrice = spotMaxPrice > 0 ? DecimalText.floor(spotMaxPrice, toMultipleOf: tickSize) : 1_000_000
        minQty = stepSize
        let spotMaxQty = rules.lotSize?.max ?? 0
        maxQty = spotMaxQty > 0 ? max(DecimalText.floor(spotMaxQty, toMultipleOf: stepSize), stepSize) : 1_000_000
        marketMaxQty = max(DecimalText.floor(maxQty / 10, toMultipleOf: stepSize), stepSize)
        minNotional = 5
    }

    var pricePrecision: Int { DecimalText.scale(of: tickSize) }
    var quantityPrecision: Int { DecimalText.scale(of: stepSize) }

    /// Returns the contract as one element of `GET /fapi/v1/exchangeInfo`'s `symbols`, in Binance's field order.
    func json(onboardDate: Int64) -> WireJSON {
        let filters: [WireJSON] = [
            .object([
                ("filterType", .string("PRICE_FILTER")), ("minPrice", .plain(minPrice)),
                ("maxPrice", .plain(maxPrice)), ("tickSize", .plain(tickSize)),
            ]),
            .object([
                ("filterType", .string("LOT_SIZE")), ("minQty", .plain(minQty)), ("maxQty", .plain(maxQty)),
                ("stepSize", .plain(stepSize)),
            ]),
            .object([
                ("filterType", .string("MARKET_LOT_SIZE")), ("minQty", .plain(minQty)),
                ("maxQty", .plain(marketMaxQty)), ("stepSize", .plain(stepSize)),
            ]),
            .object([("filterType", .string("MAX_NUM_ORDERS")), ("limit", .int(Self.maxNumOrders))]),
            .object([("filterType", .string("MAX_NUM_ALGO_ORDERS")), ("limit", .int(Self.maxNumAlgoOrders))]),
            .object([("filterType", .string("MIN_NOTIONAL")), ("notional", .plain(minNotional))]),
            .object([
                ("filterType", .string("PERCENT_PRICE")), ("multiplierUp", .decimal(Self.percentPriceUp, scale: 4)),
                ("multiplierDown", .decimal(Self.percentPriceDown, scale: 4)), ("multiplierDecimal", .string("4")),
            ]),
        ]
        return .object([
            ("symbol", .string(symbol)), ("pair", .string(symbol)), ("contractType", .string("PERPETUAL")),
            ("deliveryDate", .int(Int64(4_133_404_800_000))), ("onboardDate", .int(onboardDate)),
            ("status", .string("TRADING")), ("maintMarginPercent", .string("2.5000")),
            ("requiredMarginPercent", .string("5.0000")), ("baseAsset", .string(baseAsset)),
            ("quoteAsset", .string(quoteAsset)), ("marginAsset", .string(quoteAsset)),
            ("pricePrecision", .int(pricePrecision)), ("quantityPrecision", .int(quantityPrecision)),
            ("baseAssetPrecision", .int(8)), ("quotePrecision", .int(8)), ("underlyingType", .string("COIN")),
            ("underlyingSubType", .array([])), ("settlePlan", .int(0)), ("triggerProtect", .string("0.0500")),
            ("liquidationFee", .string("0.012500")), ("marketTakeBound", .string("0.05")),
            ("maxMoveOrderLimit", .int(10000)), ("filters", .array(filters)),
            ("orderTypes", .array(Self.orderTypes.map { .string($0) })),
            ("timeInForce", .array(Self.timeInForce.map { .string($0) })),
        ])
    }
}
