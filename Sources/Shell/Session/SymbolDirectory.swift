import BinanceAPI
import Foundation
import Tools

/// A venue's symbols, and a lookup of the steps of a symbol's PRICE_FILTER (`tickSize`) and LOT_SIZE
/// (`stepSize`) filters as exchangeInfo lists them. The lookup returns nil for a symbol the venue does not list.
package struct SymbolListing: Sendable {
    package var names: [String]
    package var steps: @Sendable (String) -> (tickSize: Decimal?, stepSize: Decimal?)?

    package init(names: [String], steps: @escaping @Sendable (String) -> (tickSize: Decimal?, stepSize: Decimal?)?) {
        self.names = names
        self.steps = steps
    }
}

/// The exchange's symbols, sorted once for instant prefix completion, with each symbol's display precision.
package final class SymbolDirectory: @unchecked Sendable {
    // The lock protects `symbols` and `precisions`, which a background load replaces while completion reads.
    private let lock = NSLock()
    private var symbols: [String] = []
    private var precisions: [String: SymbolPrecision] = [:]
    /// Reads a symbol's filter steps for `precisions` on first use, after `load(listing:)`.
    private var stepsLookup: (@Sendable (String) -> (tickSize: Decimal?, stepSize: Decimal?)?)?
    /// Symbols already passed to `stepsLookup`.
    private var lookedUp: Set<String> = []
    /// Signalled once when a load finishes, successfully or not.
    private let loaded = DispatchSemaphore(value: 0)
    private var isSettled = false

    package init() {}

    package init(symbols: [String], precisions: [String: SymbolPrecision] = [:]) {
        self.symbols = symbols.sorted()
        self.precisions = precisions
        self.isSettled = true
    }

    /// Blocks until the first load has finished or `timeout` has passed; returns at once after that.
    /// Completion calls it on the line editor's thread, so the first Tab can wait for the symbol list.
    package func waitUntilLoaded(timeout: DispatchTimeInterval) {
        guard !lock.withLock({ isSettled }) else { return }
        if loaded.wait(timeout: .now() + timeout) == .success { loaded.signal() }
    }

    /// Marks the first load as finished, whatever its outcome.
    private func settle() {
        let isFirst = lock.withLock { () -> Bool in
            defer { isSettled = true }
            return !isSettled
        }
        if isFirst { loaded.signal() }
    }

    package var isEmpty: Bool { lock.withLock { symbols.isEmpty } }

    /// Symbols that start with `prefix` (upper-cased), in order; a binary search finds the first one.
    package func symbols(withPrefix prefix: String, limit: Int = 5000) -> [String] {
        let key = prefix.uppercased()
        return lock.withLock {
            var low = 0
            var high = symbols.count
            while low < high {
                let middle = (low + high) / 2
                if symbols[middle] < key { low = middle + 1 } else { high = middle }
            }
            var matches: [String] = []
            var index = low
            // Bytes are compared because `hasPrefix` compares by grapheme, which costs more and differs only for
            // combining marks, which symbol names do not have.
            while index < symbols.count, symbols[index].utf8.starts(with: key.utf8), matches.count < limit {
                matches.append(symbols[index])
                index += 1
            }
            return matches
        }
    }

    package func precision(of symbol: String) -> SymbolPrecision? {
        lock.withLock {
            if let precision = precisions[symbol] { return precision }
            guard let stepsLookup, !lookedUp.contains(symbol) else { return nil }
            lookedUp.insert(symbol)
            guard let steps = stepsLookup(symbol), let precision = Self.precision(tick: steps.tickSize, step: steps.stepSize)
            else { return nil }
            precisions[symbol] = precision
            return precision
        }
    }

    /// Replaces the contents with the symbols of an `exchangeInfo` response body, and counts as the first load.
    ///
    /// The client's trading-rules reader does the parsing (a few milliseconds for thousands of symbols in a
    /// release build, where `JSONDecoder` took a tenth of a second); a body it does not accept, such as one
    /// without the fields this directory ignores, is decoded with `JSONDecoder` as before.
    /// - Throws: `DecodingError` when the body is not exchangeInfo.
    package func load(exchangeInfo body: Data) throws {
        var names: [String] = []
        var loadedPrecisions: [String: SymbolPrecision] = [:]
        // Binance lists a few thousand spot symbols (2,276 in the simulator snapshot), so reserving spares rehashing.
        names.reserveCapacity(4096)
        loadedPrecisions.reserveCapacity(4096)
        func add(_ symbol: String, tick: Decimal?, step: Decimal?) {
            names.append(symbol)
            if let precision = Self.precision(tick: tick, step: step) { loadedPrecisions[symbol] = precision }
        }
        let accepted = BinanceAPI.ExchangeInfo.readTradingRules(from: body) { symbol in
            add(symbol.symbol, tick: symbol.filters.priceFilter?.tickSize.value,
                step: symbol.filters.lotSize?.stepSize.value)
        }
        if accepted == nil {
            names = []
            loadedPrecisions = [:]
            let info = try JSONDecoder().decode(ExchangeInfo.self, from: body)
            for symbol in info.symbols {
                add(symbol.symbol,
                    tick: symbol.filters.first { $0.filterType == "PRICE_FILTER" }?.tickSize?.value,
                    step: symbol.filters.first { $0.filterType == "LOT_SIZE" }?.stepSize?.value)
            }
        }
        replace(names: names, precisions: loadedPrecisions)
    }

    /// Replaces the contents with the symbols of `listing`, whose precisions are looked up on first use. Counts
    /// as the first load.
    package func load(listing: SymbolListing) {
        let sorted = listing.names.sorted()
        lock.withLock {
            symbols = sorted
            precisions = [:]
            lookedUp = []
            stepsLookup = listing.steps
        }
        settle()
    }

    /// Returns the display precision of a symbol with these filter steps; nil unless both are positive.
    private static func precision(tick: Decimal?, step: Decimal?) -> SymbolPrecision? {
        guard let tick, let step, tick > 0, step > 0 else { return nil }
        return SymbolPrecision(priceScale: DecimalText.scale(of: tick), quantityScale: DecimalText.scale(of: step))
    }

    private func replace(names: [String], precisions loadedPrecisions: [String: SymbolPrecision]) {
        let sorted = names.sorted()
        lock.withLock {
            symbols = sorted
            precisions = loadedPrecisions
            stepsLookup = nil
        }
        settle()
    }

    /// Fetches exchangeInfo through the client and loads it.
    /// - Throws: `BinanceError` or `DecodingError`.
    package func load(using client: BinanceClient) async throws {
        defer { settle() }
        let response = try await client.send(.exchangeInfo)
        try load(exchangeInfo: response.body)
    }

    /// Loads the symbols from `listSymbols` when the venue has them in memory, else fetches exchangeInfo
    /// through the client.
    /// - Throws: `ToolError` from `listSymbols`, or the errors of `load(using:)`.
    package func load(
        using client: BinanceClient,
        listSymbols: (@Sendable () throws(ToolError) -> SymbolListing)?
    ) async throws {
        guard let listSymbols else { return try await load(using: client) }
        defer { settle() }
        load(listing: try listSymbols())
    }

    private struct ExchangeInfo: Decodable {
        struct Symbol: Decodable {
            var symbol: String
            var filters: [Filter]
        }
        struct Filter: Decodable {
            var filterType: String
            var tickSize: DecimalValue?
            var stepSize: DecimalValue?
        }
        var symbols: [Symbol]
    }
}
