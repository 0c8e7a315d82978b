import BinanceAPI
import Foundation
import TestSupport
import Testing

@Suite struct FastExchangeInfoTests {
    @Test(arguments: ["exchangeInfo.json"])
    func fastReaderMatchesJSONDecoderOnFixture(_ file: String) throws {
        let data = try APIFixtures.binance(file)

        let fast = try #require(ExchangeInfo.fastDecode(from: data))
        let reference = try JSONDecoder().decode(ExchangeInfo.self, from: data)

        #expect(fast == reference)
    }

    @Test func fastReaderMatchesJSONDecoderOnEveryRecordedSymbol() throws {
        let data = try APIFixtures.market("exchangeInfo_full.json")

        let fast = try #require(ExchangeInfo.fastDecode(from: data))
        let reference = try JSONDecoder().decode(ExchangeInfo.self, from: data)

        #expect(fast.symbols.count == 2276)
        #expect(fast.rateLimits == reference.rateLimits)
        for (fastSymbol, referenceSymbol) in zip(fast.symbols, reference.symbols) where fastSymbol != referenceSymbol {
            Issue.record("symbol \(fastSymbol.symbol) differs")
        }
        #expect(fast == reference)
    }

    @Test func stringifiedIntegersAndEscapesMatchJSONDecoder() throws {
        let symbols = String(
            decoding: try APIFixtures.binance("exchangeInfo_symbols_ccxt_verbatim.json"),
            as: UTF8.self
        )
        let text = #"""
            {"timezone":"U\u0054C","serverTime":"1565246363776","extra":{"nested":[1,2.5e3,null,true]},
             "rateLimits":[{"rateLimitType":"ORDERS","interval":"SECOND","intervalNum":"10","limit":100}],
             "exchangeFilters":[],"symbols":
            """# + symbols + "}"
        let data = Data(text.utf8)

        let fast = try #require(ExchangeInfo.fastDecode(from: data))
        let reference = try JSONDecoder().decode(ExchangeInfo.self, from: data)

        #expect(fast == reference)
        #expect(fast.timezone == "UTC")
        #expect(fast.serverTime == 1_565_246_363_776)
        #expect(fast.symbols.count == 3)
    }

    @Test func missingFieldGivesJSONDecoderError() throws {
        let data = Data(#"{"timezone":"UTC","serverTime":1,"rateLimits":[],"symbols":[{"symbol":"BTCUSDT"}]}"#.utf8)

        #expect {
            try ExchangeInfo.decode(from: data)
        } throws: { error in
            guard case DecodingError.keyNotFound(let key, _) = error else { return false }
            return key.stringValue == "status"
        }
    }

    @Test(arguments: [
        "", "{", #"{"timezone":"UTC""#, "[]", #"{"timezone":"UTC","serverTime":1,"rateLimits":[],"symbols":[]} x"#,
    ])
    func malformedInputThrows(_ text: String) {
        #expect(ExchangeInfo.fastDecode(from: Data(text.utf8)) == nil)
        #expect(throws: (any Error).self) { try ExchangeInfo.decode(from: Data(text.utf8)) }
    }

    @Test func clientUsesTheFastReaderResult() async throws {
        let body = String(decoding: try APIFixtures.binance("exchangeInfo.json"), as: UTF8.self)
        let harness = ClientHarness([.respond(.json(body))])

        let info = try await harness.client.send(.exchangeInfo, as: ExchangeInfo.self)

        #expect(info == (try JSONDecoder().decode(ExchangeInfo.self, from: Data(body.utf8))))
    }
}
