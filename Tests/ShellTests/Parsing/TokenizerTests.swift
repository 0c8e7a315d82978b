import Shell
import Testing

struct TokenizerTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var line: String
        var commands: [[String]]
        var testDescription: String { line }
    }

    @Test(arguments: [
        Case(line: "price BTCUSDT", commands: [["price", "BTCUSDT"]]),
        Case(line: "  price   BTCUSDT  ", commands: [["price", "BTCUSDT"]]),
        Case(line: "price BTCUSDT; balance", commands: [["price", "BTCUSDT"], ["balance"]]),
        Case(line: "price BTCUSDT;balance;;", commands: [["price", "BTCUSDT"], ["balance"]]),
        Case(line: "# only a comment", commands: []),
        Case(line: "balance # the rest is ignored; price X", commands: [["balance"]]),
        Case(line: "echo a#b", commands: [["echo", "a#b"]]),
        Case(line: "say 'two words'", commands: [["say", "two words"]]),
        Case(line: #"say "two words""#, commands: [["say", "two words"]]),
        Case(line: "say 'a;b' \"c#d\"", commands: [["say", "a;b", "c#d"]]),
        Case(line: #"say a\ b"#, commands: [["say", "a b"]]),
        Case(line: #"say "quote \" inside""#, commands: [["say", #"quote " inside"#]]),
        Case(line: #"say "keep \n backslash""#, commands: [["say", #"keep \n backslash"#]]),
        Case(line: #"say 'no \ escapes'"#, commands: [["say", #"no \ escapes"#]]),
        Case(line: "say ''", commands: [["say", ""]]),
        Case(line: "search=\"bitcoin cash\" x", commands: [["search=bitcoin cash", "x"]]),
        Case(line: "", commands: []),
    ])
    func splitsLines(_ testCase: Case) throws {
        let commands = try Tokenizer.commands(in: testCase.line, lineNumber: 7)
        #expect(commands.map(\.words) == testCase.commands)
        #expect(commands.allSatisfy { $0.line == 7 })
    }

    @Test func commandsOnLaterLinesGetTheirLineNumbers() throws {
        let commands = try Tokenizer.commands(in: "a\nb c; d\n# note\ne 'x\ny' f", lineNumber: 10)
        #expect(commands.map(\.words) == [["a"], ["b", "c"], ["d"], ["e", "x\ny", "f"]])
        #expect(commands.map(\.line) == [10, 11, 11, 13])
    }

    @Test func quoteOpenedOnALaterLineNamesThatLine() {
        #expect(throws: ShellError("Unterminated quote \" opened at line 7, column 7: close it with another \".")) {
            try Tokenizer.commands(in: "say 'a\nb' ok\nprice \"BTC", lineNumber: 5)
        }
    }

    @Test func endsInsideQuoteSeesOnlyOpenQuotes() {
        #expect(Tokenizer.endsInsideQuote("say 'open"))
        #expect(Tokenizer.endsInsideQuote("say \"a\nb"))
        #expect(Tokenizer.endsInsideQuote("say 'a' \"b"))
        #expect(!Tokenizer.endsInsideQuote("say 'closed'"))
        #expect(!Tokenizer.endsInsideQuote("# it's a comment"))
        #expect(!Tokenizer.endsInsideQuote(#"say it\'s"#))
    }

    @Test func partialWordReportsStartAndOpenQuote() {
        let open = Tokenizer.partialWord(#"price x; get_ticker_price symbol="BT"#)
        #expect(open.previous == ["get_ticker_price"])
        #expect(open.current == Tokenizer.PartialWord(start: 26, text: "symbol=BT", openQuote: "\""))
        let afterQuoted = Tokenizer.partialWord("create_order symbol='BTC USDT' si")
        #expect(afterQuoted.previous == ["create_order", "symbol=BTC USDT"])
        #expect(afterQuoted.current == Tokenizer.PartialWord(start: 31, text: "si", openQuote: nil))
        let between = Tokenizer.partialWord("say 'a b' ")
        #expect(between.previous == ["say", "a b"])
        #expect(between.current == nil)
    }

    @Test func unterminatedSingleQuoteIsAnError() {
        #expect(throws: ShellError("Unterminated quote ' opened at column 5: close it with another '.")) {
            try Tokenizer.commands(in: "say 'open")
        }
    }

    @Test func unterminatedDoubleQuoteIsAnError() {
        #expect(throws: ShellError(#"Unterminated quote " opened at column 9: close it with another "."#)) {
            try Tokenizer.commands(in: #"say ok; "open"#)
        }
    }

    @Test func trailingBackslashIsAnError() {
        #expect(throws: ShellError(#"Backslash at the end of the line: write '\\' for a literal backslash."#)) {
            try Tokenizer.commands(in: #"say \"#)
        }
    }

    @Test func partialCommandForCompletion() {
        let open = Tokenizer.partialCommand("balance; get_order_book sym")
        #expect(open.words == ["get_order_book", "sym"])
        #expect(open.isAtWordStart == false)
        let between = Tokenizer.partialCommand("price ")
        #expect(between.words == ["price"])
        #expect(between.isAtWordStart)
        let quoted = Tokenizer.partialCommand("say 'half open")
        #expect(quoted.words == ["say", "half open"])
    }

    @Test(arguments: ["plain", "two words", "it's", "a;b", #"back\slash"#, "#hash", ""])
    func quotedWordsReadBack(_ word: String) throws {
        let commands = try Tokenizer.commands(in: "say " + Tokenizer.quoted(word))
        #expect(commands.first?.words == ["say", word])
    }
}
