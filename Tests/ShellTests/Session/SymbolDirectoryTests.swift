import Foundation
import Shell
import Testing

/// A directory filled from an in-process listing matches one filled from the equivalent exchangeInfo reply.
struct SymbolDirectoryTests {
    private static let body = Data(#"""
        {"timezone":"UTC","serverTime":1,"rateLimits":[],"exchangeFilters":[],"symbols":[
        {"symbol":"ETHBTC","status":"TRADING","baseAsset":"ETH","baseAssetPrecision":8,"quoteAsset":"BTC",
         "quoteAssetPrecision":8,"orderTypes":["LIMIT"],"icebergAllowed":true,"ocoAllowed":true,
         "quoteOrderQtyMarketAllowed":true,"allowTrailingStop":true,"cancelReplaceAllowed":true,
         "isSpotTradingAllowed":true,"isMarginTradingAllowed":false,"permissions":[],"permissionSets":[["SPOT"]],
         "filters":[{"filterType":"PRICE_FILTER","minPrice":"0.00001000","maxPrice":"922327.00000000","tickSize":"0.00001000"},
                    {"filterType":"LOT_SIZE","minQty":"0.00010000","maxQty":"100000.00000000","stepSize":"0.00010000"}]},
        {"symbol":"BTCUSDT","status":"TRADING","baseAsset":"BTC","baseAssetPrecision":8,"quoteAsset":"USDT",
         "quoteAssetPrecision":8,"orderTypes":["LIMIT"],"icebergAllowed":true,"ocoAllowed":true,
         "quoteOrderQtyMarketAllowed":true,"allowTrailingStop":true,"cancelReplaceAllowed":true,
         "isSpotTradingAllowed":true,"isMarginTradingAllowed":false,"permissions":[],"permissionSets":[["SPOT"]],
         "filters":[{"filterType":"PRICE_FILTER","minPrice":"0.01000000","maxPrice":"1000000.00000000","tickSize":"0.01000000"},
                    {"filterType":"LOT_SIZE","minQty":"0.00001000","maxQty":"9000.00000000","stepSize":"0.00001000"}]},
        {"symbol":"NOLOTUSDT","status":"TRADING","baseAsset":"NOLOT","baseAssetPrecision":8,"quoteAsset":"USDT",
         "quoteAssetPrecision":8,"orderTypes":["LIMIT"],"icebergAllowed":true,"ocoAllowed":true,
         "quoteOrderQtyMarketAllowed":true,"allowTrailingStop":true,"cancelReplaceAllowed":true,
         "isSpotTradingAllowed":true,"isMarginTradingAllowed":false,"permissions":[],"permissionSets":[["SPOT"]],
         "filters":[{"filterType":"PRICE_FILTER","minPrice":"0.00000000","maxPrice":"0.00000000","tickSize":"0.00000000"}]}
        ]}
        """#.utf8)

    private static let steps: [String: (tickSize: Decimal?, stepSize: Decimal?)] = [
        "ETHBTC": (Decimal(string: "0.00001"), Decimal(string: "0.0001")),
        "BTCUSDT": (Decimal(string: "0.01"), Decimal(string: "0.00001")),
        "NOLOTUSDT": (0, nil),
    ]

    private static let listing = SymbolListing(names: ["ETHBTC", "BTCUSDT", "NOLOTUSDT"], steps: { steps[$0] })

    @Test func listingMatchesExchangeInfoBody() throws {
        let fromBody = SymbolDirectory()
        try fromBody.load(exchangeInfo: Self.body)
        let fromListing = SymbolDirectory()
        fromListing.load(listing: Self.listing)

        #expect(fromListing.symbols(withPrefix: "") == ["BTCUSDT", "ETHBTC", "NOLOTUSDT"])
        #expect(fromListing.symbols(withPrefix: "") == fromBody.symbols(withPrefix: ""))
        for symbol in ["ETHBTC", "BTCUSDT", "NOLOTUSDT"] {
            #expect(fromListing.precision(of: symbol) == fromBody.precision(of: symbol), "\(symbol)")
        }
        #expect(fromListing.precision(of: "BTCUSDT") == SymbolPrecision(priceScale: 2, quantityScale: 5))
        #expect(fromListing.precision(of: "NOLOTUSDT") == nil)
        #expect(fromListing.precision(of: "UNKNOWN") == nil)
    }

    @Test func listingLooksUpEachSymbolOnce() {
        let counter = LookupCounter()
        let directory = SymbolDirectory()
        directory.load(listing: SymbolListing(names: ["BTCUSDT"]) { symbol in
            counter.add(symbol)
            return Self.steps[symbol]
        })

        #expect(directory.precision(of: "BTCUSDT") == SymbolPrecision(priceScale: 2, quantityScale: 5))
        #expect(directory.precision(of: "BTCUSDT") == SymbolPrecision(priceScale: 2, quantityScale: 5))
        #expect(directory.precision(of: "UNKNOWN") == nil)
        #expect(directory.precision(of: "UNKNOWN") == nil)
        #expect(counter.symbols == ["BTCUSDT", "UNKNOWN"])
    }

    @Test func bodyLoadReplacesListing() throws {
        let directory = SymbolDirectory()
        directory.load(listing: SymbolListing(names: ["OTHER"]) { _ in (Decimal(1), Decimal(1)) })
        try directory.load(exchangeInfo: Self.body)

        #expect(directory.symbols(withPrefix: "") == ["BTCUSDT", "ETHBTC", "NOLOTUSDT"])
        #expect(directory.precision(of: "OTHER") == nil)
    }

    @Test func listingCountsAsFirstLoad() {
        let directory = SymbolDirectory()
        directory.load(listing: Self.listing)
        // After a load the wait returns at once; before it, the wait would last the whole timeout.
        directory.waitUntilLoaded(timeout: .seconds(30))
        #expect(!directory.isEmpty)
    }
}

/// Records the symbols a listing's lookup was called with.
private final class LookupCounter: @unchecked Sendable {
    // The lock protects `symbols`.
    private let lock = NSLock()
    private var stored: [String] = []

    var symbols: [String] { lock.withLock { stored } }

    func add(_ symbol: String) { lock.withLock { stored.append(symbol) } }
}
