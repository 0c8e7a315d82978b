import BinanceAPI
import Foundation

/// Validated, normalized arguments of one invocation (symbols upper-cased, decimals parsed, enums upper-cased).
package struct ToolArguments: Sendable, Equatable {
    package enum Value: Sendable, Equatable {
        case string(String)
        case decimal(Decimal)
        case integer(Int64)
        case boolean(Bool)
        /// The word `all` given for a quantity.
        case all
    }

    package private(set) var values: [String: Value]

    package init(_ values: [String: Value] = [:]) { self.values = values }

    package subscript(name: String) -> Value? {
        get { values[name] }
        set { values[name] = newValue }
    }

    package func string(_ name: String) -> String? {
        if case .string(let text) = values[name] { return text }
        return nil
    }

    package func decimal(_ name: String) -> Decimal? {
        if case .decimal(let number) = values[name] { return number }
        return nil
    }

    package func integer(_ name: String) -> Int64? {
        if case .integer(let number) = values[name] { return number }
        return nil
    }

    package func boolean(_ name: String) -> Bool? {
        if case .boolean(let flag) = values[name] { return flag }
        return nil
    }

    /// The arguments as JSON, for the audit log and previews.
    package var json: JSONValue {
        .object(values.mapValues { value in
            switch value {
            case .string(let text): return .string(text)
            case .decimal(let number): return .string(DecimalText.format(number))
            case .integer(let number): return .int64(number)
            case .boolean(let flag): return .bool(flag)
            case .all: return .string("all")
            }
        })
    }
}
