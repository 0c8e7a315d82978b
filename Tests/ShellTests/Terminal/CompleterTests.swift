import Shell
import TestSupport
import Testing

struct CompleterTests {
    let completer = Completer(
        parser: CommandParser(tools: ShellFakeTools.tools()),
        symbols: SymbolDirectory(symbols: ["ETHUSDT", "BTCUSDT", "BTCUSDC", "BNBUSDT", "ETHBTC"]),
        openOrderIDs: { symbol in symbol == "BTCUSDT" ? ["41", "4242"] : [] },
        defaultSymbol: { "BTCUSDT" }
    )

    func complete(_ line: String) -> [String] { completer.complete(line).candidates }

    @Test func commandNames() {
        #expect(complete("ba") == ["balance"])
        #expect(complete("get_o") == ["get_open_orders", "get_order_book", "get_orders"])
        #expect(complete("").contains("help"))
    }

    @Test func parameterNames() {
        #expect(complete("get_order_book BTCUSDT li") == ["limit="])
        #expect(complete("get_order_book sy") == ["symbol="])
        #expect(!complete("get_order_book symbol=BTCUSDT ").contains("symbol="))
    }

    @Test func enumerationValues() {
        #expect(complete("create_order BTCUSDT side=B") == ["side=BUY"])
        #expect(complete("create_order BTCUSDT BUY order_type=STOP") == ["order_type=STOP_LOSS", "order_type=STOP_LOSS_LIMIT"])
        #expect(complete("klines BTCUSDT 1") == ["1m", "15m", "1h", "1d"])
        #expect(complete("format j") == ["json"])
    }

    @Test func symbols() {
        #expect(complete("price BTC") == ["BTCUSDC", "BTCUSDT"])
        #expect(complete("price eth") == ["ETHBTC", "ETHUSDT"])
        #expect(complete("get_ticker_price symbol=BN") == ["symbol=BNBUSDT"])
        #expect(complete("buy ETHU") == ["ETHUSDT"])
        #expect(complete("set symbol BNB") == ["BNBUSDT"])
        #expect(complete("price BTCUSDT; book ETHB") == ["ETHBTC"])
    }

    @Test func openOrderIDsForCancel() {
        #expect(complete("cancel BTCUSDT 4") == ["41", "4242"])
        #expect(complete("cancel BTCUSDT ") == ["41", "4242"])
        #expect(complete("cancel ETHUSDT ").filter { !$0.hasSuffix("=") } == [])
    }

    @Test func orderKeywordsAfterQuantity() {
        #expect(complete("sell BTCUSDT 0.1 l") == ["limit"])
    }

    @Test func valuesInsideQuotesAreCompletedAndClosed() {
        #expect(complete(#"get_ticker_price symbol="BN"#) == [#"symbol="BNBUSDT""#])
        #expect(complete("get_ticker_price symbol='bt") == ["symbol='BTCUSDC'", "symbol='BTCUSDT'"])
        #expect(complete(#"price "ETHU"#) == [#""ETHUSDT""#])
        #expect(complete(#"create_order BTCUSDT side="S"#) == [#"side="SELL""#])
        #expect(completer.complete(#"get_ticker_price symbol="BN"#).wordStart == 17)
    }

    @Test func wordsAfterAQuotedValueCount() {
        #expect(complete(#"get_order_book symbol="BTCUSDT" li"#) == ["limit="])
        #expect(complete("get_order_book 'BTCUSDT' ").contains("limit="))
        #expect(!complete(#"get_order_book symbol="BTCUSDT" "#).contains("symbol="))
        #expect(complete("cancel 'BTCUSDT' 4") == ["41", "4242"])
    }

    @Test func wordStartIsReported() {
        let (start, _) = completer.complete("price BT")
        #expect(start == 6)
    }

    @Test func symbolPrefixSearchOverThousands() {
        let many = (0..<5000).map { "S\($0)USDT" }
        let directory = SymbolDirectory(symbols: many)
        #expect(directory.symbols(withPrefix: "S4999").count == 1)
        #expect(directory.symbols(withPrefix: "s12").count == 111)
        #expect(directory.symbols(withPrefix: "X").isEmpty)
    }
}

struct HistoryFilterTests {
    @Test(arguments: ["price BTCUSDT", "buy BTCUSDT 0.001 limit 70000", "cancel BTCUSDT 28457283958123456"])
    func ordinaryLinesAreStored(_ line: String) { #expect(HistoryFilter.shouldStore(line)) }

    @Test(arguments: [
        "", "   ",
        "set api_key abc",
        "BINANCE_API_SECRET=xyz",
        "login vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A",
        "my password is hunter2",
    ])
    func secretLookingLinesAreNotStored(_ line: String) { #expect(!HistoryFilter.shouldStore(line)) }
}
