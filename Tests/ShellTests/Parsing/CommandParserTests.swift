import Shell
import TestSupport
import Testing
import Tools

struct CommandParserTests {
    let parser = CommandParser(tools: ShellFakeTools.tools())

    func call(_ line: String, defaultSymbol: String? = nil) throws -> ToolCall {
        let words = try #require(try Tokenizer.commands(in: line).first).words
        guard case .tool(let call) = try parser.parse(words, defaultSymbol: defaultSymbol) else {
            Issue.record("'\(line)' did not parse as a tool call")
            return ToolCall(toolName: "", arguments: [:])
        }
        return call
    }

    func error(_ line: String, defaultSymbol: String? = nil) -> String? {
        do {
            let words = try Tokenizer.commands(in: line).first?.words ?? []
            _ = try parser.parse(words, defaultSymbol: defaultSymbol)
            return nil
        } catch {
            return error.message
        }
    }

    func strings(_ pairs: [String: String]) -> [String: JSONValue] { pairs.mapValues { .string($0) } }

    // MARK: - Generic form

    @Test func genericFormTakesNamedParameters() throws {
        let parsed = try call("get_order_book symbol=BTCUSDT limit=5")
        #expect(parsed == ToolCall(toolName: "get_order_book", arguments: strings(["symbol": "BTCUSDT", "limit": "5"])))
    }

    @Test func genericFormTakesPositionalParametersInOrder() throws {
        let parsed = try call("get_order_book BTCUSDT 5")
        #expect(parsed.arguments == strings(["symbol": "BTCUSDT", "limit": "5"]))
    }

    @Test func positionalFillsWhatNamedLeftOpen() throws {
        let parsed = try call("get_order_book limit=5 ETHUSDT")
        #expect(parsed.arguments == strings(["symbol": "ETHUSDT", "limit": "5"]))
    }

    @Test func quotedValueKeepsSpaces() throws {
        let parsed = try call("get_available_assets search='bitcoin cash'")
        #expect(parsed.arguments == strings(["search": "bitcoin cash"]))
    }

    @Test func commandNamesIgnoreCase() throws {
        #expect(try call("PRICE BTCUSDT").toolName == "get_ticker_price")
    }

    // MARK: - Short forms

    @Test(arguments: [
        ("price BTCUSDT", "get_ticker_price", ["symbol": "BTCUSDT"]),
        ("book BTCUSDT 5", "get_order_book", ["symbol": "BTCUSDT", "limit": "5"]),
        ("balance", "get_balance", [:]),
        ("balance BTC", "get_balance", ["asset": "BTC"]),
        ("orders BTCUSDT", "get_orders", ["symbol": "BTCUSDT"]),
        ("open", "get_open_orders", [:]),
        ("open ETHUSDT", "get_open_orders", ["symbol": "ETHUSDT"]),
        ("cancel BTCUSDT 42", "cancel_order", ["symbol": "BTCUSDT", "order_id": "42"]),
        ("assets USDT", "get_available_assets", ["quote_asset": "USDT"]),
        ("klines BTCUSDT 1h", "get_klines", ["symbol": "BTCUSDT", "interval": "1h"]),
        ("status", "get_status", [:]),
        ("buy BTCUSDT 0.001", "create_order",
         ["symbol": "BTCUSDT", "side": "BUY", "order_type": "MARKET", "quantity": "0.001"]),
        ("sell BTCUSDT 0.001 limit 70000", "create_order",
         ["symbol": "BTCUSDT", "side": "SELL", "order_type": "LIMIT", "quantity": "0.001", "price": "70000",
          "time_in_force": "GTC"]),
        ("buy BTCUSDT 0.001 stop 71000 limit 71100", "create_order",
         ["symbol": "BTCUSDT", "side": "BUY", "order_type": "STOP_LOSS_LIMIT", "quantity": "0.001",
          "price": "71100", "stop_price": "71000", "time_in_force": "GTC"]),
        ("sell BTCUSDT 0.5 stop 60000", "create_order",
         ["symbol": "BTCUSDT", "side": "SELL", "order_type": "STOP_LOSS", "quantity": "0.5", "stop_price": "60000"]),
        ("buy BTCUSDT 0.001 limit 70000 time_in_force=IOC", "create_order",
         ["symbol": "BTCUSDT", "side": "BUY", "order_type": "LIMIT", "quantity": "0.001", "price": "70000",
          "time_in_force": "IOC"]),
        ("preview sell ETHUSDT 1 limit 4000", "preview_order",
         ["symbol": "ETHUSDT", "side": "SELL", "order_type": "LIMIT", "quantity": "1", "price": "4000",
          "time_in_force": "GTC"]),
    ] as [(String, String, [String: String])])
    func shortFormMapsToTool(_ line: String, _ toolName: String, _ arguments: [String: String]) throws {
        let parsed = try call(line)
        #expect(parsed.toolName == toolName)
        #expect(parsed.arguments == strings(arguments))
    }

