import BinanceAPI
import Foundation

/// Checks raw arguments (strings from the shell, typed JSON values from MCP) against a tool's parameters and
/// normalizes them: symbols and assets upper-cased, decimals parsed exactly, enumerations spelled as declared,
/// times converted to milliseconds.
///
/// The same value gives the same result whether it arrives as the string `"5"` or the number `5`.
package enum ArgumentDecoder {
    /// Decodes every argument of one invocation.
    /// - Throws: `ToolError` of type `validation_error` naming the first offending value and the rule it breaks.
    package static func decode(_ arguments: [String: JSONValue], for tool: Tool) throws(ToolError) -> ToolArguments {
        for name in arguments.keys.sorted() where tool.parameter(named: name) == nil {
            let known = tool.parameters.map(\.name).joined(separator: ", ")
            throw .validation(
                "Unknown parameter \(UntrustedText.quoted(name)) for \(tool.name).",
                hint: known.isEmpty ? "\(tool.name) takes no parameters." : "Known parameters: \(known)."
            )
        }

        var decoded = ToolArguments()
        var rawTexts: [String: String] = [:]
        for parameter in tool.parameters {
            guard let raw = arguments[parameter.name], raw != .null else {
                if parameter.isRequired {
                    throw .validation("Missing required parameter '\(parameter.name)' for \(tool.name).")
                }
                continue
            }
            let text = try scalarText(raw, name: parameter.name)
            rawTexts[parameter.name] = text
            decoded[parameter.name] = try decodeValue(text, as: parameter)
        }

        try checkTimeRange(decoded, rawTexts: rawTexts)
        return decoded
    }

    /// Decodes one value given as text.
    static func decodeValue(_ raw: JSONValue, as parameter: ToolParameter) throws(ToolError) -> ToolArguments.Value {
        try decodeValue(try scalarText(raw, name: parameter.name), as: parameter)
    }

    static func decodeValue(_ text: String, as parameter: ToolParameter) throws(ToolError) -> ToolArguments.Value {
        let name = parameter.name
        switch parameter.kind {
        case .string:
            return .string(text)
        case .symbol:
            return .string(try symbol(text))
        case .asset:
            let asset = text.uppercased()
            guard (1...20).contains(text.utf8.count), text.utf8.allSatisfy(isASCIIAlphanumeric) else {
                throw .validation("Invalid \(name) \(UntrustedText.quoted(text)): expected 1 to 20 letters and digits such as BTC or USDT.")
            }
            return .string(asset)
        case .decimal:
            return .decimal(try positiveDecimal(text, name: name))
        case .quantity:
            if text.lowercased() == "all" { return .all }
            return .decimal(try positiveDecimal(text, name: name))
        case .integer(let minimum, let maximum):
            guard let value = Int64(text), value >= minimum, value <= maximum else {
                throw .validation("Invalid \(name) \(UntrustedText.quoted(text)): expected a whole number from \(minimum) to \(maximum).")
            }
            return .integer(value)
        case .boolean:
            switch text.lowercased() {
            case "true", "yes", "1": return .boolean(true)
            case "false", "no", "0": return .boolean(false)
            default: throw .validation("Invalid \(name) \(UntrustedText.quoted(text)): expected true or false.")
            }
        case .enumeration(let allowed):
            return .string(try enumeration(text, allowed: allowed, name: name))
        case .timestamp:
            return .integer(try timestamp(text, name: name))
        case .clientOrderID:
            guard (1...36).contains(text.utf8.count),
                text.utf8.allSatisfy({ isUpperAlphanumeric($0) || isLowerLetter($0) || $0 == 45 || $0 == 95 })
            else {
                throw .validation("Invalid \(name) \(UntrustedText.quoted(text)): expected 1 to 36 letters, digits, '-' or '_'.")
            }
            return .string(text)
        case .orderID:
            guard (1...19).contains(text.utf8.count), text.utf8.allSatisfy(isDigit), let value = Int64(text) else {
                throw .validation("Invalid \(name) \(UntrustedText.quoted(text)): expected an order id of 1 to 19 digits.")
            }
            return .integer(value)
        }
    }

    // MARK: - Rules

    /// Normalizes a trading pair: upper-cased, 2 to 20 ASCII letters and digits.
    package static func symbol(_ text: String) throws(ToolError) -> String {
        let symbol = text.uppercased()
        guard (2...20).contains(text.utf8.count), text.utf8.allSatisfy(isASCIIAlphanumeric) else {
            throw .validation(
                "Invalid symbol \(UntrustedText.quoted(text)): expected 2 to 20 letters and digits such as BTCUSDT, with no '/' or spaces."
            )
        }
        return symbol
    }

    /// Parses a decimal greater than zero in plain notation, with at most 20 digits on each side of the point
    /// (Binance's limit for every decimal parameter).
    ///
    /// Negative values, exponent notation (`1e-5`), `NaN`, infinity, commas and stray characters all get the
    /// same message, because each breaks the one rule it states.
    package static func positiveDecimal(_ text: String, name: String) throws(ToolError) -> Decimal {
        guard let value = DecimalText.parse(text) else {
            throw .validation("Invalid \(name) \(UntrustedText.quoted(text)): expected a positive decimal in plain notation such as 0.001.")
        }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        let integerDigits = parts[0].drop { $0 == "0" }.count
        let fractionDigits = parts.count > 1 ? parts[1].count : 0
        guard integerDigits <= 20, fractionDigits <= 20 else {
            throw .validation("Invalid \(name) \(UntrustedText.quoted(text)): expected at most 20 digits before and after the decimal point.")
        }
        guard value > 0 else {
            throw .validation("Invalid \(name) \(UntrustedText.quoted(text)): expected a value greater than zero.")
        }
        return value
    }

    /// Matches an enumeration value: an exact match first, then a match that ignores case when exactly one
    /// value fits (so `1m` and `1M` stay distinct kline intervals while `buy` means `BUY`).
    static func enumeration(_ text: String, allowed: [String], name: String) throws(ToolError) -> String {
        if allowed.contains(text) { return text }
        let matches = allowed.filter { $0.lowercased() == text.lowercased() }
        guard matches.count == 1 else {
            throw .validation("Invalid \(name) \(UntrustedText.quoted(text)): expected one of \(allowed.joined(separator: ", ")).")
        }
        return matches[0]
    }

    /// Parses milliseconds since the epoch or an ISO 8601 date. Values below 10^11 look like seconds and
    /// are rejected with the value in milliseconds as the suggestion.
    static func timestamp(_ text: String, name: String) throws(ToolError) -> Int64 {
        if !text.isEmpty, text.utf8.allSatisfy(isDigit) {
            guard text.utf8.count <= 16, let milliseconds = Int64(text) else {
                throw .validation("Invalid \(name) \(UntrustedText.quoted(text)): expected milliseconds since 1970-01-01 UTC.")
            }
            guard milliseconds >= 100_000_000_000 else {
                throw .validation(
                    "Invalid \(name) \(UntrustedText.quoted(text)): expected milliseconds since 1970-01-01 UTC; this looks like seconds, "
                        + "so write \(text)000."
                )
            }
            return milliseconds
        }
        guard let milliseconds = TimestampText.parseISO8601(text), milliseconds >= 0 else {
            throw .validation(
                "Invalid \(name) \(UntrustedText.quoted(text)): expected milliseconds since 1970-01-01 UTC or an ISO 8601 date "
                    + "such as 2024-01-31 or 2024-01-31T12:00:00Z."
            )
        }
        return milliseconds
    }

    static func checkTimeRange(_ arguments: ToolArguments, rawTexts: [String: String]) throws(ToolError) {
        guard let start = arguments.integer("start_time"), let end = arguments.integer("end_time") else { return }
        guard start < end else {
            let startText = rawTexts["start_time"] ?? String(start)
            let endText = rawTexts["end_time"] ?? String(end)
            throw .validation(
                "Invalid time range: start_time \(UntrustedText.quoted(startText)) must be earlier than end_time \(UntrustedText.quoted(endText))."
            )
        }
    }

    // MARK: - Helpers

    /// Returns the text of a scalar argument: a string as is, a number in plain notation, a boolean as `true`/`false`.
    static func scalarText(_ raw: JSONValue, name: String) throws(ToolError) -> String {
        switch raw {
        case .string(let value): return value
        case .number(let value): return DecimalText.format(value)
        case .bool(let value): return value ? "true" : "false"
        default:
            throw .validation("Invalid \(name) \(UntrustedText.quoted(raw.serialized())): expected a single value, not an array or object.")
        }
    }

    private static func isUpperAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= 65 && byte <= 90) || isDigit(byte)
    }

    /// Checks the text as typed, before upper-casing, because `ß` upper-cases to the ASCII `SS`.
    private static func isASCIIAlphanumeric(_ byte: UInt8) -> Bool {
        isUpperAlphanumeric(byte) || isLowerLetter(byte)
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 48 && byte <= 57 }

    private static func isLowerLetter(_ byte: UInt8) -> Bool { byte >= 97 && byte <= 122 }
}
