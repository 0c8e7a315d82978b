import Foundation
import Tools

/// A small JSON Schema checker for tests. It covers the keywords the tools' schemas use: `type` (a name or a
/// list of names), `properties`, `required`, `additionalProperties: false`, `items`, `enum`, `minimum` and
/// `maximum`. Other keywords are ignored.
package enum ToolsSchemaChecker {
    /// Returns one line per violation, each starting with the JSON path of the offending value; empty when
    /// `value` conforms to `schema`.
    package static func violations(of value: JSONValue, against schema: JSONValue, path: String = "$") -> [String] {
        guard let rules = schema.objectValue else { return ["\(path): the schema is not an object"] }
        var found: [String] = []

        if let type = rules["type"] {
            let names = type.arrayValue?.compactMap(\.stringValue) ?? [type.stringValue].compactMap { $0 }
            if !names.contains(where: { matches(value, typeName: $0) }) {
                found.append("\(path): expected type \(names.joined(separator: " or ")), got \(value.serialized().prefix(80))")
                return found
            }
        }
        if let allowed = rules["enum"]?.arrayValue, !allowed.contains(value) {
            found.append("\(path): \(value.serialized()) is not one of \(JSONValue.array(allowed).serialized())")
        }
        if let number = value.decimalValue {
            if let minimum = rules["minimum"]?.decimalValue, number < minimum {
                found.append("\(path): \(number) is below the minimum \(minimum)")
            }
            if let maximum = rules["maximum"]?.decimalValue, number > maximum {
                found.append("\(path): \(number) is above the maximum \(maximum)")
            }
        }
        if let members = value.objectValue {
            let properties = rules["properties"]?.objectValue ?? [:]
            for name in rules["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] where members[name] == nil {
                found.append("\(path): the required member '\(name)' is missing")
            }
            for (name, member) in members.sorted(by: { $0.key < $1.key }) {
                if let memberSchema = properties[name] {
                    found += violations(of: member, against: memberSchema, path: "\(path).\(name)")
                } else if rules["additionalProperties"] == .bool(false) {
                    found.append("\(path): the member '\(name)' is not allowed")
                }
            }
        }
        if let elements = value.arrayValue, let itemSchema = rules["items"] {
            for (index, element) in elements.enumerated() {
                found += violations(of: element, against: itemSchema, path: "\(path)[\(index)]")
            }
        }
        return found
    }

    /// Returns problems that make `schema` unusable as an MCP input or output schema: a root that is not of
    /// type object, or a `required` name that has no property.
    package static func structuralProblems(of schema: JSONValue, path: String = "$") -> [String] {
        var found: [String] = []
        guard let rules = schema.objectValue else { return ["\(path): not an object"] }
        let knownTypes: Set<String> = ["object", "array", "string", "number", "integer", "boolean", "null"]
        if let type = rules["type"] {
            let names = type.arrayValue?.compactMap(\.stringValue) ?? [type.stringValue].compactMap { $0 }
            if names.isEmpty || !names.allSatisfy(knownTypes.contains) {
                found.append("\(path): invalid type \(type.serialized())")
            }
        }
        let properties = rules["properties"]?.objectValue ?? [:]
        for name in rules["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] where properties[name] == nil {
            found.append("\(path): required '\(name)' has no property")
        }
        for (name, property) in properties.sorted(by: { $0.key < $1.key }) {
            found += structuralProblems(of: property, path: "\(path).\(name)")
        }
        if let items = rules["items"] { found += structuralProblems(of: items, path: "\(path)[]") }
        return found
    }

    static func matches(_ value: JSONValue, typeName: String) -> Bool {
        switch (typeName, value) {
        case ("object", .object), ("array", .array), ("string", .string), ("boolean", .bool), ("null", .null),
            ("number", .number):
            return true
        case ("integer", .number(let number)):
            var source = number
            var whole = Decimal()
            NSDecimalRound(&whole, &source, 0, .plain)
            return whole == number
        default:
            return false
        }
    }
}
