/// One candlestick, from `GET /api/v3/klines`.
///
/// On the wire a 12-element array mixing numbers (times, trade count) and decimal strings; the last element
/// is an unused field that Binance always sends as `"0"`.
package struct Kline: Codable, Sendable, Equatable {
    package var openTime: Int64
    package var open: DecimalValue
    package var high: DecimalValue
    package var low: DecimalValue
    package var close: DecimalValue
    package var volume: DecimalValue
    package var closeTime: Int64
    package var quoteVolume: DecimalValue
    package var tradeCount: Int64
    package var takerBuyBaseVolume: DecimalValue
    package var takerBuyQuoteVolume: DecimalValue

    package init(
        openTime: Int64,
        open: DecimalValue,
        high: DecimalValue,
        low: DecimalValue,
        close: DecimalValue,
        volume: DecimalValue,
        closeTime: Int64,
        quoteVolume: DecimalValue,
        tradeCount: Int64,
        takerBuyBaseVolume: DecimalValue,
        takerBuyQuoteVolume: DecimalValue
    ) {
        self.openTime = openTime
        self.open = open
        self.high = high
        self.low = low
        self.close = close
        self.volume = volume
        self.closeTime = closeTime
        self.quoteVolume = quoteVolume
        self.tradeCount = tradeCount
        self.takerBuyBaseVolume = takerBuyBaseVolume
        self.takerBuyQuoteVolume = takerBuyQuoteVolume
    }

    package init(from decoder: any Decoder) throws {
        var row = try decoder.unkeyedContainer()
        openTime = try row.decode(LenientInteger.self).value
        open = try row.decode(DecimalValue.self)
        high = try row.decode(DecimalValue.self)
        low = try row.decode(DecimalValue.self)
        close = try row.decode(DecimalValue.self)
        volume = try row.decode(DecimalValue.self)
        closeTime = try row.decode(LenientInteger.self).value
        quoteVolume = try row.decode(DecimalValue.self)
        tradeCount = try row.decode(LenientInteger.self).value
        takerBuyBaseVolume = try row.decode(DecimalValue.self)
        takerBuyQuoteVolume = try row.decode(DecimalValue.self)
        // The twelfth element is ignored, and so are any that Binance may add after it.
    }

    package func encode(to encoder: any Encoder) throws {
        var row = encoder.unkeyedContainer()
        try row.encode(openTime)
        try row.encode(open)
        try row.encode(high)
        try row.encode(low)
        try row.encode(close)
        try row.encode(volume)
        try row.encode(closeTime)
        try row.encode(quoteVolume)
        try row.encode(tradeCount)
        try row.encode(takerBuyBaseVolume)
        try row.encode(takerBuyQuoteVolume)
        try row.encode("0")
    }
}
