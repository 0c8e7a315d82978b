import BinanceAPI
import Foundation

/// Caches exchangeInfo per market (spot and USDⓈ-M futures separately), so order checks do not cost
/// 20 request weight each.
///
/// Listing symbols fetches the whole market. Checking an order on a spot symbol fetches only that symbol
/// (`exchangeInfo?symbol=`) unless the whole market is already cached, which keeps the first order of a
/// session quick. An entry is refreshed when older than `maximumAge`, or after `invalidate` (called when
/// Binance returns -1013, which means the local copy of a filter was wrong).
package actor ExchangeInfoCache {
    private struct Entry {
        var symbols: [String: SymbolRules]
        var ordered: [SymbolRules]
        var fetchedAt: Date
    }

    private let client: BinanceClient
    private let maximumAge: TimeInterval
    private let now: @Sendable () -> Date
    private var entries: [Market: Entry] = [:]
    /// Spot symbols fetched one at a time, with the time each was fetched.
    private var singles: [String: (rules: SymbolRules, fetchedAt: Date)] = [:]
    /// Fetches in progress, which concurrent callers share so a burst of first orders costs one request.
    private var singleFetches: [String: Task<SymbolRules, any Error>] = [:]
    private var marketFetches: [Market: Task<[SymbolRules], any Error>] = [:]

    /// - Parameters:
    ///   - maximumAge: seconds after which the cached rules are fetched again; default 300.
    ///   - now: the clock, replaceable in tests.
    package init(client: BinanceClient, maximumAge: TimeInterval = 300, now: @escaping @Sendable () -> Date = Date.init) {
        self.client = client
        self.maximumAge = maximumAge
        self.now = now
    }

    /// Returns the rules of one symbol, fetching them when the cache lacks them or they are stale.
    /// - Throws: `validation_error` when the market has no such symbol; mapped Binance errors when the fetch fails.
    package func rules(for symbol: String, market: Market = .spot) async throws(ToolError) -> SymbolRules {
        if let entry = entries[market], isFresh(entry.fetchedAt) {
            guard let rules = entry.symbols[symbol] else { throw Self.unknownSymbol(symbol, market: market) }
            return rules
        }
        guard market == .spot else {
            // The futures exchangeInfo endpoint takes no symbol parameter.
            guard let rules = try await freshEntry(for: market).symbols[symbol] else {
                throw Self.unknownSymbol(symbol, market: market)
            }
            return rules
        }
        if let single = singles[symbol], isFresh(single.fetchedAt) { return single.rules }

        let fetch: Task<SymbolRules, any Error>
        if let running = singleFetches[symbol] {
            fetch = running
        } else {
            let client = self.client
            fetch = Task { try await Self.fetchSymbol(symbol, client: client) }
            singleFetches[symbol] = fetch
        }
        let rules: SymbolRules
        do {
            rules = try await Self.value(of: fetch)
        } catch {
            // A failed fetch is forgotten, so the next call fetches again instead of returning the same error.
            if singleFetches[symbol] == fetch { singleFetches[symbol] = nil }
            throw error
        }
        // Only the fetch still registered is cached: `invalidate` drops fetches started before it.
        if singleFetches[symbol] == fetch {
            singleFetches[symbol] = nil
            singles[symbol] = (rules, now())
        }
        return rules
    }

    private static func fetchSymbol(_ symbol: String, client: BinanceClient) async throws(ToolError) -> SymbolRules {
        let info: ExchangeInfo
        do {
            info = try await client.send(.exchangeInfo, ["symbol": symbol], as: ExchangeInfo.self)
        } catch {
            if case .rejected(_, -1121, _) = error { throw unknownSymbol(symbol, market: .spot) }
            throw ToolError(binance: error, endpoint: .exchangeInfo)
        }
        guard let found = info.symbols.first(where: { $0.symbol == symbol }) else {
            throw unknownSymbol(symbol, market: .spot)
        }
        return SymbolRules(found)
    }

    /// Returns the result of a shared fetch, with any error as a `ToolError`.
    private static func value<Success>(of fetch: Task<Success, any Error>) async throws(ToolError) -> Success {
        do {
            return try await fetch.value
        } catch let error as ToolError {
            throw error
        } catch {
            throw ToolError(.internalError, "Fetching exchangeInfo failed: \(error).")
        }
    }

    static func unknownSymbol(_ symbol: String, market: Market) -> ToolError {
        let marketName = market == .futures ? "USDⓈ-M futures" : "spot"
        return ToolError(
            .validationError,
            "Unknown symbol \(UntrustedText.quoted(symbol)): it is not listed on \(marketName).",
            hint: "List symbols with get_available_assets search=\(symbol.prefix(3))."
        )
    }

    /// Returns every symbol of the market in exchangeInfo order.
    package func allSymbols(market: Market = .spot) async throws(ToolError) -> [SymbolRules] {
        try await freshEntry(for: market).ordered
    }

    /// Drops the cached rules of a market, so the next use fetches them again.
    package func invalidate(_ market: Market) {
        entries[market] = nil
        marketFetches[market] = nil
        if market == .spot {
            singles = [:]
            singleFetches = [:]
        }
    }

    /// Returns the seconds since the market's rules were fetched: the whole market's if cached, else the
    /// oldest single symbol's; nil when nothing is cached.
    package func age(of market: Market) -> TimeInterval? {
        if let entry = entries[market] { return now().timeIntervalSince(entry.fetchedAt) }
        guard market == .spot, let oldest = singles.values.map(\.fetchedAt).min() else { return nil }
        return now().timeIntervalSince(oldest)
    }

    private func isFresh(_ fetchedAt: Date) -> Bool {
        now().timeIntervalSince(fetchedAt) < maximumAge
    }

    private func freshEntry(for market: Market) async throws(ToolError) -> Entry {
        if let entry = entries[market], isFresh(entry.fetchedAt) {
            return entry
        }
        let fetch: Task<[SymbolRules], any Error>
        if let running = marketFetches[market] {
            fetch = running
        } else {
            let client = self.client
            fetch = Task { try await Self.fetchMarket(market, client: client) }
            marketFetches[market] = fetch
        }
        let symbols: [SymbolRules]
        do {
            symbols = try await Self.value(of: fetch)
        } catch {
            if marketFetches[market] == fetch { marketFetches[market] = nil }
            throw error
        }
        // A symbol listed twice keeps its first rules.
        var bySymbol: [String: SymbolRules] = [:]
        bySymbol.reserveCapacity(symbols.count)
        for rules in symbols where bySymbol[rules.symbol] == nil {
            bySymbol[rules.symbol] = rules
        }
        let entry = Entry(symbols: bySymbol, ordered: symbols, fetchedAt: now())
        if marketFetches[market] == fetch {
            marketFetches[market] = nil
            entries[market] = entry
        }
        return entry
    }

    private static func fetchMarket(_ market: Market, client: BinanceClient) async throws(ToolError) -> [SymbolRules] {
        do {
            if market == .futures {
                // The typed spot model requires members futures symbols lack, so futures use the lenient decoding.
                return try await client.send(.futuresExchangeInfo, as: ExchangeRules.self).symbols
            }
            // Only the members the rules keep are read, and no `ExchangeInfo` of every symbol is built beside them.
            return try await client.sendTradingRules(transform: SymbolRules.init)
        } catch {
            throw ToolError(binance: error, endpoint: market == .futures ? .futuresExchangeInfo : .exchangeInfo)
        }
    }
}
