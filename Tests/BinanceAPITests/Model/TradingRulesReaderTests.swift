import BinanceAPI
import Foundation
import TestSupport
import Testing

/// The required members of a symbol but `symbol` and `filters`, to splice into test bodies.
private let symbolMembers = #"""
    "status":"TRADING","baseAsset":"BTC","quoteAsset":"USDT","baseAssetPrecision":8,"quoteAssetPrecision":8,
    "orderTypes":["LIMIT","MARKET"],"quoteOrderQtyMarketAllowed":true,"isSpotTradingAllowed":true
    """#

/// For every body the trading-rules reader accepts, it must give what the full decoding gives. Any other body must
/// be left to `JSONDecoder`.
@Suite struct TradingRulesReaderTests {
    /// Reads `data` with the trading-rules reader; nil when it does not accept the body.
    static func read(_ data: Data) -> (rules: [SymbolTradingRules], limits: [RateLimitRule])? {
        var rules: [SymbolTradingRules] = []
        guard let limits = ExchangeInfo.readTradingRules(from: data, { rules.append($0) }) else { return nil }
        return (rules, limits)
    }

    /// Checks that both readers accept `data` and agree with `JSONDecoder`; returns the decoded model.
    @discardableResult
    static func expectAllReadersAgree(_ data: Data, sourceLocation: SourceLocation = #_sourceLocation) throws
        -> ExchangeInfo
    {
        let reference = try JSONDecoder().decode(ExchangeInfo.self, from: data)
        let fast = try #require(ExchangeInfo.fastDecode(from: data), sourceLocation: sourceLocation)
        let result = try #require(read(data), sourceLocation: sourceLocation)
        #expect(fast == reference, sourceLocation: sourceLocation)
        #expect(result.rules == reference.symbols.map(SymbolTradingRules.init), sourceLocation: sourceLocation)
        #expect(result.limits == reference.rateLimits, sourceLocation: sourceLocation)
        return reference
    }

    /// Checks that neither fast reader accepts `data`, so callers fall back to `JSONDecoder`.
    static func expectLeftToJSONDecoder(_ data: Data, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(ExchangeInfo.fastDecode(from: data) == nil, sourceLocation: sourceLocation)
        #expect(read(data) == nil, sourceLocation: sourceLocation)
    }

    static func body(symbols: String, rateLimits: String = "[]") -> Data {
        Data(#"{"timezone":"UTC","serverTime":1,"rateLimits":\#(rateLimits),"symbols":[\#(symbols)]}"#.utf8)
    }

    @Test func readerMatchesFullDecodingOnEveryRecordedSymbol() throws {
        let data = try APIFixtures.market("exchangeInfo_full.json")

        let reference = try Self.expectAllReadersAgree(data)

        #expect(reference.symbols.count == 2276)
    }

    @Test func readerMatchesFullDecodingOnFixtures() throws {
        try Self.expectAllReadersAgree(try APIFixtures.binance("exchangeInfo.json"))
        let symbols = String(decoding: try APIFixtures.binance("exchangeInfo_symbols_ccxt_verbatim.json"), as: UTF8.self)
        let text = #"{"timezone":"UTC","serverTime":1,"rateLimits":[],"symbols":"# + symbols + "}"
        try Self.expectAllReadersAgree(Data(text.utf8))
    }

    @Test func membersInUnusualOrder() throws {
        let symbol = #"""
            {"filters":[{"tickSize":"0.01","maxPrice":"1000","minPrice":"0.01","filterType":"PRICE_FILTER"},
                        {"limit":10,"filterType":"ICEBERG_PARTS"}],
             "isSpotTradingAllowed":true,"quoteOrderQtyMarketAllowed":false,"orderTypes":["MARKET"],
             "quoteAssetPrecision":2,"baseAssetPrecision":6,"quoteAsset":"USDT","baseAsset":"ETH","status":"HALT",
             "symbol":"ETHUSDT"}
            """#
        let data = Data(#"{"symbols":[\#(symbol)],"rateLimits":[],"serverTime":5,"timezone":"UTC"}"#.utf8)

        let reference = try Self.expectAllReadersAgree(data)

        let rules = try #require(Self.read(data)?.rules.first)
        #expect(rules.symbol == "ETHUSDT")
        #expect(rules.status == "HALT")
        #expect(rules.filters.priceFilter?.tickSize.value == Decimal(string: "0.01"))
        #expect(rules.filters.icebergParts?.limit == 10)
        #expect(reference.serverTime == 5)
    }

    @Test func unknownMembersWithNestedValuesAreSkipped() throws {
        let symbol = #"""
            {"symbol":"BTCUSDT",\#(symbolMembers),"future":{"a":[1,{"b":null,"c":[true,false]}],"d":"}]"},
             "filters":[{"filterType":"LOT_SIZE","minQty":"0.1","maxQty":"9","stepSize":"0.1",
                         "extra":{"nested":[[],{}]},"note":"a \"quoted\" text"},
                        {"filterType":"MAX_POSITION","maxPosition":"10.0","shape":{"x":[1,2]}}]}
            """#
        let text = #"{"timezone":"UTC","serverTime":1,"exchangeFilters":[{"filterType":"EXCHANGE_MAX_NUM_ORDERS"}],"#
            + #""outer":{"k":[{"v":1.5e3}]},"rateLimits":[],"symbols":[\#(symbol)]}"#
        let data = Data(text.utf8)

        try Self.expectAllReadersAgree(data)

        let rules = try #require(Self.read(data)?.rules.first)
        #expect(rules.filters.lotSize?.stepSize.value == Decimal(string: "0.1"))
    }

    @Test func escapedKeysAndValuesAreDecoded() throws {
        let symbol = #"""
            {"sym\u0062ol":"BTC\u0055SDT",\#(symbolMembers),
             "filters":[{"filter\u0054ype":"PRICE\u005fFILTER","minPrice":"0.01","maxPrice":"100","tick\u0053ize":"0.01"}]}
            """#
        let data = Self.body(symbols: symbol)

        try Self.expectAllReadersAgree(data)

        let rules = try #require(Self.read(data)?.rules.first)
        #expect(rules.symbol == "BTCUSDT")
        #expect(rules.filters.priceFilter?.tickSize.value == Decimal(string: "0.01"))
    }

    @Test func escapesAtEveryOffsetOfLongStrings() throws {
        // The reader skips string bytes eight at a time, so an escape or the closing quote may fall at any offset.
        for before in 0..<18 {
            for after in [0, 1, 7, 8, 9] {
                let name = String(repeating: "A", count: before) + #"\"\\\u00e9"# + String(repeating: "B", count: after)
                let data = Self.body(symbols: #"{"symbol":"\#(name)",\#(symbolMembers),"filters":[]}"#)

                try Self.expectAllReadersAgree(data)

                let expected = String(repeating: "A", count: before) + "\"\\é" + String(repeating: "B", count: after)
                #expect(Self.read(data)?.rules.first?.symbol == expected)
            }
        }
    }

    @Test func controlCharacterInStringIsLeftToJSONDecoder() {
        for offset in 0..<10 {
            let name = String(repeating: "A", count: offset) + "\t" + "USDT"
            let data = Self.body(symbols: #"{"symbol":"\#(name)",\#(symbolMembers),"filters":[]}"#)

            Self.expectLeftToJSONDecoder(data)
        }
    }

    @Test func symbolsWithTheSameListsGetEqualLists() throws {
        let first = #"{"symbol":"BTCUSDT",\#(symbolMembers),"filters":[]}"#
        let second = #"{"symbol":"ETHUSDT",\#(symbolMembers),"filters":[]}"#
        let third = #"{"symbol":"BNBUSDT",\#(symbolMembers.replacingOccurrences(of: #"["LIMIT","MARKET"]"#, with: #"["LIMIT"]"#)),"filters":[]}"#
        let data = Self.body(symbols: [first, second, third].joined(separator: ","))

        try Self.expectAllReadersAgree(data)

        let rules = try #require(Self.read(data)?.rules)
        #expect(rules.map(\.orderTypes) == [["LIMIT", "MARKET"], ["LIMIT", "MARKET"], ["LIMIT"]])
    }

    @Test(arguments: [
        // A list the index never reads still has the type `JSONDecoder` checks.
        #"{"symbol":"BTCUSDT",\#(symbolMembers),"permissions":["SPOT",1],"filters":[]}"#,
        #"{"symbol":"BTCUSDT",\#(symbolMembers),"permissionSets":[["SPOT"],"MARGIN"],"filters":[]}"#,
        #"{"symbol":"BTCUSDT",\#(symbolMembers),"ocoAllowed":"yes","filters":[]}"#,
        // A required member is missing or has the wrong type.
        #"{"symbol":"BTCUSDT",\#(symbolMembers)}"#,
        #"{"symbol":7,\#(symbolMembers),"filters":[]}"#,
        #"{"symbol":"BTCUSDT",\#(symbolMembers),"filters":[{"filterType":"PRICE_FILTER","minPrice":"1"}]}"#,
        #"{"symbol":"BTCUSDT",\#(symbolMembers),"filters":[{"filterType":"ICEBERG_PARTS","limit":"ten"}]}"#,
        // An unknown member whose value is not JSON.
        #"{"symbol":"BTCUSDT",\#(symbolMembers),"extra":{"a":},"filters":[]}"#,
        #"{"symbol":"BTCUSDT",\#(symbolMembers),"extra":[1 2],"filters":[]}"#,
    ])
    func invalidSymbolIsLeftToJSONDecoder(_ symbol: String) {
        let data = Self.body(symbols: symbol)

        Self.expectLeftToJSONDecoder(data)
        #expect(throws: (any Error).self) { try ExchangeInfo.decode(from: data) }
    }

    @Test func secondSymbolsMemberIsLeftToJSONDecoder() throws {
        let first = #"{"symbol":"BTCUSDT",\#(symbolMembers),"filters":[]}"#
        let second = #"{"symbol":"ETHUSDT",\#(symbolMembers),"filters":[]}"#
        let data = Data(
            #"{"timezone":"UTC","serverTime":1,"rateLimits":[],"symbols":[\#(first)],"symbols":[\#(second)]}"#.utf8
        )

        Self.expectLeftToJSONDecoder(data)
        let decoded = try ExchangeInfo.decode(from: data)
        #expect(decoded == (try JSONDecoder().decode(ExchangeInfo.self, from: data)))
    }

    @Test func clientReadsTradingRulesAndAdoptsLimits() async throws {
        let body = try APIFixtures.binance("exchangeInfo.json")
        let harness = ClientHarness([.respond(.json(String(decoding: body, as: UTF8.self)))])

        let names = try await harness.client.sendTradingRules(transform: { $0.symbol })

        let reference = try JSONDecoder().decode(ExchangeInfo.self, from: body)
        #expect(names == reference.symbols.map(\.symbol))
        #expect(await harness.client.status().hasExchangeLimits)
    }

    @Test func clientGivesTheTypedDecodingErrorForABodyTheReaderRejects() async throws {
        let body = #"{"timezone":"UTC","serverTime":1,"rateLimits":[],"symbols":[{"symbol":"BTCUSDT"}]}"#
        let harness = ClientHarness([.respond(.json(body)), .respond(.json(body))])

        let typed = await #expect(throws: BinanceError.self) {
            try await harness.client.send(.exchangeInfo, as: ExchangeInfo.self)
        }
        let read = await #expect(throws: BinanceError.self) {
            try await harness.client.sendTradingRules(transform: { $0.symbol })
        }

        #expect(typed != nil)
        #expect(read.map { "\($0)" } == typed.map { "\($0)" })
    }
}