    // MARK: - Default symbol

    @Test(arguments: [
        ("price", ["symbol": "ETHUSDT"]),
        ("price BTCUSDT", ["symbol": "BTCUSDT"]),
        ("book 5", ["symbol": "ETHUSDT", "limit": "5"]),
        ("book BTCUSDT", ["symbol": "BTCUSDT"]),
        ("klines 1h", ["symbol": "ETHUSDT", "interval": "1h"]),
        ("klines BTCUSDT 15m", ["symbol": "BTCUSDT", "interval": "15m"]),
        ("buy 0.25", ["symbol": "ETHUSDT", "side": "BUY", "order_type": "MARKET", "quantity": "0.25"]),
        ("cancel 42", ["symbol": "ETHUSDT", "order_id": "42"]),
    ] as [(String, [String: String])])
    func defaultSymbolFillsOmittedSymbol(_ line: String, _ arguments: [String: String]) throws {
        #expect(try call(line, defaultSymbol: "ETHUSDT").arguments == strings(arguments))
    }

    // MARK: - Session commands

    @Test func sessionCommandsParse() throws {
        #expect(try parser.parse(["help"]) == .help(topic: nil))
        #expect(try parser.parse(["help", "Create_Order"]) == .help(topic: "Create_Order"))
        #expect(try parser.parse(["quit"]) == .exit)
        #expect(try parser.parse(["format", "JSON"]) == .format(.json))
        #expect(try parser.parse(["set", "symbol", "btcusdt"]) == .setSymbol("BTCUSDT"))
        #expect(try parser.parse(["set", "symbol", "none"]) == .setSymbol(nil))
        #expect(try parser.parse(["utc", "on"]) == .utc(true))
        #expect(try parser.parse(["halt"]) == .halt)
        #expect(try parser.parse(["reset-paper", "usdt=500", "BTC=0.5"]) == .resetPaper(["USDT": 500, "BTC": 0.5]))
        let watch = try parser.parse(["watch", "book", "BTCUSDT"])
        let tenLevels = strings(["symbol": "BTCUSDT", "limit": "10"])
        #expect(watch == .watch(.book, ToolCall(toolName: "get_order_book", arguments: tenLevels)))
        let deeper = try parser.parse(["watch", "book", "limit=50"], defaultSymbol: "ETHUSDT")
        let fiftyLevels = strings(["symbol": "ETHUSDT", "limit": "50"])
        #expect(deeper == .watch(.book, ToolCall(toolName: "get_order_book", arguments: fiftyLevels)))
        let price = try parser.parse(["watch", "price", "ethbtc"])
        #expect(price == .watch(.price, ToolCall(toolName: "get_ticker_price", arguments: strings(["symbol": "ethbtc"]))))
    }

    // MARK: - Errors

