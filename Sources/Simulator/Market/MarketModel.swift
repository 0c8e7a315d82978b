import BinanceAPI
import Foundation

/// One recorded candle; prices and volumes in units of 10^-8.
struct Candle: Sendable {
    var openTime: Int64
    var openUnits: Int64
    var highUnits: Int64
    var lowUnits: Int64
    var closeUnits: Int64
    var volumeUnits: Int64
    var quoteVolumeUnits: Int64
    var trades: Int64

    var volume: Decimal { MarketModel.decimal(units: volumeUnits) }
    var quoteVolume: Decimal { MarketModel.decimal(units: quoteVolumeUnits) }
}

/// A recorded kline series, replayed in a loop.
struct RecordedSeries: Sendable {
    var intervalMillis: Int64
    var candles: [Candle]

    /// Parses the shipped CSV rows (open time, open, high, low, close, volume, close time, quote volume, trades, …).
    /// Rows that do not have that shape are skipped.
    static func parse(_ data: some ContiguousBytes) -> RecordedSeries? {
        var candles = [Candle]()
        let byteCount = data.withUnsafeBytes { $0.count }
        candles.reserveCapacity(byteCount / 100)
        // Up to 12 fields per row. Fields with a decimal point become units of 10^-8; fields without one
        // (times, counts) stay integers.
        var fields = (Int64(0), Int64(0), Int64(0), Int64(0), Int64(0), Int64(0), Int64(0), Int64(0), Int64(0))
        var fieldIndex = 0
        var current: Int64 = 0
        var fractionDigits = -1
        var valid = true
        data.withUnsafeBytes { buffer in
            for byte in buffer {
                if byte >= 48 && byte <= 57 {
                    current = current &* 10 &+ Int64(byte &- 48)
                    if fractionDigits >= 0 { fractionDigits += 1 }
                    continue
                }
                if byte == 46 {
                    fractionDigits = 0
                    continue
                }
                if byte == 13 { continue }
                guard byte == 44 || byte == 10 else {
                    valid = false
                    continue
                }
                var value = current
                if fractionDigits >= 0 {
                    if fractionDigits > 8 { valid = false }
                    var scale = fractionDigits
                    while scale < 8 {
                        value = value &* 10
                        scale += 1
                    }
                }
                switch fieldIndex {
                case 0: fields.0 = value
                case 1: fields.1 = value
                case 2: fields.2 = value
                case 3: fields.3 = value
                case 4: fields.4 = value
                case 5: fields.5 = value
                case 6: fields.6 = value
                case 7: fields.7 = value
                case 8: fields.8 = value
                default: break
                }
                fieldIndex += 1
                current = 0
                fractionDigits = -1
                if byte == 10 {
                    if valid, fieldIndex >= 9 {
                        candles.append(Candle(
                            openTime: fields.0, openUnits: fields.1, highUnits: fields.2, lowUnits: fields.3,
                            closeUnits: fields.4, volumeUnits: fields.5, quoteVolumeUnits: fields.7, trades: fields.8
                        ))
                    }
                    fieldIndex = 0
                    valid = true
                }
            }
        }
        guard candles.count >= 2 else { return nil }
        return RecordedSeries(intervalMillis: candles[1].openTime - candles[0].openTime, candles: candles)
    }
}

/// Prices of every symbol as a function of time: deterministic for a seed, with no hidden state.
///
/// BTC, ETH, SOL and BNB against USDT replay recorded 15-minute Binance klines in a loop. Inside a candle the
/// price moves open → low → high → close (or open → high → low → close for a falling candle) in straight lines.
/// Other assets follow a deterministic synthetic walk around a plausible USDT value, and a pair's price is the
/// ratio of its two assets' USDT values, so cross pairs agree with their USDT legs.
final class MarketModel: @unchecked Sendable {
    let seed: UInt64
    /// Replay position at time 0; the seed shifts it by a whole number of candles.
    private let catalog: SymbolCatalog
    private static let seriesLock = NSLock()
    nonisolated(unsafe) private static var series: [String: RecordedSeries?] = [:]
    /// The lock each asset's parse holds, created under `seriesLock`.
    nonisolated(unsafe) private static var assetLocks: [String: NSLock] = [:]

