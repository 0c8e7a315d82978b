import BinanceAPI
import Foundation

/// Caches exchangeInfo per market (spot and USDⓈ-M futures separately), so order checks do not cost
/// 20 request weight each.
///
/// An entry is refreshed when older than `maximumAge`, or after `invalidate` (called when Binance
/// returns -1013, which means the local copy of a filter was wrong).
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

    /// - Parameters:
    ///   - maximumAge: seconds after which the cached rules are fetched again; default 300.
    ///   - now: the clock, replaceable in tests.
    package init(client: BinanceClient, maximumAge: TimeInterval = 300, now: @escaping @Sendable () -> Date = Date.init) {
        self.client = client
        self.maximumAge = maximumAge
        self.now = now
    }

    /// Returns the rules of one symbol, fetching exchangeInfo when the cache is empty or stale.
    /// - Throws: `validation_error` when the market has no such symbol; mapped Binance errors when the fetch fails.
    package func rules(for symbol: String, market: Market = .spot) async throws(ToolError) -> SymbolRules {
        let entry = try await freshEntry(for: market)
        guard let rules = entry.symbols[symbol] else {
            let marketName = market == .futures ? "USDⓈ-M futures" : "spot"
            throw ToolError(
                .validationError,
                "Unknown symbol '\(symbol)': it is not listed on \(marketName).",
                hint: "List symbols with get_available_assets search=\(symbol.prefix(3))."
            )
        }
        return rules
    }

    /// Returns every symbol of the market in exchangeInfo order.
    package func allSymbols(market: Market = .spot) async throws(ToolError) -> [SymbolRules] {
        try await freshEntry(for: market).ordered
    }

    /// Drops the cached rules of a market, so the next use fetches them again.
    package func invalidate(_ market: Market) {
        entries[market] = nil
    }

    /// Seconds since the market's rules were fetched; nil when nothing is cached.
    package func age(of market: Market) -> TimeInterval? {
        entries[market].map { now().timeIntervalSince($0.fetchedAt) }
    }

    private func freshEntry(for market: Market) async throws(ToolError) -> Entry {
        if let entry = entries[market], now().timeIntervalSince(entry.fetchedAt) < maximumAge {
            return entry
        }
        let symbols: [SymbolRules]
        do {
            if market == .futures {
                // The typed spot model requires members futures symbols lack, so futures use the lenient decoding.
                symbols = try await client.send(.futuresExchangeInfo, as: ExchangeRules.self).symbols
            } else {
                symbols = try await client.send(.exchangeInfo, as: ExchangeInfo.self).symbols.map(SymbolRules.init)
            }
        } catch {
            throw ToolError(binance: error, endpoint: market == .futures ? .futuresExchangeInfo : .exchangeInfo)
        }
        let entry = Entry(
            symbols: Dictionary(symbols.map { ($0.symbol, $0) }, uniquingKeysWith: { first, _ in first }),
            ordered: symbols,
            fetchedAt: now()
        )
        entries[market] = entry
        return entry
    }
}
