import BinanceAPI
import Foundation
import Tools

/// Turns the words of one command into a `ShellCommand`, using the tool registry for names and parameters.
///
/// The parser checks the shape of a command (known command, known parameter names, number of words). The tool
/// pipeline checks the values, so the shell, scripts and MCP reject bad values with the same messages.
package struct CommandParser: Sendable {
    package let tools: [Tool]
    private let toolsByName: [String: Tool]

    package init(tools: [Tool]) {
        self.tools = tools
        self.toolsByName = Dictionary(tools.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Every word that can start a command, sorted: session commands, short forms and tool names.
    package var commandNames: [String] {
        let names = CommandCatalog.sessionCommands.map(\.name)
            + CommandCatalog.shortForms.filter { toolsByName[$0.toolName] != nil }.map(\.name)
            + tools.map(\.name)
        return Array(Set(names)).sorted()
    }

    package func tool(named name: String) -> Tool? { toolsByName[name] }

    /// Parses one command.
    /// - Parameter defaultSymbol: used when a command that takes a symbol omits it.
    /// - Throws: `ShellError` naming the word at fault and what is expected.
    package func parse(_ words: [String], defaultSymbol: String? = nil) throws(ShellError) -> ShellCommand {
        guard let first = words.first else { throw ShellError("Empty command.") }
        let name = first.lowercased()
        let rest = Array(words.dropFirst())

        if let session = try parseSessionCommand(name, rest, defaultSymbol: defaultSymbol) { return session }
        if let tool = toolsByName[name] {
            let arguments = try bind(rest, to: tool, order: tool.parameters.map(\.name), defaultSymbol: defaultSymbol)
            return .tool(ToolCall(toolName: tool.name, arguments: arguments))
        }
        if let form = CommandCatalog.shortForm(named: name) {
            return .tool(try parseShortForm(form, rest, defaultSymbol: defaultSymbol))
        }
        throw unknownCommand(first)
    }

    // MARK: - Session commands

    private func parseSessionCommand(
        _ name: String,
        _ rest: [String],
        defaultSymbol: String?
    ) throws(ShellError) -> ShellCommand? {
        switch name {
        case "help", "?":
            guard rest.count <= 1 else { throw unexpected(rest[1], usage: "help [COMMAND|TOOL]") }
            return .help(topic: rest.first)
        case "exit", "quit":
            guard rest.isEmpty else { throw unexpected(rest[0], usage: name) }
            return .exit
        case "format":
            guard let value = rest.first else { throw ShellError("Missing format: expected format json or table.") }
            guard rest.count == 1 else { throw unexpected(rest[1], usage: "format json|table") }
            guard let format = OutputFormat(rawValue: value.lowercased()) else {
                throw ShellError("Invalid format '\(value)': expected json or table.")
            }
            return .format(format)
        case "set":
            return try parseSet(rest)
        case "utc":
            guard let value = rest.first else { throw ShellError("Missing value: expected utc on or utc off.") }
            guard rest.count == 1 else { throw unexpected(rest[1], usage: "utc on|off") }
            switch value.lowercased() {
            case "on", "true", "yes": return .utc(true)
            case "off", "false", "no": return .utc(false)
            default: throw ShellError("Invalid value '\(value)' for utc: expected on or off.")
            }
        case "watch":
            return try parseWatch(rest, defaultSymbol: defaultSymbol)
        case "halt", "resume":
            guard rest.isEmpty else { throw unexpected(rest[0], usage: name) }
            return name == "halt" ? .halt : .resume
        case "reset-paper":
            return .resetPaper(try parseBalances(rest))
        default:
            return nil
        }
    }

    private func parseSet(_ rest: [String]) throws(ShellError) -> ShellCommand {
        guard let setting = rest.first else {
            throw ShellError("Missing setting: expected set symbol SYMBOL or set symbol none.")
        }
        guard setting.lowercased() == "symbol" else {
            throw ShellError("Unknown setting '\(setting)': expected symbol (format and utc are commands of their own).")
        }
        guard rest.count >= 2 else { throw ShellError("Missing symbol: expected set symbol SYMBOL or set symbol none.") }
        guard rest.count == 2 else { throw unexpected(rest[2], usage: "set symbol SYMBOL|none") }
        if rest[1].lowercased() == "none" { return .setSymbol(nil) }
        return .setSymbol(try Self.validatedSymbol(rest[1]))
    }

    private func parseWatch(_ rest: [String], defaultSymbol: String?) throws(ShellError) -> ShellCommand {
        let usage = "watch price|book|orders [SYMBOL]"
        guard let what = rest.first else { throw ShellError("Missing view: expected \(usage).") }
        guard let target = WatchTarget(rawValue: what.lowercased()) else {
            throw ShellError("Invalid view '\(what)' for watch: expected price, book or orders.")
        }
        guard rest.count <= 2 else { throw unexpected(rest[2], usage: usage) }
        let toolName: String
        switch target {
        case .price: toolName = "get_ticker_price"
        case .book: toolName = "get_order_book"
        case .orders: toolName = "get_open_orders"
        }
        guard let tool = toolsByName[toolName] else {
            throw ShellError("watch \(target.rawValue) needs the tool \(toolName), which this build does not have.")
        }
        var arguments = try bind(Array(rest.dropFirst()), to: tool, order: ["symbol"], defaultSymbol: defaultSymbol)
        // Ten levels a side fit a terminal and cost the least weight; limit=N asks for more.
        if target == .book, arguments["limit"] == nil, tool.parameter(named: "limit") != nil {
            arguments["limit"] = .string("10")
        }
        return .watch(target, ToolCall(toolName: toolName, arguments: arguments))
    }

    private func parseBalances(_ rest: [String]) throws(ShellError) -> [String: Decimal] {
        var balances: [String: Decimal] = [:]
        for word in rest {
            let parts = word.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2 else {
                throw ShellError("Invalid balance '\(word)': expected ASSET=AMOUNT such as USDT=10000.")
            }
            let asset = parts[0].uppercased()
            guard (1...20).contains(asset.utf8.count), asset.utf8.allSatisfy(Self.isUpperAlphanumeric) else {
                throw ShellError("Invalid asset '\(parts[0])': expected an asset name such as BTC or USDT.")
            }
            guard let amount = DecimalText.parse(String(parts[1])) else {
                throw ShellError(
                    "Invalid amount '\(parts[1])' for \(asset): expected a decimal in plain notation such as 0.5.")
            }
            guard balances.updateValue(amount, forKey: asset) == nil else {
                throw ShellError("Asset '\(asset)' given twice.")
            }
        }
        return balances
    }

    // MARK: - Short forms

    private func parseShortForm(
        _ form: ShortForm,
        _ rest: [String],
        defaultSymbol: String?
    ) throws(ShellError) -> ToolCall {
        guard let tool = toolsByName[form.toolName] else {
            throw ShellError("'\(form.name)' needs the tool \(form.toolName), which this build does not have.")
        }
        switch form.grammar {
        case .positional(let order):
            let arguments = try bind(rest, to: tool, order: order, defaultSymbol: defaultSymbol, usage: form.usage)
            return ToolCall(toolName: tool.name, arguments: arguments)
        case .order(let side):
            return try parseOrder(rest, side: side, tool: tool, usage: form.usage, defaultSymbol: defaultSymbol)
        case .orderWithSide:
            guard let sideWord = rest.first else {
                throw ShellError("Missing side: expected \(form.usage).")
            }
            let side = sideWord.uppercased()
            guard side == "BUY" || side == "SELL" else {
                if sideWord.contains("=") {
                    let arguments = try bind(rest, to: tool, order: tool.parameters.map(\.name),
                                             defaultSymbol: defaultSymbol)
                    return ToolCall(toolName: tool.name, arguments: arguments)
                }
                throw ShellError("Invalid side '\(sideWord)': expected buy or sell, as in \(form.usage).")
            }
            return try parseOrder(Array(rest.dropFirst()), side: side, tool: tool,
                                  usage: "preview \(sideWord.lowercased()) [SYMBOL] QUANTITY [limit PRICE]",
                                  defaultSymbol: defaultSymbol)
        }
    }

    /// `[SYMBOL] QUANTITY [limit PRICE] [stop STOP_PRICE] [market] [key=value ...]`.
    private func parseOrder(
        _ words: [String],
        side: String,
        tool: Tool,
        usage: String,
        defaultSymbol: String?
    ) throws(ShellError) -> ToolCall {
        let split = try splitNamed(words, for: tool)
        var arguments = split.named
        arguments["side"] = .string(side)

        var leading: [String] = []
        var limitPrice: String?
        var stopPrice: String?
        var isMarket = false
        var index = 0
        let positional = split.positional
        while index < positional.count {
            let word = positional[index]
            switch word.lowercased() {
            case "limit", "stop":
                let keyword = word.lowercased()
                guard index + 1 < positional.count else {
                    let what = keyword == "limit" ? "price" : "stop price"
                    throw ShellError("Missing \(what) after '\(word)': expected \(usage).")
                }
                if keyword == "limit" { limitPrice = positional[index + 1] } else { stopPrice = positional[index + 1] }
                index += 2
            case "market":
                isMarket = true
                index += 1
            default:
                guard limitPrice == nil, stopPrice == nil, !isMarket else { throw unexpected(word, usage: usage) }
                leading.append(word)
                index += 1
            }
        }

        switch leading.count {
        case 0:
            if arguments["quantity"] == nil, arguments["quote_order_qty"] == nil {
                throw ShellError("Missing quantity: expected \(usage).")
            }
        case 1:
            if arguments["quantity"] == nil, arguments["quote_order_qty"] == nil {
                arguments["quantity"] = .string(leading[0])
            } else if arguments["symbol"] == nil {
                arguments["symbol"] = .string(leading[0])
            } else {
                throw unexpected(leading[0], usage: usage)
            }
        case 2:
            arguments["symbol"] = .string(leading[0])
            arguments["quantity"] = .string(leading[1])
        default:
            throw unexpected(leading[2], usage: usage, hint: Self.symbolHint(after: leading[0], leading[1]))
        }
        if arguments["symbol"] == nil, let defaultSymbol { arguments["symbol"] = .string(defaultSymbol) }

        if let limitPrice { arguments["price"] = .string(limitPrice) }
        if let stopPrice { arguments["stop_price"] = .string(stopPrice) }
        if arguments["order_type"] == nil {
            let type: String
            switch (limitPrice != nil, stopPrice != nil) {
            case (true, true): type = "STOP_LOSS_LIMIT"
            case (true, false): type = "LIMIT"
            case (false, true): type = "STOP_LOSS"
            case (false, false): type = "MARKET"
            }
            guard !(isMarket && limitPrice != nil) else {
                throw ShellError("An order is either market or limit: drop 'market' or the limit price.")
            }
            arguments["order_type"] = .string(type)
            if limitPrice != nil, arguments["time_in_force"] == nil, tool.parameter(named: "time_in_force") != nil {
                arguments["time_in_force"] = .string("GTC")
            }
        }
        return ToolCall(toolName: tool.name, arguments: arguments)
    }

    // MARK: - Binding words to parameters

    /// Binds `key=value` words by name and the other words by position in `order`.
    ///
    /// With a default symbol set, a word fills `symbol` only when it would not fit the parameter after `symbol`,
    /// so `book 5` means `book DEFAULT 5` while `book ETHUSDT` names the symbol.
    func bind(
        _ words: [String],
        to tool: Tool,
        order: [String],
        defaultSymbol: String?,
        usage: String? = nil
    ) throws(ShellError) -> [String: JSONValue] {
        let split = try splitNamed(words, for: tool)
        var arguments = split.named
        let slots = order.filter { arguments[$0] == nil && tool.parameter(named: $0) != nil }

        var slotIndex = 0
        for (wordIndex, word) in split.positional.enumerated() {
            guard slotIndex < slots.count else {
                let previous = wordIndex > 0 ? split.positional[wordIndex - 1] : nil
                let hint = previous.flatMap { Self.symbolHint(after: $0, word) }
                throw tooMany(word, tool: tool, slots: slots, usage: usage, hint: hint)
            }
            var slot = slots[slotIndex]
            if slot == "symbol", let defaultSymbol, slotIndex + 1 < slots.count,
                let next = tool.parameter(named: slots[slotIndex + 1]), Self.fits(word, next.kind)
            {
                arguments["symbol"] = .string(defaultSymbol)
                slotIndex += 1
                slot = slots[slotIndex]
            }
            arguments[slot] = .string(word)
            slotIndex += 1
        }
        if arguments["symbol"] == nil, let defaultSymbol, tool.parameter(named: "symbol") != nil {
            arguments["symbol"] = .string(defaultSymbol)
        }
        return arguments
    }

    /// Separates `name=value` words from positional ones and checks the names.
    private func splitNamed(
        _ words: [String],
        for tool: Tool
    ) throws(ShellError) -> (named: [String: JSONValue], positional: [String]) {
        var named: [String: JSONValue] = [:]
        var positional: [String] = []
        for word in words {
            guard let equals = word.firstIndex(of: "="), Self.isParameterName(word[..<equals]) else {
                positional.append(word)
                continue
            }
            let name = String(word[..<equals])
            let value = String(word[word.index(after: equals)...])
            guard tool.parameter(named: name) != nil else { throw unknownParameter(name, tool: tool) }
            guard named.updateValue(.string(value), forKey: name) == nil else {
                throw ShellError("Parameter '\(name)' given twice.")
            }
        }
        return (named, positional)
    }

    // MARK: - Errors

    private func unknownCommand(_ word: String) -> ShellError {
        var message = "Unknown command '\(word)'."
        if let nearest = Suggestions.nearest(to: word.lowercased(), among: commandNames) {
            message += " Did you mean '\(nearest)'?"
        }
        return ShellError(message + " Type 'help' for the list of commands.")
    }

    private func unknownParameter(_ name: String, tool: Tool) -> ShellError {
        let known = tool.parameters.map(\.name)
        var message = "Unknown parameter '\(name)' for \(tool.name)."
        if let nearest = Suggestions.nearest(to: name, among: known) {
            message += " Did you mean '\(nearest)'?"
        } else if known.isEmpty {
            message += " \(tool.name) takes no parameters."
        } else {
            message += " Expected one of: \(known.joined(separator: ", "))."
        }
        return ShellError(message)
    }

    private func tooMany(_ word: String, tool: Tool, slots: [String], usage: String?, hint: String?) -> ShellError {
        var message = "Unexpected argument '\(word)': "
        if let usage {
            message += "expected \(usage)."
        } else if slots.isEmpty {
            message += "\(tool.name) takes no more positional arguments; name others as key=value."
        } else {
            message += "\(tool.name) takes \(slots.count) positional argument\(slots.count == 1 ? "" : "s")"
            message += " (\(slots.joined(separator: ", "))); name others as key=value."
        }
        if let hint { message += " " + hint }
        return ShellError(message)
    }

    private func unexpected(_ word: String, usage: String, hint: String? = nil) -> ShellError {
        ShellError("Unexpected argument '\(word)': expected \(usage)." + (hint.map { " " + $0 } ?? ""))
    }

    /// Suggests joining `BTC USDT` into `BTCUSDT` when the extra word is a common quote asset and the word
    /// before it a short asset code. Any other extra word gets no hint, so `price BTCUSDT extra` is reported as
    /// the unexpected word it is, not as half of a symbol.
    private static func symbolHint(after previous: String, _ word: String) -> String? {
        guard commonQuoteAssets.contains(word.uppercased()), (2...10).contains(previous.count),
            previous.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) })
        else { return nil }
        return "Write a symbol as one word, such as \((previous + word).uppercased())."
    }

    /// Quote assets of most Binance spot pairs, for the hint that joins `BTC USDT` into one symbol.
    private static let commonQuoteAssets: Set<String> = [
        "USDT", "USDC", "FDUSD", "TUSD", "BUSD", "DAI", "BTC", "ETH", "BNB", "EUR", "TRY", "BRL", "JPY", "GBP",
    ]

    // MARK: - Word checks

    /// Returns the upper-cased symbol, or throws the same message as the tool pipeline.
    package static func validatedSymbol(_ text: String) throws(ShellError) -> String {
        let symbol = text.uppercased()
        guard (2...20).contains(symbol.utf8.count), symbol.utf8.allSatisfy(isUpperAlphanumeric) else {
            throw ShellError(
                "Invalid symbol '\(text)': expected 2 to 20 letters and digits such as BTCUSDT, with no '/' or spaces.")
        }
        return symbol
    }

    private static func isParameterName(_ text: Substring) -> Bool {
        guard let first = text.utf8.first, first >= 97, first <= 122 else { return false }
        return text.utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 95 }
    }

    private static func isUpperAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= 65 && byte <= 90) || (byte >= 48 && byte <= 57)
    }

    /// Returns true when `word` is a valid value of `kind`, used to tell an omitted symbol from a given one.
    static func fits(_ word: String, _ kind: ParameterKind) -> Bool {
        switch kind {
        case .integer(let minimum, let maximum):
            guard let value = Int64(word) else { return false }
            return value >= minimum && value <= maximum
        case .decimal:
            return DecimalText.parse(word) != nil
        case .quantity:
            return DecimalText.parse(word) != nil || word.lowercased() == "all"
        case .enumeration(let values):
            return values.contains { $0.uppercased() == word.uppercased() }
        case .orderID, .timestamp:
            return !word.isEmpty && word.utf8.allSatisfy { $0 >= 48 && $0 <= 57 }
        case .boolean:
            return ["true", "false", "yes", "no"].contains(word.lowercased())
        case .string, .symbol, .asset, .clientOrderID:
            return false
        }
    }
}