    static let recordedAssets: Set<String> = ["BTC", "ETH", "SOL", "BNB"]

    init(seed: UInt64, catalog: SymbolCatalog) {
        self.seed = seed
        self.catalog = catalog
    }

    static func bundledSeries(_ name: String) -> Data? {
        guard let url = Bundle.module.url(forResource: name, withExtension: "csv", subdirectory: "Resources/klines")
            ?? Bundle.module.url(forResource: name, withExtension: "csv"),
            // Mapped rather than read: a recording is 2.7 MB, which a read would copy into new memory.
            let data = try? Data(contentsOf: url, options: .alwaysMapped)
        else { return nil }
        return data
    }

    /// Returns the recorded 15-minute spot series of `asset` against USDT, loaded once per process on first use.
    func recorded(_ asset: String) -> RecordedSeries? {
        guard Self.recordedAssets.contains(asset) else { return nil }
        if let cached = Self.seriesLock.withLock({ Self.series[asset] }) { return cached }
        // One lock per asset, so two recordings parse at the same time while a caller waits for the one it needs.
        let assetLock = Self.seriesLock.withLock { () -> NSLock in
            if let existing = Self.assetLocks[asset] { return existing }
            let created = NSLock()
            Self.assetLocks[asset] = created
            return created
        }
        return assetLock.withLock {
            if let cached = Self.seriesLock.withLock({ Self.series[asset] }) { return cached }
            let loaded = Self.bundledSeries("\(asset)USDT-15m-spot").flatMap(RecordedSeries.parse)
            Self.seriesLock.withLock { Self.series[asset] = loaded }
            return loaded
        }
    }

    /// Starts parsing the recorded series of `assets`, each on its own background thread, so two recordings take
    /// the time of one on two cores. A later `recorded` call finds the series loaded, or waits for the parse under way.
    func preloadRecorded(_ assets: [String]) {
        for asset in assets {
            Thread.detachNewThread { [self] in _ = recorded(asset) }
        }
    }

    // MARK: - USDT values

    /// Plausible USDT values of assets without recordings, used as the centre of their synthetic walk.
    private static let referenceValues: [String: Double] = [
        "USDT": 1, "USDC": 1, "BUSD": 1, "TUSD": 1, "FDUSD": 1, "DAI": 1, "USDP": 1, "PAX": 1, "UST": 1, "USDS": 1,
        "EUR": 1.08, "GBP": 1.27, "AUD": 0.66, "TRY": 0.031, "BRL": 0.2, "RUB": 0.011, "UAH": 0.025, "NGN": 0.00065,
        "ZAR": 0.054, "PLN": 0.25, "RON": 0.22, "BIDR": 0.000064, "IDRT": 0.000064, "BKRW": 0.00075, "BVND": 0.00004,
        "XRP": 0.52, "ADA": 0.45, "DOGE": 0.12, "LTC": 80, "TRX": 0.12, "DOT": 6.5, "LINK": 14, "MATIC": 0.7,
        "AVAX": 28, "SHIB": 0.00002, "ATOM": 8, "XLM": 0.11, "ETC": 24, "BCH": 380, "UNI": 7, "FIL": 5, "NEAR": 5,
        "APT": 8, "ARB": 1.1, "OP": 2, "AAVE": 95, "MKR": 2400, "XMR": 150, "EOS": 0.8, "PEPE": 0.000008,
    ]

    private static let stableAssets: Set<String> = ["USDT", "USDC", "BUSD", "TUSD", "FDUSD", "DAI", "USDP", "PAX", "USDS"]

