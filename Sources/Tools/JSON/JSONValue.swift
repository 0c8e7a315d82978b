import BinanceAPI
import Foundation

/// A JSON value. Numbers are `Decimal`, so prices and 64-bit ids survive a round trip exactly.
package enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(Decimal)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    package static func int(_ value: Int) -> JSONValue { .number(Decimal(value)) }
    package static func int64(_ value: Int64) -> JSONValue { .number(Decimal(value)) }

    package subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    package var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    package var objectValue: [String: JSONValue]? {
        if case .object(let members) = self { return members }
        return nil
    }

    package var arrayValue: [JSONValue]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    package var boolValue: Bool? {
        if case .bool(let flag) = self { return flag }
        return nil
    }

    package var decimalValue: Decimal? {
        if case .number(let number) = self { return number }
        return nil
    }
}

extension JSONValue: Codable {
    package init(from decoder: any Decoder) throws {
        // Each failed attempt throws, which is slow, so the kinds are tried in the order exchange responses use
        // them most: strings, numbers, objects. A JSON value decodes as exactly one of these kinds.
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let text = try? container.decode(String.self) {
            self = .string(text)
        } else if let number = try? container.decode(Decimal.self) {
            self = .number(number)
        } else if let flag = try? container.decode(Bool.self) {
            self = .bool(flag)
        } else if let members = try? container.decode([String: JSONValue].self) {
            self = .object(members)
        } else {
            self = .array(try container.decode([JSONValue].self))
        }
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let flag): try container.encode(flag)
        case .number(let number): try container.encode(number)
        case .string(let text): try container.encode(text)
        case .array(let elements): try container.encode(elements)
        case .object(let members): try container.encode(members)
        }
    }
}

extension JSONValue {
    /// Parses one JSON document.
    package static func parse(_ data: Data) throws -> JSONValue {
        if let value = parseDirectly(data) { return value }
        return try JSONDecoder().decode(JSONValue.self, from: data)
    }

    /// Writes compact JSON on one line with object keys sorted, numbers in plain notation and
    /// every control character escaped.
    package func serialized() -> String {
        var output = ""
        write(to: &output)
        return output
    }

    /// The members of an object as `"key":value` texts in key order, each written as `serialized()` writes it.
    /// Joined with commas inside braces they are the object's serialization, so a caller can add a member
    /// without serializing the others again (the audit log inserts each record's hash this way).
    package static func serializedMembers(_ members: [String: JSONValue]) -> [(key: String, text: String)] {
        members.keys.sorted().map { key in
            var text = ""
            writeString(key, to: &text)
            text += ":"
            members[key]!.write(to: &text)
            return (key, text)
        }
    }

    private func write(to output: inout String) {
        switch self {
        case .null:
            output += "null"
        case .bool(let flag):
            output += flag ? "true" : "false"
        case .number(let number):
            output += number.isNaN ? "null" : DecimalText.format(number)
        case .string(let text):
            Self.writeString(text, to: &output)
        case .array(let elements):
            output += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { output += "," }
                element.write(to: &output)
            }
            output += "]"
        case .object(let members):
            output += "{"
            for (index, key) in members.keys.sorted().enumerated() {
                if index > 0 { output += "," }
                Self.writeString(key, to: &output)
                output += ":"
                members[key]!.write(to: &output)
            }
            output += "}"
        }
    }

    private static func writeString(_ text: String, to output: inout String) {
        output += "\""
        // Most strings need no escape, and appending them whole is several times faster than scalar by scalar.
        // 0xE2 starts U+2028 and U+2029 in UTF-8, so strings with it take the scalar path below.
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C || $0 == 0x7F || $0 == 0xE2 }) {
            output += text
            output += "\""
            return
        }
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case "\u{2028}": output += "\\u2028"
            case "\u{2029}": output += "\\u2029"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let hex = String(scalar.value, radix: 16)
                    output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        output += "\""
    }
}
