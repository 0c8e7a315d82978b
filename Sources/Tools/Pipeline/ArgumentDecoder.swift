import BinanceAPI
import Foundation

/// Checks raw arguments (strings from the shell, JSON values from MCP) against a tool's parameters and
/// normalizes them.
package enum ArgumentDecoder {
    package static func decode(_ arguments: [String: JSONValue], for tool: Tool) throws(ToolError) -> ToolArguments {
        var decoded = ToolArguments()
        for name in arguments.keys.sorted() where tool.parameter(named: name) == nil {
            let known = tool.parameters.map(\.name).joined(separator: ", ")
            throw .validation(
                "Unknown parameter '\(name)' for \(tool.name).",
                hint: known.isEmpty ? "\(tool.name) takes no parameters." : "Known parameters: \(known)."
            )
        }
        for parameter in tool.parameters {
            guard let raw = arguments[parameter.name], raw != .null else {
                if parameter.isRequired {
                    throw .validation("Missing required parameter '\(parameter.name)' for \(tool.name).")
                }
                continue
            }
            decoded[parameter.name] = try decodeValue(raw, as: parameter)
        }
        return decoded
    }

    static func decodeValue(_ raw: JSONValue, as parameter: ToolParameter) throws(ToolError) -> ToolArguments.Value {
        let text: String
        switch raw {
        case .string(let value): text = value
        case .number(let value): text = value.description
        case .bool(let value): text = value ? "true" : "false"
        default:
            throw .validation("Invalid \(parameter.name): expected a single value, got \(raw.serialized()).")
        }
        let name = parameter.name
        switch parameter.kind {
        case .string:
            return .string(text)
        case .symbol:
            let symbol = text.uppercased()
            guard symbol.count >= 2, symbol.count <= 20, symbol.utf8.allSatisfy(isUpperAlphanumeric) else {
                throw .validation(
                    "Invalid symbol '\(text)': expected 2 to 20 letters and digits such as BTCUSDT, with no '/' or spaces."
                )
            }
            return .string(symbol)
        case .asset:
            let asset = text.uppercased()
            guard asset.count >= 1, asset.count <= 20, asset.utf8.allSatisfy(isUpperAlphanumeric) else {
                throw .validation("Invalid \(name) '\(text)': expected an asset name such as BTC or USDT.")
            }
            return .string(asset)
        case .decimal, .quantity:
            if parameter.kind == .quantity, text.lowercased() == "all" { return .all }
            guard let value = DecimalText.parse(text), value > 0 else {
                throw .validation(
                    "Invalid \(name) '\(text)': expected a positive decimal in plain notation such as 0.001."
                )
            }
            return .decimal(value)
        case .integer(let minimum, let maximum):
            guard let value = Int64(text), value >= minimum, value <= maximum else {
                throw .validation("Invalid \(name) '\(text)': expected a whole number from \(minimum) to \(maximum).")
            }
            return .integer(value)
        case .boolean:
            switch text.lowercased() {
            case "true", "yes", "1": return .boolean(true)
            case "false", "no", "0": return .boolean(false)
            default: throw .validation("Invalid \(name) '\(text)': expected true or false.")
            }
        case .enumeration(let allowed):
            let upper = text.uppercased()
            guard let match = allowed.first(where: { $0.uppercased() == upper }) else {
                throw .validation("Invalid \(name) '\(text)': expected one of \(allowed.joined(separator: ", ")).")
            }
            return .string(match)
        case .timestamp:
            guard let milliseconds = Int64(text), milliseconds >= 0 else {
                throw .validation("Invalid \(name) '\(text)': expected milliseconds since 1970-01-01 UTC.")
            }
            return .integer(milliseconds)
        case .clientOrderID:
            guard (1...36).contains(text.utf8.count),
                text.utf8.allSatisfy({ isUpperAlphanumeric($0) || isLowerLetter($0) || $0 == 45 || $0 == 95 })
            else {
                throw .validation("Invalid \(name) '\(text)': expected 1 to 36 letters, digits, '-' or '_'.")
            }
            return .string(text)
        case .orderID:
            guard let value = Int64(text), value >= 0 else {
                throw .validation("Invalid \(name) '\(text)': expected a numeric order id.")
            }
            return .integer(value)
        }
    }

    private static func isUpperAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= 65 && byte <= 90) || (byte >= 48 && byte <= 57)
    }

    private static func isLowerLetter(_ byte: UInt8) -> Bool { byte >= 97 && byte <= 122 }
}