    /// USDT value of `asset` at `time` (milliseconds) as a `Double`. Only market prices are derived from it;
    /// they are snapped to whole ticks before any other code uses them.
    func usdtValueEstimate(_ asset: String, at time: Int64) -> Double {
        if let recorded = recorded(asset) { return Double(replayedUnits(recorded, at: time)) / 100_000_000 }
        let reference = Self.referenceValues[asset] ?? Self.hashedReference(asset)
        if Self.stableAssets.contains(asset) { return reference }
        return reference * walkFactor(asset, at: time)
    }

    /// USDT value of `asset` at `time`, to 8 decimals.
    func usdtValue(_ asset: String, at time: Int64) -> Decimal {
        Self.decimal(units: Int64((usdtValueEstimate(asset, at: time) * 100_000_000).rounded(.down)))
    }

    /// Price of `rules.symbol` at `time`, on its tick grid and never below one tick.
    func price(_ rules: SymbolRules, at time: Int64) -> Decimal {
        Self.decimal(units: priceUnits(rules, at: time))
    }

    /// Price in units of 10^-8, on the tick grid and at least one tick.
    func priceUnits(_ rules: SymbolRules, at time: Int64) -> Int64 {
        let raw: Int64
        if rules.quoteAsset == "USDT", let recorded = recorded(rules.baseAsset) {
            raw = replayedUnits(recorded, at: time)
        } else {
            let quote = usdtValueEstimate(rules.quoteAsset, at: time)
            let ratio = quote > 0 ? usdtValueEstimate(rules.baseAsset, at: time) / quote : 0
            raw = ratio.isFinite && ratio < 9e10 ? Int64((ratio * 100_000_000).rounded(.down)) : 0
        }
        let tick = rules.tickUnits
        let onGrid = raw - raw % tick
        return onGrid > 0 ? onGrid : tick
    }

    /// Converts units of 10^-8 to a `Decimal` without dividing.
    static func decimal(units: Int64) -> Decimal {
        let magnitude = Decimal(sign: .plus, exponent: -8, significand: Decimal(units.magnitude))
        return units < 0 ? -magnitude : magnitude
    }

    /// Lowest and highest price over `[from, to]`, from `samples` evenly spaced points plus recorded candle extremes.
    func range(_ rules: SymbolRules, from: Int64, to: Int64, samples: Int = 200) -> (low: Decimal, high: Decimal) {
        var low = priceUnits(rules, at: to)
        var high = low
        if to > from {
            let step: Int64 = max(1, (to - from) / Int64(max(samples, 1)))
            var time = from
            while time < to {
                let value = priceUnits(rules, at: time)
                if value < low { low = value }
                if value > high { high = value }
                time += step
            }
            if rules.quoteAsset == "USDT", let recorded = recorded(rules.baseAsset) {
                // Recorded candles carry their own extremes, which sampling can step over.
                let interval = recorded.intervalMillis
                var start = from - positiveModulo(from, interval)
                var count = 0
                while start + interval <= to, count < 5000 {
                    if start >= from {
                        let candle = recorded.candles[candleIndex(recorded, at: start)]
                        let candleLow = candle.lowUnits - candle.lowUnits % rules.tickUnits
                        let candleHigh = candle.highUnits - candle.highUnits % rules.tickUnits
                        if candleLow < low { low = candleLow }
                        if candleHigh > high { high = candleHigh }
                    }
                    start += interval
                    count += 1
                }
            }
        }
        return (Self.decimal(units: low), Self.decimal(units: high))
    }

    /// Replayed candles that overlap `[from, to)`, with open times moved to the simulated timeline.
    func candles(_ recorded: RecordedSeries, from: Int64, to: Int64) -> [Candle] {
        let interval = recorded.intervalMillis
        var start = from - positiveModulo(from, interval)
        var result = [Candle]()
        while start < to, result.count < 5000 {
            var candle = recorded.candles[candleIndex(recorded, at: start)]
            candle.openTime = start
            result.append(candle)
            start += interval
        }
        return result
    }

    // MARK: - Replay

