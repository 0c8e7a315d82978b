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
        Case(line: "a\nb c", commands: [["a"], ["b", "c"]]),
        Case(line: "", commands: []),
    ])
    func splitsLines(_ testCase: Case) throws {
        let commands = try Tokenizer.commands(in: testCase.line, lineNumber: 7)
        #expect(commands.map(\.words) == testCase.commands)
        #expect(commands.allSatisfy { $0.line == 7 })
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