    @Test(arguments: [
        ("prise BTCUSDT", "Unknown command 'prise'. Did you mean 'price'? Type 'help' for the list of commands."),
        ("get_order_bok BTCUSDT",
         "Unknown command 'get_order_bok'. Did you mean 'get_order_book'? Type 'help' for the list of commands."),
        ("frobnicate", "Unknown command 'frobnicate'. Type 'help' for the list of commands."),
        ("get_order_book BTCUSDT limt=5",
         "Unknown parameter 'limt' for get_order_book. Did you mean 'limit'?"),
        ("get_status verbose=true", "Unknown parameter 'verbose' for get_status. get_status takes no parameters."),
        ("get_order_book symbol=BTCUSDT symbol=ETHUSDT", "Parameter 'symbol' given twice."),
        ("get_order_book BTCUSDT 5 extra",
         "Unexpected argument 'extra': get_order_book takes 2 positional arguments (symbol, limit); "
            + "name others as key=value."),
        ("price BTCUSDT extra", "Unexpected argument 'extra': expected price [SYMBOL]."),
        ("price ETHBTC extra", "Unexpected argument 'extra': expected price [SYMBOL]."),
        ("book BTCUSDT 5 more", "Unexpected argument 'more': expected book [SYMBOL] [LIMIT]."),
        ("price btc usdt",
         "Unexpected argument 'usdt': expected price [SYMBOL]. Write a symbol as one word, such as BTCUSDT."),
        ("buy", "Missing quantity: expected buy [SYMBOL] QUANTITY [limit PRICE] [stop STOP_PRICE]."),
        ("buy BTCUSDT 1 limit", "Missing price after 'limit': expected buy [SYMBOL] QUANTITY [limit PRICE] "
            + "[stop STOP_PRICE]."),
        ("sell BTC USDT 1",
         "Unexpected argument '1': expected sell [SYMBOL] QUANTITY [limit PRICE] [stop STOP_PRICE]. "
            + "Write a symbol as one word, such as BTCUSDT."),
        ("buy BTCUSDT 1 market limit 5", "An order is either market or limit: drop 'market' or the limit price."),
        ("preview hold BTCUSDT 1",
         "Invalid side 'hold': expected buy or sell, as in preview buy|sell [SYMBOL] QUANTITY [limit PRICE] "
            + "[stop STOP_PRICE]."),
        ("format xml", "Invalid format 'xml': expected json or table."),
        ("format", "Missing format: expected format json or table."),
        ("utc maybe", "Invalid value 'maybe' for utc: expected on or off."),
        ("set colour red", "Unknown setting 'colour': expected symbol (format and utc are commands of their own)."),
        ("set symbol BTC/USDT",
         "Invalid symbol 'BTC/USDT': expected 2 to 20 letters and digits such as BTCUSDT, with no '/' or spaces."),
        ("watch trades BTCUSDT", "Invalid view 'trades' for watch: expected price, book or orders."),
        ("reset-paper USDT", "Invalid balance 'USDT': expected ASSET=AMOUNT such as USDT=10000."),
        ("reset-paper USDT=-5", "Invalid amount '-5' for USDT: expected a decimal in plain notation such as 0.5."),
        ("exit now", "Unexpected argument 'now': expected exit."),
    ])
    func rejectsWithExactMessage(_ line: String, _ message: String) {
        #expect(error(line) == message)
    }

    @Test func commandNamesComeFromTheRegistry() {
        let names = parser.commandNames
        #expect(names.contains("get_klines"))
        #expect(names.contains("klines"))
        #expect(names.contains("reset-paper"))
        let withoutKlines = CommandParser(tools: ShellFakeTools.tools().filter { $0.name != "get_klines" })
        #expect(!withoutKlines.commandNames.contains("klines"))
        #expect(!withoutKlines.commandNames.contains("get_klines"))
    }
}

struct SuggestionsTests {
    @Test(arguments: [
        ("prcie", "price"), ("balanse", "balance"), ("get_tiker", "get_ticker"), ("hlep", "help"), ("ord", "orders"),
    ])
    func suggestsNearest(_ typo: String, _ expected: String) {
        let names = ["price", "balance", "get_ticker", "get_ticker_price", "help", "orders", "open"]
        #expect(Suggestions.nearest(to: typo, among: names) == expected)
    }

    @Test func noSuggestionWhenFarAway() {
        #expect(Suggestions.nearest(to: "xyzzy", among: ["price", "balance"]) == nil)
    }

    @Test func editDistanceCountsTranspositionOnce() {
        #expect(Suggestions.editDistance("abcd", "abdc") == 1)
        #expect(Suggestions.editDistance("", "abc") == 3)
        #expect(Suggestions.editDistance("kitten", "sitting") == 3)
    }
}
