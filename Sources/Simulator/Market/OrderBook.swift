import BinanceAPI
import Foundation

/// One price level of the synthetic book.
struct BookLevel: Sendable {
    var price: Decimal
    var quantity: Decimal
}

/// A synthetic order book around the current price of one symbol.
///
/// The best bid is the current price and the best ask one tick above it. Levels are about half a basis point
/// apart, and each contains between 500 and 20,000 USDT worth of the base asset, drawn from the seed, the symbol,
/// the minute and the level, so the book is the same for every request within one minute.
struct SyntheticBook {
    let rules: SymbolRules
    let priceUnits: Int64
    private let gapUnits: Int64
    private let quoteUSDT: Double
    private let key: UInt64
    private let minimumUnits: Int64
    private let maximumUnits: Int64

    init(rules: SymbolRules, market: MarketModel, at time: Int64) {
        self.rules = rules
        priceUnits = market.priceUnits(rules, at: time)
        let gapTicks = max(1, priceUnits / 20_000 / rules.tickUnits)
        gapUnits = gapTicks * rules.tickUnits
        let quoteValue = market.usdtValueEstimate(rules.quoteAsset, at: time)
        quoteUSDT = quoteValue > 0 ? quoteValue : 1
        key = SplitMix.hash(SplitMix.hash(market.seed, MarketModel.stableHash(rules.symbol)), UInt64(bitPattern: time / 60_000))
        minimumUnits = max(SymbolRules.units(rules.lotSize?.min ?? 0), rules.stepUnits)
        let maximum = SymbolRules.units(rules.lotSize?.max ?? 0)
        maximumUnits = maximum > 0 ? maximum : Int64.max
    }

    var price: Decimal { MarketModel.decimal(units: priceUnits) }

    /// Returns the `index`-th bid (0 is best), or nil when it would be at or below zero.
    func bid(_ index: Int) -> BookLevel? {
        bidUnits(index).map { BookLevel(price: MarketModel.decimal(units: $0.price), quantity: MarketModel.decimal(units: $0.quantity)) }
    }

    /// Returns the `index`-th ask (0 is best).
    func ask(_ index: Int) -> BookLevel {
        let level = askUnits(index)
        return BookLevel(price: MarketModel.decimal(units: level.price), quantity: MarketModel.decimal(units: level.quantity))
    }

    /// Returns the price and quantity of the `index`-th bid in units of 10^-8, or nil at or below zero.
    func bidUnits(_ index: Int) -> (price: Int64, quantity: Int64)? {
        let levelUnits = priceUnits - Int64(index) * gapUnits
        guard levelUnits > 0 else { return nil }
        return (levelUnits, quantityUnits(at: levelUnits, side: 1, index: index))
    }

    /// Returns the price and quantity of the `index`-th ask in units of 10^-8.
    func askUnits(_ index: Int) -> (price: Int64, quantity: Int64) {
        let levelUnits = priceUnits + rules.tickUnits + Int64(index) * gapUnits
        return (levelUnits, quantityUnits(at: levelUnits, side: 2, index: index))
    }

    var bestBid: BookLevel? { bid(0) }
    var bestAsk: BookLevel { ask(0) }

    static let maxLevels = 5000

    private func quantityUnits(at levelUnits: Int64, side: UInt64, index: Int) -> Int64 {
        let unit = SplitMix.unit(SplitMix.hash(key ^ side, UInt64(index)))
        let usdt = 500 + unit * 19_500
        let levelPrice = Double(levelUnits) / 100_000_000
        let raw = usdt / quoteUSDT / levelPrice * 100_000_000
        var units = raw.isFinite && raw < 9e17 ? Int64(raw.rounded(.down)) : maximumUnits
        units -= units % rules.stepUnits
        return min(max(units, minimumUnits), maximumUnits)
    }
}
