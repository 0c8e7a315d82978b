import Foundation
import Tools

/// The `tools/list` entry of a tool: name, title, description, schemas and annotations.
package enum ToolDescriptor {
    /// Builds the listing entry; `outputSchema` appears only on revisions that have structured results.
    package static func json(for tool: Tool, revision: String) -> JSONValue {
        var members: [String: JSONValue] = [
            "name": .string(tool.name),
            "title": .string(tool.title),
            "description": .string(tool.summary),
            "inputSchema": inputSchema(for: tool),
            "annotations": .object([
                "readOnlyHint": .bool(tool.annotations.readOnly),
                "destructiveHint": .bool(tool.annotations.destructive),
                "idempotentHint": .bool(tool.annotations.idempotent),
                "openWorldHint": .bool(tool.annotations.openWorld),
            ]),
        ]
        if ProtocolRevision.hasStructuredContent(revision) {
            members["outputSchema"] = outputSchema(for: tool)
        }
        return .object(members)
    }

    // TODO: switch to `Tool.inputSchema` and `Tool.outputSchema` once the tool registry provides them, so the
    // shell and MCP share one derivation.

    /// JSON Schema (2020-12) of the `arguments` object: one property per parameter, no others allowed.
    package static func inputSchema(for tool: Tool) -> JSONValue {
        var properties: [String: JSONValue] = [:]
        for parameter in tool.parameters {
            properties[parameter.name] = propertySchema(for: parameter)
        }
        var schema: [String: JSONValue] = [
            "type": .string("object"),
            "properties": .object(properties),
            "additionalProperties": .bool(false),
        ]
        let required = tool.parameters.filter(\.isRequired).map { JSONValue.string($0.name) }
        if !required.isEmpty { schema["required"] = .array(required) }
        return .object(schema)
    }

    /// JSON Schema of the result object `{"success": true, "data": …}` or `{"success": false, "error": {…}}`.
    package static func outputSchema(for tool: Tool) -> JSONValue {
        let dataSchema: JSONValue = tool.dataSchema.objectValue == nil ? .object([:]) : tool.dataSchema
        let errorSchema: JSONValue = .object([
            "type": .string("object"),
            "properties": .object([
                "type": .object([
                    "type": .string("string"),
                    "enum": .array(ToolErrorType.allCases.map { .string($0.rawValue) }),
                ]),
                "message": .object(["type": .string("string")]),
                "code": .object(["type": .string("integer")]),
                "hint": .object(["type": .string("string")]),
                "timestamp": .object([
                    "type": .string("integer"),
                    "description": .string("Milliseconds since 1970-01-01 UTC."),
                ]),
            ]),
            "required": .array([.string("type"), .string("message"), .string("timestamp")]),
        ])
        return .object([
            "type": .string("object"),
            "properties": .object([
                "success": .object(["type": .string("boolean")]),
                "data": dataSchema,
                "error": errorSchema,
            ]),
            "required": .array([.string("success")]),
        ])
    }

    static func propertySchema(for parameter: ToolParameter) -> JSONValue {
        var schema: [String: JSONValue]
        switch parameter.kind {
        case .string:
            schema = ["type": .string("string")]
        case .symbol:
            schema = ["type": .string("string"), "pattern": .string("^[A-Za-z0-9]{2,20}$")]
        case .asset:
            schema = ["type": .string("string"), "pattern": .string("^[A-Za-z0-9]{1,20}$")]
        case .decimal:
            schema = [
                "type": .array([.string("string"), .string("number")]),
                "pattern": .string("^[0-9]+(\\.[0-9]+)?$"),
            ]
        case .quantity:
            schema = [
                "type": .array([.string("string"), .string("number")]),
                "pattern": .string("^([0-9]+(\\.[0-9]+)?|[Aa][Ll][Ll])$"),
            ]
        case .integer(let minimum, let maximum):
            schema = ["type": .string("integer"), "minimum": .int(minimum), "maximum": .int(maximum)]
        case .boolean:
            schema = ["type": .string("boolean")]
        case .enumeration(let allowed):
            schema = ["type": .string("string"), "enum": .array(allowed.map { .string($0) })]
        case .timestamp:
            schema = ["type": .string("integer"), "minimum": .int(0)]
        case .clientOrderID:
            schema = ["type": .string("string"), "pattern": .string("^[a-zA-Z0-9_-]{1,36}$")]
        case .orderID:
            schema = ["type": .string("integer"), "minimum": .int(0)]
        }
        var description = parameter.summary
        if case .timestamp = parameter.kind, !description.contains("millisecond") {
            description += " (milliseconds since 1970-01-01 UTC)"
        }
        schema["description"] = .string(description)
        if let defaultValue = parameter.defaultValue, let typed = typedDefault(defaultValue, kind: parameter.kind) {
            schema["default"] = typed
        }
        return .object(schema)
    }

    /// The default as a JSON value of the parameter's type; nil when the text does not fit that type.
    private static func typedDefault(_ text: String, kind: ParameterKind) -> JSONValue? {
        switch kind {
        case .integer, .timestamp, .orderID:
            return Int64(text).map { .int64($0) }
        case .boolean:
            switch text.lowercased() {
            case "true": return .bool(true)
            case "false": return .bool(false)
            default: return nil
            }
        case .enumeration(let allowed):
            return allowed.first { $0.uppercased() == text.uppercased() }.map { .string($0) }
        default:
            return .string(text)
        }
    }
}
