import BinanceAPI
import Foundation
import Testing
import TestSupport
@testable import Simulator

/// `GET /fapi/v1/exchangeInfo`: one perpetual contract per USDT spot symbol, with futures rules that differ
/// from the spot rules of the same symbol.
@Suite struct FuturesExchangeInfoTests {
    private func symbols(_ response: HTTPResponse) -> [[String: Any]] {
        (SimTestClient.json(response) as? [String: Any])?["symbols"] as? [[String: Any]] ?? []
    }

    private func filter(_ type: String, of symbol: [String: Any]) -> [String: Any]? {
        (symbol["filters"] as? [[String: Any]])?.first { $0["filterType"] as? String == type }
    }

    @Test func listsPerpetualsWithFuturesFilters() async throws {
        let client = try SimTestClient.make()
        let response = await client.get("/fapi/v1/exchangeInfo")
        #expect(response.status == 200)
        let root = try #require(SimTestClient.json(response) as? [String: Any])
        #expect(root["serverTime"] as? Int64 == client.clock.now)
        let list = symbols(response)
        #expect(list.count > 100)
        #expect(list.allSatisfy { $0["quoteAsset"] as? String == "USDT" })
        #expect(list.allSatisfy { $0["contractType"] as? String == "PERPETUAL" })

        let btc = try #require(list.first { $0["symbol"] as? String == "BTCUSDT" })
        #expect(filter("PRICE_FILTER", of: btc)?["tickSize"] as? String == "0.1")
        #expect(filter("LOT_SIZE", of: btc)?["stepSize"] as? String == "0.001")
        #expect(filter("LOT_SIZE", of: btc)?["minQty"] as? String == "0.001")
        #expect(filter("MARKET_LOT_SIZE", of: btc)?["maxQty"] as? String == "900")
        #expect(filter("MIN_NOTIONAL", of: btc)?["notional"] as? String == "5")
        #expect(filter("MAX_NUM_ORDERS", of: btc)?["limit"] as? Int == 200)
        #expect(filter("PERCENT_PRICE", of: btc)?["multiplierUp"] as? String == "1.0500")
        #expect(btc["pricePrecision"] as? Int == 1)
        #expect(btc["quantityPrecision"] as? Int == 3)
        #expect((btc["orderTypes"] as? [String])?.contains("STOP_MARKET") == true)
    }

    @Test func spotRulesOfSameSymbolDiffer() async throws {
        let client = try SimTestClient.make()
        let spot = try #require(symbols(await client.get("/api/v3/exchangeInfo", [("symbol", "BTCUSDT")])).first)
        let futures = try #require(symbols(await client.get("/fapi/v1/exchangeInfo")).first { $0["symbol"] as? String == "BTCUSDT" })
        #expect(filter("PRICE_FILTER", of: spot)?["tickSize"] as? String == "0.01000000")
        #expect(filter("PRICE_FILTER", of: futures)?["tickSize"] as? String == "0.1")
        #expect(filter("NOTIONAL", of: spot) != nil)
        #expect(filter("NOTIONAL", of: futures) == nil)
    }

    @Test func contractRulesFollowSpotSteps() throws {
        let catalog = SymbolCatalog.bundled
        let rules = try #require(catalog.rules("1INCHUSDT"))
        let contract = FuturesContract(spot: rules)
        // Spot tick 0.0001 and step 0.1: the futures step is capped at 1.
        #expect(contract.tickSize == Decimal(string: "0.001")!)
        #expect(contract.stepSize == 1)
        #expect(contract.minQty == 1)
        #expect(contract.maxPrice == 1_000)
        #expect(DecimalText.isMultiple(contract.marketMaxQty, of: contract.stepSize))
    }

    @Test func nonUSDTSymbolsAreNotListed() async throws {
        let client = try SimTestClient.make()
        let names = Set(symbols(await client.get("/fapi/v1/exchangeInfo")).compactMap { $0["symbol"] as? String })
        #expect(names.contains("ETHUSDT"))
        #expect(!names.contains("ETHBTC"))
        #expect(!names.contains("BNBBTC"))
    }
}
