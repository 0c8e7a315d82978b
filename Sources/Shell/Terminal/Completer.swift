import Tools

/// Tab completion from the tool registry and the market: command names, parameter names, enumeration values,
/// symbols and open order ids.
package struct Completer: Sendable {
    package let parser: CommandParser
    package let symbols: SymbolDirectory
    /// Returns the ids of the user's open orders for a symbol (nil: every symbol); may block briefly.
    package var openOrderIDs: @Sendable (String?) -> [String]
    /// The session's default symbol at the time of completion.
    package var defaultSymbol: @Sendable () -> String?

    package init(
        parser: CommandParser,
        symbols: SymbolDirectory,
        openOrderIDs: @escaping @Sendable (String?) -> [String] = { _ in [] },
        defaultSymbol: @escaping @Sendable () -> String? = { nil }
    ) {
        self.parser = parser
        self.symbols = symbols
        self.openOrderIDs = openOrderIDs
        self.defaultSymbol = defaultSymbol
    }

    /// Completions of the word that ends at the end of `line`.
    ///
    /// Quotes are understood: in `symbol="BT` the value `BT` is completed and the quote closed, and words after a
    /// quoted value count as they would when the line runs.
    /// - Returns: the byte offset in `line` where that word starts, and the full replacement words, sorted.
    package func complete(_ line: String) -> (wordStart: Int, candidates: [String]) {
        let (previous, current) = Tokenizer.partialWord(line)
        guard let current else {
            return (line.utf8.count, candidates(for: "", after: previous))
        }
        let typed = String(decoding: Array(line.utf8)[current.start...], as: UTF8.self)
        let found = candidates(for: current.text, after: previous)
        // `requoted` leaves every candidate as it is unless the word has a quote or backslash; checking that once
        // keeps thousands of symbol candidates cheap.
        guard typed.utf8.contains(where: Self.isQuoteOrEscape) else { return (current.start, found) }
        return (current.start, found.map { Self.requoted($0, typed: typed, openQuote: current.openQuote) })
    }

    private static func isQuoteOrEscape(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "'") || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }

    /// Writes a candidate the way the user started typing it: a word begun with a quote keeps that quote, which
    /// the candidate closes, so `symbol="BT` becomes `symbol="BTCUSDT"`.
    static func requoted(_ candidate: String, typed: String, openQuote: Character?) -> String {
        guard let quoteIndex = typed.firstIndex(where: { $0 == "'" || $0 == "\"" || $0 == "\\" }) else {
            return candidate
        }
        let literalPrefix = String(typed[..<quoteIndex])
        let mark = typed[quoteIndex] == "\\" ? (openQuote ?? "'") : typed[quoteIndex]
        guard candidate.hasPrefix(literalPrefix), mark == "'" || mark == "\"" else {
            return Tokenizer.quoted(candidate)
        }
        var rest = String(candidate.dropFirst(literalPrefix.count))
        if mark == "'" {
            guard !rest.contains("'") else { return Tokenizer.quoted(candidate) }
        } else {
            rest = rest.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        }
        // A parameter name (`side=`) is not finished, so its quote stays open for the value.
        let closing = candidate.hasSuffix("=") ? "" : String(mark)
        return literalPrefix + String(mark) + rest + closing
    }

    /// Completions of `word` when it follows `previous` words of the same command.
    package func candidates(for word: String, after previous: [String]) -> [String] {
        guard let command = previous.first?.lowercased() else {
            return matching(parser.commandNames, word.lowercased())
        }
        let arguments = Array(previous.dropFirst())
        switch command {
        case "help", "?":
            return arguments.isEmpty ? matching(parser.commandNames, word.lowercased()) : []
        case "format":
            return arguments.isEmpty ? matching(OutputFormat.allCases.map(\.rawValue), word.lowercased()) : []
        case "utc":
            return arguments.isEmpty ? matching(["off", "on"], word.lowercased()) : []
        case "set":
            if arguments.isEmpty { return matching(["symbol"], word.lowercased()) }
            return arguments.count == 1 ? symbolCandidates(word) : []
        case "watch":
            if arguments.isEmpty { return matching(WatchTarget.allCases.map(\.rawValue), word.lowercased()) }
            return arguments.count == 1 ? symbolCandidates(word) : []
        default:
            break
        }
        if let tool = parser.tool(named: command) {
            return toolCandidates(word, tool: tool, order: tool.parameters.map(\.name), arguments: arguments)
        }
        guard let form = CommandCatalog.shortForm(named: command), let tool = parser.tool(named: form.toolName) else {
            return []
        }
        switch form.grammar {
        case .positional(let order):
            return toolCandidates(word, tool: tool, order: order, arguments: arguments)
        case .order:
            return orderCandidates(word, tool: tool, arguments: arguments)
        case .orderWithSide:
            if arguments.isEmpty { return matching(["buy", "sell"], word.lowercased()) }
            return orderCandidates(word, tool: tool, arguments: Array(arguments.dropFirst()))
        }
    }

    // MARK: - Tools

    private func toolCandidates(_ word: String, tool: Tool, order: [String], arguments: [String]) -> [String] {
        if let equals = word.firstIndex(of: "=") {
            let name = String(word[..<equals])
            let value = String(word[word.index(after: equals)...])
            guard let parameter = tool.parameter(named: name) else { return [] }
            return values(of: parameter, prefix: value, arguments: arguments).map { name + "=" + $0 }
        }
        let named = Set(arguments.compactMap { argument in
            argument.firstIndex(of: "=").map { String(argument[..<$0]) }
        })
        let positionalCount = arguments.filter { !$0.contains("=") }.count
        let slots = order.filter { !named.contains($0) && tool.parameter(named: $0) != nil }

        var candidates: [String] = []
        if positionalCount < slots.count, let parameter = tool.parameter(named: slots[positionalCount]) {
            candidates += values(of: parameter, prefix: word, arguments: arguments)
            // Before anything is typed, only the values of the next parameter are offered.
            if word.isEmpty, !candidates.isEmpty { return candidates }
        }
        let unusedNames = tool.parameters.map(\.name).filter { !named.contains($0) }.map { $0 + "=" }
        candidates += matching(unusedNames, word.lowercased())
        return candidates
    }

    private func orderCandidates(_ word: String, tool: Tool, arguments: [String]) -> [String] {
        if word.contains("=") {
            return toolCandidates(word, tool: tool, order: [], arguments: arguments)
        }
        let positional = arguments.filter { !$0.contains("=") }
        if positional.isEmpty { return symbolCandidates(word) }
        let keywords = ["limit", "stop", "market"]
        if positional.count >= 2, !keywords.contains(positional.last!.lowercased()) {
            return matching(keywords, word.lowercased())
        }
        return []
    }

    /// Values of one parameter that start with `prefix`.
    private func values(of parameter: ToolParameter, prefix: String, arguments: [String]) -> [String] {
        switch parameter.kind {
        case .symbol:
            return symbolCandidates(prefix)
        case .enumeration(let allowed):
            return allowed.filter { $0.uppercased().hasPrefix(prefix.uppercased()) }
        case .boolean:
            return matching(["false", "true"], prefix.lowercased())
        case .orderID:
            let symbol = arguments.first { !$0.contains("=") }.map { $0.uppercased() }
                ?? arguments.first { $0.lowercased().hasPrefix("symbol=") }.map { String($0.dropFirst(7)).uppercased() }
                ?? defaultSymbol()
            return openOrderIDs(symbol).filter { $0.hasPrefix(prefix) }
        default:
            return []
        }
    }

    private func symbolCandidates(_ prefix: String) -> [String] {
        symbols.waitUntilLoaded(timeout: .seconds(5))
        return symbols.symbols(withPrefix: prefix)
    }

    private func matching(_ words: [String], _ prefix: String) -> [String] {
        words.filter { $0.hasPrefix(prefix) }.sorted()
    }
}
