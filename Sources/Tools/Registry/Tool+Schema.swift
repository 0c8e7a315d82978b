/// JSON Schemas derived from a tool's definition. MCP's `tools/list` and the tests use these, so the
/// schema a client sees and the rules the decoder applies come from the same parameters.
extension Tool {
    /// The MCP `inputSchema`: one property per parameter, the required ones listed, nothing else allowed.
    ///
    /// Decimal parameters accept a JSON number or a string, because a string keeps every digit of a price.
    package var inputSchema: JSONValue {
        var properties: [String: JSONValue] = [:]
        for parameter in parameters {
            properties[parameter.name] = parameter.jsonSchema
        }
        let required = parameters.filter(\.isRequired).map { JSONValue.string($0.name) }
        var schema: [String: JSONValue] = [
            "type": "object",
            "properties": .object(properties),
            "additionalProperties": false,
        ]
        if !required.isEmpty { schema["required"] = .array(required) }
        return .object(schema)
    }

    /// The MCP `outputSchema`: the whole result object, `{"success": true, "data": …}` on success and
    /// `{"success": false, "error": {…}}` on failure.
    package var outputSchema: JSONValue {
        .object([
            "type": "object",
            "properties": .object([
                "success": ["type": "boolean"],
                "data": dataSchema,
                "error": ToolResult.errorSchema,
            ]),
            "required": ["success"],
        ])
    }
}

extension ToolResult {
    /// Schema of the `error` member of a failed result.
    package static let errorSchema: JSONValue = [
        "type": "object",
        "properties": [
            "type": ["type": "string", "enum": .array(ToolErrorType.allCases.map { .string($0.rawValue) })],
            "message": ["type": "string"],
            "code": ["type": "integer"],
            "hint": ["type": "string"],
            "timestamp": ["type": "integer"],
        ],
        "required": ["type", "message", "timestamp"],
    ]
}

extension ToolParameter {
    /// The JSON Schema of this parameter's value, with its summary as the description.
    package var jsonSchema: JSONValue {
        var schema = kind.jsonSchema
        var description = summary
        if let defaultValue {
            description += " Default: \(defaultValue)."
            schema["default"] = kind.schemaValue(of: defaultValue)
        }
        schema["description"] = .string(description)
        return .object(schema)
    }
}

extension ParameterKind {
    var jsonSchema: [String: JSONValue] {
        switch self {
        case .string:
            return ["type": "string"]
        case .symbol:
            return ["type": "string", "pattern": "^[A-Za-z0-9]{2,20}$"]
        case .asset:
            return ["type": "string", "pattern": "^[A-Za-z0-9]{1,20}$"]
        case .decimal:
            return ["type": ["string", "number"], "pattern": "^[0-9]{1,20}(\\.[0-9]{1,20})?$"]
        case .quantity:
            return ["type": ["string", "number"], "pattern": "^([0-9]{1,20}(\\.[0-9]{1,20})?|[Aa][Ll][Ll])$"]
        case .integer(let minimum, let maximum):
            return ["type": "integer", "minimum": .int(minimum), "maximum": .int(maximum)]
        case .boolean:
            return ["type": "boolean"]
        case .enumeration(let values):
            return ["type": "string", "enum": .array(values.map { .string($0) })]
        case .timestamp:
            return ["type": ["integer", "string"]]
        case .clientOrderID:
            return ["type": "string", "pattern": "^[a-zA-Z0-9_-]{1,36}$"]
        case .orderID:
            return ["type": ["integer", "string"], "pattern": "^[0-9]{1,20}$"]
        }
    }

    /// A default value written the way the schema types it.
    func schemaValue(of text: String) -> JSONValue {
        switch self {
        case .integer:
            return Int(text).map { .int($0) } ?? .string(text)
        case .boolean:
            return .bool(text == "true")
        default:
            return .string(text)
        }
    }
}
