import BinanceAPI
import Foundation
import TestSupport
import Testing

@testable import Tools

/// `SymbolFilter` stores only the members a filter has; reading, writing, decoding and comparing must behave as
/// they did when every member was a stored property.
struct SymbolFilterTests {
    @Test func membersReadBackWhatWasSet() {
        var filter = SymbolFilter(filterType: "NOTIONAL")
        filter.maxNotional = DecimalValue(Decimal(string: "9000000")!)
        filter.minNotional = DecimalValue(Decimal(string: "5")!)
        filter.applyMinToMarket = true
        filter.avgPriceMins = 5

        #expect(filter.minNotional?.value == Decimal(string: "5"))
        #expect(filter.maxNotional?.value == Decimal(string: "9000000"))
        #expect(filter.applyMinToMarket == true)
        #expect(filter.applyMaxToMarket == nil)
        #expect(filter.avgPriceMins == 5)
        #expect(filter.limit == nil)
        #expect(filter.tickSize == nil)
    }

    @Test func settingNilRemovesAMember() {
        var filter = SymbolFilter(filterType: "PRICE_FILTER")
        filter.tickSize = DecimalValue(Decimal(string: "0.01")!)
        filter.minPrice = DecimalValue(1)

        filter.tickSize = nil

        #expect(filter.tickSize == nil)
        #expect(filter.minPrice == DecimalValue(1))
        var expected = SymbolFilter(filterType: "PRICE_FILTER")
        expected.minPrice = DecimalValue(1)
        #expect(filter == expected)
    }

    @Test func equalityIgnoresTheOrderMembersWereSet() {
        var first = SymbolFilter(filterType: "TRAILING_DELTA")
        first.minTrailingAboveDelta = 10
        first.maxTrailingBelowDelta = 2000
        var second = SymbolFilter(filterType: "TRAILING_DELTA")
        second.maxTrailingBelowDelta = 2000
        second.minTrailingAboveDelta = 10

        #expect(first == second)
        second.minTrailingAboveDelta = 11
        #expect(first != second)
        var otherType = first
        otherType.filterType = "OTHER"
        #expect(first != otherType)
    }

    @Test func overwritingKeepsOneValue() {
        var filter = SymbolFilter(filterType: "ICEBERG_PARTS")
        filter.limit = 10
        filter.limit = 20

        var expected = SymbolFilter(filterType: "ICEBERG_PARTS")
        expected.limit = 20
        #expect(filter == expected)
        #expect(filter.limit == 20)
    }

    @Test func decodesEveryMemberByItsJSONName() throws {
        let json = #"""
            {"filterType":"ANY","minPrice":"1","maxPrice":"2","tickSize":"3","minQty":"4","maxQty":"5","stepSize":"6",
             "minNotional":"7","maxNotional":"8","notional":"9","applyToMarket":true,"applyMinToMarket":false,
             "applyMaxToMarket":true,"bidMultiplierUp":"10","bidMultiplierDown":"11","askMultiplierUp":"12",
             "askMultiplierDown":"13","multiplierUp":"14","multiplierDown":"15","avgPriceMins":16,"limit":17,
             "maxNumOrders":18,"maxNumAlgoOrders":19,"minTrailingAboveDelta":20,"maxTrailingAboveDelta":21,
             "minTrailingBelowDelta":22,"maxTrailingBelowDelta":23,"unknown":{"nested":[1]},"tickSizeX":"0"}
            """#

        let filter = try JSONDecoder().decode(SymbolFilter.self, from: Data(json.utf8))

        let decimals: [DecimalValue?] = [
            filter.minPrice, filter.maxPrice, filter.tickSize, filter.minQty, filter.maxQty, filter.stepSize,
            filter.minNotional, filter.maxNotional, filter.notional, filter.bidMultiplierUp, filter.bidMultiplierDown,
            filter.askMultiplierUp, filter.askMultiplierDown, filter.multiplierUp, filter.multiplierDown,
        ]
        #expect(decimals == (1...15).map { DecimalValue(Decimal($0)) })
        let integers: [Int?] = [
            filter.avgPriceMins, filter.limit, filter.maxNumOrders, filter.maxNumAlgoOrders,
            filter.minTrailingAboveDelta, filter.maxTrailingAboveDelta, filter.minTrailingBelowDelta,
            filter.maxTrailingBelowDelta,
        ]
        #expect(integers == Array(16...23))
        #expect(filter.applyToMarket == true)
        #expect(filter.applyMinToMarket == false)
        #expect(filter.applyMaxToMarket == true)
        #expect(filter.filterType == "ANY")
    }

    @Test func decodingTreatsNullAsAbsent() throws {
        let json = #"{"filterType":"NOTIONAL","minNotional":"5","maxNotional":null,"applyMaxToMarket":null}"#

        let filter = try JSONDecoder().decode(SymbolFilter.self, from: Data(json.utf8))

        var expected = SymbolFilter(filterType: "NOTIONAL")
        expected.minNotional = DecimalValue(5)
        #expect(filter == expected)
    }

    @Test func decodingRejectsAWrongType() {
        let json = #"{"filterType":"ICEBERG_PARTS","limit":"ten"}"#

        #expect(throws: DecodingError.self) { try JSONDecoder().decode(SymbolFilter.self, from: Data(json.utf8)) }
    }

    @Test func readerFiltersMatchDirectlyDecodedFilters() throws {
        let data = try APIFixtures.market("exchangeInfo_full.json")
        let decoded = try JSONDecoder().decode(ExchangeRules.self, from: data).symbols
        var read: [SymbolRules] = []

        let limits = ExchangeInfo.readTradingRules(from: data) { read.append(SymbolRules($0)) }

        #expect(limits != nil)
        #expect(read.count == decoded.count)
        for (rules, direct) in zip(read, decoded) {
            // The typed model drops filter types it does not know (MAX_POSITION); the rest must match one for one.
            let known = Set(rules.filters.map(\.filterType))
            let expected = Dictionary(uniqueKeysWithValues: direct.filters.filter { known.contains($0.filterType) }
                .map { ($0.filterType, $0) })
            let actual = Dictionary(uniqueKeysWithValues: rules.filters.map { ($0.filterType, $0) })
            if actual != expected { Issue.record("filters of \(rules.symbol) differ") }
            if direct.filters.count - rules.filters.count > 1 { Issue.record("\(rules.symbol) lost filters") }
        }
        let btc = try #require(read.first { $0.symbol == "BTCUSDT" })
        #expect(btc.tickSize == Decimal(string: "0.01"))
        #expect(btc.filter("NOTIONAL")?.minNotional != nil)
    }
}