    private func seedOffsetCandles(_ count: Int) -> Int {
        Int(SplitMix.hash(seed, 0x5EED) % UInt64(count))
    }

    func candleIndex(_ recorded: RecordedSeries, at time: Int64) -> Int {
        let count = Int64(recorded.candles.count)
        let slot = (time - positiveModulo(time, recorded.intervalMillis)) / recorded.intervalMillis
        return Int(positiveModulo(slot + Int64(seedOffsetCandles(Int(count))), count))
    }

    private func replayedUnits(_ recorded: RecordedSeries, at time: Int64) -> Int64 {
        let candle = recorded.candles[candleIndex(recorded, at: time)]
        let interval = recorded.intervalMillis
        let elapsed = positiveModulo(time, interval)
        let rising = candle.closeUnits >= candle.openUnits
        let points = rising
            ? [candle.openUnits, candle.lowUnits, candle.highUnits, candle.closeUnits]
            : [candle.openUnits, candle.highUnits, candle.lowUnits, candle.closeUnits]
        let segment = interval / 3
        let index = min(Int(elapsed / segment), 2)
        let start = points[index]
        let end = points[index + 1]
        let within = elapsed - Int64(index) * segment
        let length = index == 2 ? interval - 2 * segment : segment
        return start + Int64((Double(end - start) * Double(within) / Double(length)).rounded(.down))
    }

    // MARK: - Synthetic walk

    /// Returns a smooth deterministic factor near 1: hourly knots of up to ±6 % joined by cosine easing, plus ±0.15 %
    /// per-minute noise.
    private func walkFactor(_ asset: String, at time: Int64) -> Double {
        let assetKey = SplitMix.hash(seed, Self.stableHash(asset))
        let hour = Int64(3_600_000)
        let knot = (time - positiveModulo(time, hour)) / hour
        let fraction = Double(positiveModulo(time, hour)) / Double(hour)
        func knotValue(_ index: Int64) -> Double {
            SplitMix.unit(SplitMix.hash(assetKey, UInt64(bitPattern: index))) * 0.12 - 0.06
        }
        let eased = (1 - cos(fraction * .pi)) / 2
        let smooth = knotValue(knot) * (1 - eased) + knotValue(knot + 1) * eased
        let minute = time / 60_000
        let noise = SplitMix.unit(SplitMix.hash(assetKey ^ 0xA5A5, UInt64(bitPattern: minute))) * 0.003 - 0.0015
        return 1 + smooth + noise
    }

    /// Returns a reference value between 0.05 and 50 USDT spread evenly on a log scale by the asset's name.
    private static func hashedReference(_ asset: String) -> Double {
        let unit = SplitMix.unit(SplitMix.hash(0xC0FFEE, stableHash(asset)))
        return 0.05 * pow(1000, unit)
    }

    /// FNV-1a over UTF-8: stable across runs, unlike `Hasher`.
    static func stableHash(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf29ce484222325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100000001b3
        }
        return hash
    }
}

func positiveModulo(_ value: Int64, _ modulus: Int64) -> Int64 {
    let remainder = value % modulus
    return remainder < 0 ? remainder + modulus : remainder
}

/// SplitMix64 hashing: a cheap, well-mixed deterministic source for prices, book sizes and fault draws.
enum SplitMix {
    static func mix(_ input: UInt64) -> UInt64 {
        var z = input &+ 0x9E3779B97F4A7C15
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }

    static func hash(_ first: UInt64, _ second: UInt64) -> UInt64 { mix(mix(first) ^ second) }

    /// Maps a hash to [0, 1).
    static func unit(_ value: UInt64) -> Double { Double(value >> 11) / Double(UInt64(1) << 53) }
}

/// A seeded SplitMix64 generator for sequences of draws.
struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state = state &+ 0x9E3779B97F4A7C15
        return SplitMix.mix(state &- 0x9E3779B97F4A7C15)
    }

    mutating func unit() -> Double { SplitMix.unit(next()) }
}
