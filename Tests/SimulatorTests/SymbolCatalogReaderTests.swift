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
        let names = exchange.symbolNames()

        #expect(names == info.symbols.map(\.symbol))
        #expect(names.count > 1_000)
        for symbol in info.symbols {
            let steps = exchange.filterSteps(of: symbol.symbol)
            #expect(steps?.tickSize == symbol.filters.priceFilter?.tickSize.value, "\(symbol.symbol)")
            #expect(steps?.stepSize == symbol.filters.lotSize?.stepSize.value, "\(symbol.symbol)")
        }
        #expect(exchange.filterSteps(of: "NOSUCHSYMBOL") == nil)
    }

    /// Rules read one symbol at a time on first use equal the rules of a read of the whole document.
    @Test func lazyRulesMatchAWholeRead() throws {
        let data = SymbolCatalog.bundledData()
        var whole: [String: SymbolRules] = [:]
        _ = try #require(ExchangeInfo.readTradingRulesWithRanges(from: data) { rules, _ in
            whole[rules.symbol] = SymbolRules(info: rules)
        })
        let catalog = SymbolCatalog(source: { data }, extraSymbols: [])

        #expect(catalog.symbols.count == whole.count)
        for symbol in catalog.symbols {
            let lazy = try #require(catalog.rules(symbol), "\(symbol)")
            let expected = try #require(whole[symbol])
            #expect(String(reflecting: lazy) == String(reflecting: expected), "\(symbol)")
        }
    }

    @Test func extraSymbolReplacesTheBundledOne() throws {
        let bundled = try #require(SymbolCatalog.bundled.rules("BTCUSDT"))
        let raw = try #require(SymbolCatalog.bundled.contents.rawSymbol["BTCUSDT"])
        let text = String(decoding: raw, as: UTF8.self).replacingOccurrences(of: #""status":"TRADING""#, with: #""status":"HALT""#)
        let catalog = SymbolCatalog.make(extraSymbols: [text])

        #expect(catalog.rules("BTCUSDT")?.status == "HALT")
        #expect(SymbolCatalog.bundled.rules("BTCUSDT")?.status == bundled.status)
        #expect(catalog.symbols.filter { $0 == "BTCUSDT" }.count == 1)
    }
}

/// The one-pass splitter of arrays of objects that lists the catalogue's symbols at start.
struct ObjectElementsTests {
    private func elements(_ text: String, from start: Int = 0) -> [String]? {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBytes { buffer in
            JSONScanner.objectElements(ofArrayAt: start, in: buffer)?.map { String(decoding: bytes[$0], as: UTF8.self) }
        }
    }

    @Test func splitsObjectsWithBracketsInStrings() {
        let text = #"[{"a":"]}"} , {"b":[1,{"c":"\"}"}]},{}]"#
        #expect(elements(text) == [#"{"a":"]}"}"#, #"{"b":[1,{"c":"\"}"}]}"#, "{}"])
    }

    @Test func emptyArrayHasNoElements() {
        #expect(elements("[ ]") == [])
    }

    @Test func rejectsOtherElementsAndCutText() {
        #expect(elements(#"[{"a":1},2]"#) == nil)
        #expect(elements(#"[{"a":1}"#) == nil)
        #expect(elements(#"[{"a":"x]"#) == nil)
        #expect(elements(#"{"a":1}"#) == nil)
    }
}
