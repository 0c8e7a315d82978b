import BinanceAPI
import Foundation
import TestSupport
import Testing

/// The simulator writes its responses with these models, so encoding must give Binance's shape back.
@Suite struct ResponseEncodingTests {
    func roundTrip<Model: Codable & Equatable>(_ type: Model.Type, _ file: String) throws -> (Model, Any) {
        let original = try JSONDecoder().decode(Model.self, from: APIFixtures.binance(file))
        let encoded = try JSONEncoder().encode(original)
        let decoded = try JSONDecoder().decode(Model.self, from: encoded)
        #expect(decoded == original)
        return (original, try JSONSerialization.jsonObject(with: encoded))
    }

    @Test func orderWritesDecimalsAsStringsAndIdsAsNumbers() throws {
        let (_, json) = try roundTrip(Order.self, "order_new_limit_iceberg_SOLUSDT_ccxt.json")
        let object = try #require(json as? [String: Any])

        #expect(object["price"] as? String == "241")
        #expect(object["icebergQty"] as? String == "0.03")
        #expect(object["orderId"] is NSNumber)
        #expect((object["orderId"] as? NSNumber)?.int64Value == 9_780_331_417)
        #expect((object["transactTime"] as? NSNumber)?.int64Value == 1_737_635_557_417)
        #expect(object["fills"] as? [Any] != nil)
        #expect(object["stopPrice"] == nil)
    }

    @Test func klineWritesTwelveMixedElements() throws {
        let (_, json) = try roundTrip([Kline].self, "klines.json")
        let row = try #require((json as? [[Any]])?.first)

        #expect(row.count == 12)
        #expect((row[0] as? NSNumber)?.int64Value == 1_499_040_000_000)
        #expect(row[1] as? String == "0.0163479")
        #expect((row[8] as? NSNumber)?.intValue == 308)
        #expect(row[11] as? String == "0")
    }

    @Test func orderBookWritesStringPairs() throws {
        let (_, json) = try roundTrip(OrderBook.self, "depth.json")
        let object = try #require(json as? [String: Any])
        let bids = try #require(object["bids"] as? [[String]])

        #expect(bids == [["4", "431"]])
        #expect((object["lastUpdateId"] as? NSNumber)?.int64Value == 1_027_024)
    }

    @Test func exchangeInfoFiltersWriteFilterType() throws {
        let (_, json) = try roundTrip(ExchangeInfo.self, "exchangeInfo.json")
        let symbols = try #require((json as? [String: Any])?["symbols"] as? [[String: Any]])
        let filters = try #require(symbols.first?["filters"] as? [[String: Any]])
        let types = filters.compactMap { $0["filterType"] as? String }

        #expect(types.contains("PRICE_FILTER"))
        #expect(types.contains("NOTIONAL"))
        #expect(types.count == filters.count)
        let priceFilter = try #require(filters.first { $0["filterType"] as? String == "PRICE_FILTER" })
        #expect(priceFilter["tickSize"] as? String == "0.01")
        let iceberg = try #require(filters.first { $0["filterType"] as? String == "ICEBERG_PARTS" })
        #expect((iceberg["limit"] as? NSNumber)?.intValue == 10)
    }

    @Test(arguments: [
        "account.json", "myTrades.json", "ticker_24hr.json", "fapi_v3_positionRisk.json",
        "sapi_capital_deposit_hisrec.json",
    ])
    func otherModelsRoundTrip(_ file: String) throws {
        switch file {
        case "account.json": _ = try roundTrip(Account.self, file)
        case "myTrades.json": _ = try roundTrip([MyTrade].self, file)
        case "ticker_24hr.json": _ = try roundTrip(Ticker24h.self, file)
        case "fapi_v3_positionRisk.json": _ = try roundTrip([PositionRisk].self, file)
        default: _ = try roundTrip([DepositRecord].self, file)
        }
    }
}

@Suite struct ResponseDecodingErrorTests {
    @Test func missingRequiredFieldNamesTheKey() throws {
        let body = Data(#"{"symbol":"BTCUSDT","orderListId":-1,"clientOrderId":"x"}"#.utf8)

        #expect {
            try JSONDecoder().decode(Order.self, from: body)
        } throws: { error in
            guard case DecodingError.keyNotFound(let key, _) = error else { return false }
            return key.stringValue == "orderId"
        }
    }

    @Test func unknownFieldsAreIgnored() throws {
        let body = Data(#"{"symbol":"BTCUSDT","price":"1.50","brandNewField":{"nested":[1,2]}}"#.utf8)

        let ticker = try JSONDecoder().decode(TickerPrice.self, from: body)

        #expect(ticker.price.value == Decimal(string: "1.5"))
    }

    @Test(arguments: ["1e-5", "abc", "", "1,5", " 1"])
    func malformedDecimalIsADecodingError(_ text: String) {
        let body = Data(#"{"symbol":"BTCUSDT","price":"\#(text)"}"#.utf8)

        #expect(throws: DecodingError.self) { try JSONDecoder().decode(TickerPrice.self, from: body) }
    }

    @Test(arguments: ["12x", "1.5", ""])
    func malformedIntegerTextIsADecodingError(_ text: String) {
        let body = Data(#"{"serverTime":"\#(text)"}"#.utf8)

        #expect(throws: DecodingError.self) { try JSONDecoder().decode(ServerTime.self, from: body) }
    }

    @Test func unknownFilterTypesAreSkipped() throws {
        let body = Data(
            #"[{"filterType":"MAX_POSITION","maxPosition":"10"},{"filterType":"LOT_SIZE","minQty":"1","maxQty":"2","stepSize":"1"}]"#
                .utf8
        )

        let filters = try JSONDecoder().decode(SymbolFilters.self, from: body)

        #expect(filters.lotSize?.maxQty.value == 2)
        #expect(filters.priceFilter == nil)
    }

    @Test func filterMissingAFieldFailsToDecode() {
        let body = Data(#"[{"filterType":"PRICE_FILTER","minPrice":"1","maxPrice":"2"}]"#.utf8)

        #expect(throws: DecodingError.self) { try JSONDecoder().decode(SymbolFilters.self, from: body) }
    }
}

@Suite struct FullExchangeInfoTests {
    @Test func decodesEverySymbolOfTheRecordedExchangeInfo() throws {
        let data = try APIFixtures.market("exchangeInfo_full.json")

        let info = try JSONDecoder().decode(ExchangeInfo.self, from: data)

        #expect(info.symbols.count == 2276)
        #expect(info.symbols.allSatisfy { $0.filters.priceFilter != nil && $0.filters.lotSize != nil })
        #expect(info.symbols.filter { $0.filters.marketLotSize != nil }.count == 2198)
        let eth = try #require(info.symbol("ETHBTC"))
        #expect(eth.filters.priceFilter?.maxPrice.value == Decimal(string: "922327"))
        #expect(eth.allowedSelfTradePreventionModes?.contains("EXPIRE_BOTH") == true)
    }
}
