import BinanceAPI
import Foundation

/// One member of a tool's result, read from a Binance payload. The same list of fields gives the tool's
/// `dataSchema` and turns the payload into the result, so the two cannot drift apart.
struct DataField: Sendable {
    enum Kind: Sendable {
        /// A decimal written as plain text without trailing zeros (`"0.00001"`).
        case decimal
        /// A 64-bit integer, such as an id or a time in milliseconds.
        case integer
        /// Text; a number in the payload is written as text.
        case string
        case boolean
        /// An array of strings, such as a symbol's order types.
        case strings
        /// Any JSON object, passed through unchanged.
        case object
    }

    var name: String
    var kind: Kind
    /// Key in the Binance payload; the same as `name` unless given.
    var source: String
    var isOptional: Bool

    init(_ name: String, _ kind: Kind, from source: String? = nil, optional: Bool = false) {
        self.name = name
        self.kind = kind
        self.source = source ?? name
        self.isOptional = optional
    }

    var schema: JSONValue {
        switch kind {
        case .decimal: return ["type": "string", "description": "decimal"]
        case .integer: return ["type": "integer"]
        case .string: return ["type": "string"]
        case .boolean: return ["type": "boolean"]
        case .strings: return ["type": "array", "items": ["type": "string"]]
        case .object: return ["type": "object"]
        }
    }
}

/// Builders of JSON Schemas and converters of Binance payloads into result data.
enum DataShape {
    static func object(_ fields: [DataField]) -> JSONValue {
        object(Dictionary(fields.map { ($0.name, $0.schema) }, uniquingKeysWith: { first, _ in first }),
               required: fields.filter { !$0.isOptional }.map(\.name))
    }

    static func object(_ properties: [String: JSONValue], required: [String]) -> JSONValue {
        .object([
            "type": "object",
            "properties": .object(properties),
            "required": .array(required.map { .string($0) }),
        ])
    }

    static func array(of items: JSONValue) -> JSONValue {
        ["type": "array", "items": items]
    }

    static let decimal: JSONValue = ["type": "string", "description": "decimal"]
    static let integer: JSONValue = ["type": "integer"]
    static let string: JSONValue = ["type": "string"]
    static let boolean: JSONValue = ["type": "boolean"]

    /// Picks `fields` out of a payload object, normalizing decimals to plain text and numbers to integers.
    /// - Throws: `internal_error` when the payload is not an object or lacks a required field.
    static func map(_ payload: JSONValue, _ fields: [DataField]) throws(ToolError) -> JSONValue {
        guard let members = payload.objectValue else {
            throw ToolError(.internalError, "Unexpected response: expected an object, got \(payload.serialized().prefix(200)).")
        }
        var output: [String: JSONValue] = [:]
        for field in fields {
            guard let raw = members[field.source], raw != .null, let value = convert(raw, to: field.kind) else {
                if field.isOptional { continue }
                throw ToolError(.internalError, "Unexpected response: the field '\(field.source)' is missing or malformed.")
            }
            output[field.name] = value
        }
        return .object(output)
    }

    /// Maps every element of a payload array with `map(_:_:)`.
    static func mapArray(_ payload: JSONValue, _ fields: [DataField]) throws(ToolError) -> [JSONValue] {
        guard let elements = payload.arrayValue else {
            throw ToolError(.internalError, "Unexpected response: expected an array, got \(payload.serialized().prefix(200)).")
        }
        var output: [JSONValue] = []
        output.reserveCapacity(elements.count)
        for element in elements {
            output.append(try map(element, fields))
        }
        return output
    }

    static func convert(_ raw: JSONValue, to kind: DataField.Kind) -> JSONValue? {
        switch kind {
        case .decimal:
            return decimalText(raw).map { .string($0) }
        case .integer:
            switch raw {
            case .number(let value): return .number(value)
            case .string(let text): return Int64(text).map { .int64($0) }
            default: return nil
            }
        case .string:
            switch raw {
            case .string: return raw
            case .number(let value): return .string(DecimalText.format(value))
            case .bool(let flag): return .string(flag ? "true" : "false")
            default: return nil
            }
        case .boolean:
            return raw.boolValue.map { .bool($0) }
        case .strings:
            guard let elements = raw.arrayValue else { return nil }
            return .array(elements.compactMap { $0.stringValue.map { .string($0) } })
        case .object:
            return raw.objectValue == nil ? nil : raw
        }
    }

    /// Writes a payload decimal (`"0.01000000"` or a number) as plain text without trailing zeros.
    static func decimalText(_ raw: JSONValue) -> String? {
        if case .string(let text) = raw, let plain = plainDecimalText(text) { return plain }
        return decimal(raw).map(DecimalText.format)
    }

    /// Returns the text `DecimalText.format` writes for the value of `text`, worked out on the characters.
    /// Leading zeros of the integer part, trailing zeros of the fraction and a bare point are dropped, and a
    /// zero loses its sign. Replies carry most decimals as such text, so this skips making a `Decimal`.
    /// - Returns: nil for text outside `-?digits(.digits)?` or with more than 18 digits; the caller then parses it.
    static func plainDecimalText(_ text: String) -> String? {
        var utf8Text = text
        let rewritten = utf8Text.withUTF8 { bytes -> PlainDecimal in
            let count = bytes.count
            guard count > 0, count <= 20 else { return .unsupported }
            let isNegative = bytes[0] == UInt8(ascii: "-")
            var index = isNegative ? 1 : 0
            let integerStart = index
            while index < count, bytes[index] &- UInt8(ascii: "0") < 10 { index += 1 }
            let integerEnd = index
            guard integerEnd > integerStart else { return .unsupported }
            var fractionStart = index
            var fractionEnd = index
            if index < count {
                guard bytes[index] == UInt8(ascii: ".") else { return .unsupported }
                index += 1
                fractionStart = index
                while index < count, bytes[index] &- UInt8(ascii: "0") < 10 { index += 1 }
                fractionEnd = index
                guard index == count, fractionEnd > fractionStart else { return .unsupported }
            }
            guard (integerEnd - integerStart) + (fractionEnd - fractionStart) <= 18 else { return .unsupported }

            var firstKept = integerStart
            while firstKept < integerEnd - 1, bytes[firstKept] == UInt8(ascii: "0") { firstKept += 1 }
            var lastKept = fractionEnd
            while lastKept > fractionStart, bytes[lastKept - 1] == UInt8(ascii: "0") { lastKept -= 1 }
            let hasZeroInteger = integerEnd - firstKept == 1 && bytes[firstKept] == UInt8(ascii: "0")
            if hasZeroInteger, lastKept == fractionStart { return .zero }
            if firstKept == integerStart, lastKept == fractionEnd { return .unchanged }

            var output = [UInt8]()
            output.reserveCapacity(count)
            if isNegative { output.append(UInt8(ascii: "-")) }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[firstKept..<integerEnd]))
            if lastKept > fractionStart {
                output.append(UInt8(ascii: "."))
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[fractionStart..<lastKept]))
            }
            return .rewritten(String(decoding: output, as: UTF8.self))
        }
        switch rewritten {
        case .unsupported: return nil
        case .zero: return "0"
        case .unchanged: return text
        case .rewritten(let plain): return plain
        }
    }

    private enum PlainDecimal {
        case unsupported
        case zero
        case unchanged
        case rewritten(String)
    }

    static func decimal(_ raw: JSONValue?) -> Decimal? {
        switch raw {
        case .string(let text)?: return DecimalText.parse(text, allowNegative: true)
        case .number(let value)?: return value
        default: return nil
        }
    }
}
