import BinanceAPI
import Foundation
import Testing

@testable import Simulator

/// The simulator reads its bundled exchangeInfo with the client's fast reader and keeps a dictionary reader
/// for bodies the fast one does not accept; both must give the same rules.
struct SymbolCatalogReaderTests {
    @Test func bothReadersGiveTheSameRulesForEveryBundledSymbol() throws {
        let data = SymbolCatalog.bundledData()
        let info = try #require(ExchangeInfo.fastDecode(from: data))
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let dictionaries = try #require(root["symbols"] as? [[String: Any]])
        #expect(info.symbols.count == dictionaries.count)
        #expect(info.symbols.count > 1_000)
        for (symbol, dictionary) in zip(info.symbols, dictionaries) {
            let fromDictionary = try #require(SymbolRules(dictionary: dictionary))
            // The textual dump lists every stored property, so a field one reader sets and the other does not
            // shows up here.
            #expect(String(reflecting: SymbolRules(info: symbol)) == String(reflecting: fromDictionary))
        }
    }

    @Test func catalogueListsEveryBundledSymbolWithItsBytes() throws {
        let catalog = SymbolCatalog(source: { SymbolCatalog.bundledData() }, extraSymbols: [])
        let contents = catalog.contents
        let dictionaries = try #require(
            (try JSONSerialization.jsonObject(with: SymbolCatalog.bundledData()) as? [String: Any])?["symbols"]
                as? [[String: Any]])
        #expect(contents.order.count == dictionaries.count)
        let btc = try #require(contents.rawSymbol["BTCUSDT"])
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(btc)) as? [String: Any])
        #expect(parsed["symbol"] as? String == "BTCUSDT")
        #expect(contents.rules["BTCUSDT"]?.tickSize == Decimal(string: "0.01"))
    }

    @Test func rawSymbolBytesMatchTheSymbolsArray() throws {
        let data = SymbolCatalog.bundledData()
        let bytes = [UInt8](data)
        let range = try #require(JSONScanner.valueRange(ofKey: "symbols", in: bytes))
        let objects = JSONScanner.arrayElements(bytes, in: range).map { Array(bytes[$0]) }
        let catalog = SymbolCatalog(source: { data }, extraSymbols: [])

        let contents = catalog.contents

        #expect(contents.order.count == objects.count)
        for (symbol, object) in zip(contents.order, objects) where contents.rawSymbol[symbol].map(Array.init) != object {
            Issue.record("the bytes kept for \(symbol) differ from its object in the body")
        }
        #expect(contents.allSymbolsBytes == Array(objects.joined(separator: [UInt8(ascii: ",")])))
    }
}

/// The filter steps an in-process caller reads from the catalogue are the ones the exchangeInfo reply lists.
struct SymbolStepsTests {
    @Test func stepsMatchTheExchangeInfoReply() async throws {
        let exchange = try SimulatedExchange(options: SimulatorOptions(databasePath: ":memory:"))
        let response = await exchange.handle(HTTPRequest(method: .get, baseURL: "http://sim", path: "/api/v3/exchangeInfo", query: ""))
        let info = try #require(ExchangeInfo.fastDecode(from: response.body))
        let steps = exchange.symbolSteps()

        #expect(steps.count == info.symbols.count)
        #expect(steps.count > 1_000)
        for (listed, symbol) in zip(steps, info.symbols) {
            #expect(listed.symbol == symbol.symbol)
            #expect(listed.tickSize == symbol.filters.priceFilter?.tickSize.value)
            #expect(listed.stepSize == symbol.filters.lotSize?.stepSize.value)
        }
    }
}
