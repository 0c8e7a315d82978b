import BinanceAPI
import Foundation

extension ExchangeEngine {
    /// Rules of a known symbol, or -1121.
    func rules(_ symbol: String) throws(APIFailure) -> SymbolRules {
        guard let rules = catalog.rules(symbol) else { throw APIFailure.invalidSymbol }
        return rules
    }

    /// Symbols named by `symbol` or `symbols`, or every symbol when neither is sent (-1128 for both).
    func selectedSymbols(_ parameters: ReceivedParameters) throws(APIFailure) -> (list: [SymbolRules], single: Bool) {
        let one = try parameters.optionalSymbol()
        let many = try parameters.symbolList()
        if one != nil, many != nil {
            throw APIFailure(code: -1128, "Combination of optional parameters invalid.")
        }
        if let one { return ([try rules(one)], true) }
        if let many {
            var list = [SymbolRules]()
            for symbol in many { list.append(try rules(symbol)) }
            return (list, false)
        }
        return (catalog.symbols.compactMap { catalog.rules($0) }, false)
    }

    // MARK: - exchangeInfo

    func exchangeInfo(_ parameters: ReceivedParameters, at time: Int64) throws(APIFailure) -> [UInt8] {
        let contents = catalog.contents
        var symbolsBytes: [UInt8]?
        let one = try parameters.optionalSymbol()
        let many = try parameters.symbolList()
        if one != nil, many != nil { throw APIFailure(code: -1128, "Combination of optional parameters invalid.") }
        let statusFilter = try parameters.optional("symbolStatus")
        if let statusFilter, !["TRADING", "HALT", "BREAK"].contains(statusFilter) {
            throw APIFailure.invalidParameter("symbolStatus")
        }
        if let names = one.map({ [$0] }) ?? many {
            var selected = [UInt8]()
            for (index, name) in names.enumerated() {
                guard let raw = contents.rawSymbol[name] else { throw APIFailure.invalidSymbol }
                if index > 0 { selected.append(UInt8(ascii: ",")) }
                selected.append(contentsOf: raw)
            }
            symbolsBytes = selected
        } else if let statusFilter {
            var selected = [UInt8]()
            for name in contents.order where contents.rules[name]?.status == statusFilter {
                guard let raw = contents.rawSymbol[name] else { continue }
                if !selected.isEmpty { selected.append(UInt8(ascii: ",")) }
                selected.append(contentsOf: raw)
            }
            symbolsBytes = selected
        }
        var output = [UInt8]()
        // Without a selection every symbol is listed: about 3.6 MB for the bundled snapshot.
        output.reserveCapacity((symbolsBytes?.count ?? 4_000_000) + 1024)
        output.append(contentsOf: #"{"timezone":"UTC","serverTime":"#.utf8)
        output.append(contentsOf: String(time).utf8)
        output.append(contentsOf: exchangeInfoMiddle(contents))
        if let symbolsBytes {
            output.append(contentsOf: symbolsBytes)
        } else {
            contents.appendAllSymbols(to: &output)
        }
        output.append(contentsOf: "]}".utf8)
        return output
    }

    /// `,"rateLimits":[…],"exchangeFilters":[…],"symbols":[`, built once from the configured limits.
    private func exchangeInfoMiddle(_ contents: SymbolCatalog.Loaded) -> [UInt8] {
        if let exchangeInfoTail { return exchangeInfoTail }
        let limits = options.rateLimits
        func limit(_ type: String, _ interval: String, _ number: Int, _ value: Int) -> WireJSON {
            .object([
                ("rateLimitType", .string(type)), ("interval", .string(interval)),
                ("intervalNum", .int(number)), ("limit", .int(value)),
            ])
        }
        let rateLimits = WireJSON.array([
            limit("REQUEST_WEIGHT", "MINUTE", 1, limits.requestWeightPerMinute),
            limit("ORDERS", "SECOND", 10, limits.ordersPerTenSeconds),
            limit("ORDERS", "DAY", 1, limits.ordersPerDay),
            limit("RAW_REQUESTS", "MINUTE", 5, limits.rawRequestsPerFiveMinutes),
        ])
        var bytes = Array(#","rateLimits":"#.utf8)
        rateLimits.write(into: &bytes)
        bytes.append(contentsOf: #","exchangeFilters":"#.utf8)
        bytes.append(contentsOf: contents.exchangeFiltersBytes)
        bytes.append(contentsOf: #","symbols":["#.utf8)
        exchangeInfoTail = bytes
        return bytes
    }

    // MARK: - Tickers

    func tickerPrice(_ parameters: ReceivedParameters, at time: Int64) throws(APIFailure) -> [UInt8] {
        let selection = try selectedSymbols(parameters)
        let items = selection.list.map { rules in
            WireJSON.object([
                ("symbol", .string(rules.symbol)),
                ("price", .units(market.priceUnits(rules, at: time))),
            ])
        }
        return (selection.single ? items[0] : .array(items)).bytes
    }

    func bookTicker(_ parameters: ReceivedParameters, at time: Int64) throws(APIFailure) -> [UInt8] {
        let selection = try selectedSymbols(parameters)
        let items = selection.list.map { rules -> WireJSON in
            let book = SyntheticBook(rules: rules, market: market, at: time)
            let bid = book.bestBid ?? BookLevel(price: 0, quantity: 0)
            let ask = book.bestAsk
            return .object([
                ("symbol", .string(rules.symbol)),
                ("bidPrice", .decimal(bid.price)), ("bidQty", .decimal(bid.quantity)),
                ("askPrice", .decimal(ask.price)), ("askQty", .decimal(ask.quantity)),
            ])
        }
        return (selection.single ? items[0] : .array(items)).bytes
    }

    func ticker24hr(_ parameters: ReceivedParameters, at time: Int64) throws(APIFailure) -> [UInt8] {
        let type = try parameters.optional("type") ?? "FULL"
        guard type == "FULL" || type == "MINI" else { throw APIFailure.invalidParameter("type") }
        let selection = try selectedSymbols(parameters)
        let items = selection.list.map { ticker(for: $0, at: time, mini: type == "MINI") }
        return (selection.single ? items[0] : .array(items)).bytes
    }

    /// Statistics of the last 24 hours: prices from the price path, volumes from the recording or the seed.
    private func ticker(for rules: SymbolRules, at time: Int64, mini: Bool) -> WireJSON {
        let openTime = time - 86_400_000
        let open = market.price(rules, at: openTime)
        let last = market.price(rules, at: time)
        let extremes = market.range(rules, from: openTime, to: time, samples: 96)
        let stats = dayStatistics(rules, from: openTime, to: time)
        let change = last - open
        var percent = Decimal()
        if open > 0 {
            var raw = change / open * 100
            NSDecimalRound(&percent, &raw, 3, .plain)
        }
        let weighted = stats.volume > 0 ? stats.quoteVolume / stats.volume : last
        let lastId = time / 1000
        let firstId = lastId - stats.count + 1
        if mini {
            return .object([
                ("symbol", .string(rules.symbol)),
                ("openPrice", .decimal(open)), ("highPrice", .decimal(extremes.high)),
                ("lowPrice", .decimal(extremes.low)), ("lastPrice", .decimal(last)),
                ("volume", .decimal(stats.volume)), ("quoteVolume", .decimal(stats.quoteVolume)),
                ("openTime", .int(openTime)), ("closeTime", .int(time)),
                ("firstId", .int(firstId)), ("lastId", .int(lastId)), ("count", .int(stats.count)),
            ])
        }
        let book = SyntheticBook(rules: rules, market: market, at: time)
        let bid = book.bestBid ?? BookLevel(price: 0, quantity: 0)
        let ask = book.bestAsk
        return .object([
            ("symbol", .string(rules.symbol)),
            ("priceChange", .decimal(change)),
            ("priceChangePercent", .decimal(percent, scale: 3)),
            ("weightedAvgPrice", .decimal(weighted)),
            ("prevClosePrice", .decimal(market.price(rules, at: openTime - 1))),
            ("lastPrice", .decimal(last)),
            ("lastQty", .decimal(book.bestAsk.quantity)),
            ("bidPrice", .decimal(bid.price)), ("bidQty", .decimal(bid.quantity)),
            ("askPrice", .decimal(ask.price)), ("askQty", .decimal(ask.quantity)),
            ("openPrice", .decimal(open)),
            ("highPrice", .decimal(extremes.high)),
            ("lowPrice", .decimal(extremes.low)),
            ("volume", .decimal(stats.volume)),
            ("quoteVolume", .decimal(stats.quoteVolume)),
            ("openTime", .int(openTime)), ("closeTime", .int(time)),
            ("firstId", .int(firstId)), ("lastId", .int(lastId)), ("count", .int(stats.count)),
        ])
    }

    /// Traded volume and trade count over `[from, to)`: summed recorded candles for replayed symbols, drawn
    /// from the seed for the others.
    func dayStatistics(_ rules: SymbolRules, from: Int64, to: Int64) -> (volume: Decimal, quoteVolume: Decimal, count: Int64) {
        if rules.quoteAsset == "USDT", let recorded = market.recorded(rules.baseAsset) {
            var volume = Decimal()
            var quote = Decimal()
            var count: Int64 = 0
            for candle in market.candles(recorded, from: from, to: to) {
                volume += candle.volume
                quote += candle.quoteVolume
                count += candle.trades
            }
            return (DecimalText.floor(volume, toMultipleOf: rules.stepSize), DecimalText.floor(quote, toMultipleOf: Decimal(string: "0.00000001")!), count)
        }
        let unit = SplitMix.unit(SplitMix.hash(market.seed, MarketModel.stableHash(rules.symbol) ^ UInt64(bitPattern: to / 3_600_000)))
        let usdtVolume = Decimal(Int(20_000 + unit * 2_000_000))
        let price = market.price(rules, at: to)
        let quoteValue = market.usdtValue(rules.quoteAsset, at: to)
        let quoteVolume = quoteValue > 0 ? usdtVolume / quoteValue : 0
        let volume = price > 0 ? DecimalText.floor(quoteVolume / price, toMultipleOf: rules.stepSize) : 0
        return (volume, DecimalText.floor(quoteVolume, toMultipleOf: Decimal(string: "0.00000001")!), Int64(200 + unit * 20_000))
    }

    // MARK: - Depth, trades, klines, average price

    func depth(_ parameters: ReceivedParameters, at time: Int64) throws(APIFailure) -> [UInt8] {
        let rules = try rules(try parameters.symbol())
        let limit = try parameters.limit(default: 100, maximum: SyntheticBook.maxLevels)
        let book = SyntheticBook(rules: rules, market: market, at: time)
        var bids = [WireJSON]()
        for index in 0..<limit {
            guard let level = book.bidUnits(index) else { break }
            bids.append(.array([.units(level.price), .units(level.quantity)]))
        }
        let asks = (0..<limit).map { index -> WireJSON in
            let level = book.askUnits(index)
            return .array([.units(level.price), .units(level.quantity)])
        }
        return WireJSON.object([
            ("lastUpdateId", .int(time / 100)),
            ("bids", .array(bids)),
            ("asks", .array(asks)),
        ]).bytes
    }

    func recentTrades(_ parameters: ReceivedParameters, at time: Int64) throws(APIFailure) -> [UInt8] {
        let rules = try rules(try parameters.symbol())
        let limit = try parameters.limit(default: 500, maximum: 1000)
        let newest = time / 1000
        var items = [WireJSON]()
        for id in stride(from: newest - Int64(limit) + 1, through: newest, by: 1) {
            let tradeTime = id * 1000 + Int64(SplitMix.hash(market.seed, UInt64(bitPattern: id)) % 1000)
            let price = market.price(rules, at: tradeTime)
            let unit = SplitMix.unit(SplitMix.hash(MarketModel.stableHash(rules.symbol), UInt64(bitPattern: id)))
            let quoteValue = market.usdtValue(rules.quoteAsset, at: tradeTime)
            let usdt = Decimal(Int(20 + unit * 5_000))
            var qty = price > 0 && quoteValue > 0 ? DecimalText.floor(usdt / quoteValue / price, toMultipleOf: rules.stepSize) : 0
            if qty <= 0 { qty = rules.stepSize }
            items.append(.object([
                ("id", .int(id)),
                ("price", .decimal(price)),
                ("qty", .decimal(qty)),
                ("quoteQty", .decimal(price * qty)),
                ("time", .int(tradeTime)),
                ("isBuyerMaker", .bool(unit < 0.5)),
                ("isBestMatch", .bool(true)),
            ]))
        }
        return WireJSON.array(items).bytes
    }

    static let klineIntervals: [String: Int64] = [
        "1s": 1_000, "1m": 60_000, "3m": 180_000, "5m": 300_000, "15m": 900_000, "30m": 1_800_000,
        "1h": 3_600_000, "2h": 7_200_000, "4h": 14_400_000, "6h": 21_600_000, "8h": 28_800_000,
        "12h": 43_200_000, "1d": 86_400_000, "3d": 259_200_000, "1w": 604_800_000, "1M": 2_592_000_000,
    ]

    func klines(_ parameters: ReceivedParameters, at time: Int64) throws(APIFailure) -> [UInt8] {
        let rules = try rules(try parameters.symbol())
        let intervalName = try parameters.required("interval")
        guard let interval = Self.klineIntervals[intervalName] else { throw APIFailure(code: -1120, "Invalid interval.") }
        if let zone = try parameters.optional("timeZone"), zone != "0", zone != "+00:00", zone != "0:00" {
            // NOTE: only UTC candles are simulated; another zone is rejected rather than answered wrongly.
            throw APIFailure.invalidParameter("timeZone")
        }
        let limit = try parameters.limit(default: 500, maximum: 1000)
        let start = try parameters.time("startTime")
        let end = try parameters.time("endTime")
        if let start, let end, start > end { throw APIFailure(code: -1023, "Start time is greater than end time.") }

        var opens = [Int64]()
        let latestOpen = Self.candleOpen(containing: min(end ?? time, time), interval: interval, name: intervalName)
        if let start {
            var open = Self.candleOpen(containing: start, interval: interval, name: intervalName)
            if open < start { open = Self.nextOpen(after: open, interval: interval, name: intervalName) }
            while opens.count < limit, open <= latestOpen {
                opens.append(open)
                open = Self.nextOpen(after: open, interval: interval, name: intervalName)
            }
        } else {
            var open = latestOpen
            while opens.count < limit {
                opens.append(open)
                open = Self.previousOpen(before: open, interval: interval, name: intervalName)
            }
            opens.reverse()
        }
        let items = opens.map { open -> WireJSON in
            let next = Self.nextOpen(after: open, interval: interval, name: intervalName)
            let closeTime = next - 1
            let until = min(next, time)
            let first = market.price(rules, at: open)
            let last = market.price(rules, at: max(open, until - 1))
            let extremes = market.range(rules, from: open, to: until, samples: 12)
            let stats = dayStatistics(rules, from: open, to: max(until, open + 1))
            let scale = Decimal(max(until - open, 1)) / 86_400_000
            let recorded = rules.quoteAsset == "USDT" && market.recorded(rules.baseAsset) != nil
            let volume = recorded ? stats.volume : DecimalText.floor(stats.volume * scale, toMultipleOf: rules.stepSize)
            let quoteVolume = recorded ? stats.quoteVolume : DecimalText.floor(stats.quoteVolume * scale, toMultipleOf: Decimal(string: "0.00000001")!)
            let count = recorded ? stats.count : max(1, Int64(NSDecimalNumber(decimal: Decimal(stats.count) * scale).int64Value))
            let takerShare = Decimal(45 + Int(SplitMix.hash(market.seed, UInt64(bitPattern: open)) % 10)) / 100
            return .array([
                .int(open), .decimal(first), .decimal(max(extremes.high, first, last)), .decimal(min(extremes.low, first, last)),
                .decimal(last), .decimal(volume), .int(closeTime), .decimal(quoteVolume), .int(count),
                .decimal(DecimalText.floor(volume * takerShare, toMultipleOf: rules.stepSize)),
                .decimal(DecimalText.floor(quoteVolume * takerShare, toMultipleOf: Decimal(string: "0.00000001")!)),
                .string("0"),
            ])
        }
        return WireJSON.array(items).bytes
    }

    /// Open time of the candle containing `time`: weeks start on Monday and months on the 1st, in UTC.
    static func candleOpen(containing time: Int64, interval: Int64, name: String) -> Int64 {
        switch name {
        case "1w": return time - positiveModulo(time - 345_600_000, interval)
        case "1M":
            let date = Date(timeIntervalSince1970: TimeInterval(time) / 1000)
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "UTC")!
            let parts = calendar.dateComponents([.year, .month], from: date)
            let start = calendar.date(from: parts) ?? date
            return Int64(start.timeIntervalSince1970 * 1000)
        default: return time - positiveModulo(time, interval)
        }
    }

    static func nextOpen(after open: Int64, interval: Int64, name: String) -> Int64 {
        guard name == "1M" else { return open + interval }
        return candleOpen(containing: open + 32 * 86_400_000, interval: interval, name: name)
    }

    static func previousOpen(before open: Int64, interval: Int64, name: String) -> Int64 {
        guard name == "1M" else { return open - interval }
        return candleOpen(containing: open - 1, interval: interval, name: name)
    }

    /// Mean of the per-minute prices over `minutes` minutes, on the symbol's precision.
    func averagePrice(_ rules: SymbolRules, minutes: Int, at time: Int64) -> Decimal {
        guard minutes > 0 else { return market.price(rules, at: time) }
        var total = Decimal()
        for minute in 0..<minutes {
            total += market.price(rules, at: time - Int64(minute) * 60_000)
        }
        return DecimalText.floor(total / Decimal(minutes), toMultipleOf: Decimal(string: "0.00000001")!)
    }

    func averagePrice(_ parameters: ReceivedParameters, at time: Int64) throws(APIFailure) -> [UInt8] {
        let rules = try rules(try parameters.symbol())
        let minutes = rules.percentPriceBySide?.avgPriceMins ?? rules.notional?.avgPriceMins ?? 5
        return WireJSON.object([
            ("mins", .int(max(minutes, 1))),
            ("price", .decimal(averagePrice(rules, minutes: max(minutes, 1), at: time))),
            ("closeTime", .int(time - positiveModulo(time, 60_000) - 1)),
        ]).bytes
    }
}
