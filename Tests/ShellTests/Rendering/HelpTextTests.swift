import Shell
import TestSupport
import Testing

struct HelpTextTests {
    let help = HelpText(parser: CommandParser(tools: ShellFakeTools.tools()))

    @Test func overviewListsEveryToolUnderItsGroup() {
        let text = help.overview()
        for tool in ShellFakeTools.tools() { #expect(text.contains(tool.name)) }
        let market = text.range(of: "Tools: Market data")!
        let trading = text.range(of: "Tools: Trading")!
        #expect(text.range(of: "get_klines")!.lowerBound > market.lowerBound)
        #expect(text.range(of: "create_order")!.lowerBound > trading.lowerBound)
    }

    @Test func toolPageShowsParametersDefaultsAndExamples() throws {
        let text = try help.page(for: "get_order_book")
        #expect(text.contains("Usage: get_order_book symbol=… [limit=…]"))
        #expect(text.contains("limit   integer 1-5000  optional  Levels per side (default 100)"))
        #expect(text.contains("symbol  symbol          required  Trading pair"))
        #expect(text.contains("Examples:\n  book BTCUSDT 5"))
        #expect(text.contains("Effect: reads from the exchange"))
    }

    @Test func enumerationsAreListed() throws {
        let text = try help.page(for: "create_order")
        #expect(text.contains("MARKET|LIMIT|STOP_LOSS|STOP_LOSS_LIMIT"))
        #expect(text.contains("Effect: changes state on the exchange"))
    }

    @Test func shortFormPageIncludesItsTool() throws {
        let text = try help.page(for: "book")
        #expect(text.hasPrefix("book [SYMBOL] [LIMIT]\nOrder book: best bids and asks. Runs the tool get_order_book."))
    }

    @Test func unknownTopicSuggests() {
        #expect(throws: ShellError("No help for 'get_klinse'. Did you mean 'get_klines'? Type 'help' for the list of commands.")) {
            try help.page(for: "get_klinse")
        }
    }

    @Test func topicMatchesInAnyCase() throws {
        #expect(try help.page(for: "Get_Order_Book") == help.page(for: "get_order_book"))
    }

    @Test func unknownTopicIsQuotedAsTyped() {
        #expect(throws: ShellError("No help for 'Get_Klinse'. Did you mean 'get_klines'? Type 'help' for the list of commands.")) {
            try help.page(for: "Get_Klinse")
        }
    }

    @Test func linesWrapToTheWidth() throws {
        let narrow = HelpText(parser: CommandParser(tools: ShellFakeTools.tools()), width: 60)
        let overview = narrow.overview()
        for line in overview.split(separator: "\n") { #expect(line.count < 60, "too long: \(line)") }
        #expect(overview.contains("  orders [SYMBOL] [LIMIT]   Orders of a symbol, open and\n"
            + "                            closed\n"))
        #expect(overview.contains("  reset-paper [ASSET=AMOUNT ...]\n    Start a new paper account on the simulator, such as\n"))
        let page = try narrow.page(for: "get_order_book")
        for line in page.split(separator: "\n") { #expect(line.count < 60, "too long: \(line)") }
        #expect(page.contains("  limit   integer 1-5000  optional  Levels per side\n"
            + "                                    (default 100)"))
    }

    @Test func narrowTerminalPutsSummariesBelow() {
        let narrow = HelpText(parser: CommandParser(tools: ShellFakeTools.tools()), width: 40)
        let overview = narrow.overview()
        for line in overview.split(separator: "\n") { #expect(line.count < 40, "too long: \(line)") }
        #expect(overview.contains("  reset-paper [ASSET=AMOUNT ...]\n    Start a new paper account on the\n"))
    }

    @Test func noWidthLeavesLinesWhole() throws {
        let overview = help.overview()
        #expect(overview.contains("reset-paper [ASSET=AMOUNT ...]    Start a new paper account on the simulator, "
            + "such as reset-paper USDT=10000 BTC=0.1"))
    }
}
