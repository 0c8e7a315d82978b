import Tools

/// The form-mode elicitation that shows an order preview and asks for one boolean, `confirm`.
package enum ConfirmationForm {
    package static let fieldName = "confirm"

    /// Builds the `elicitation/create` params. `mode` exists from revision 2025-11-25 on, so older sessions get
    /// the form without it.
    package static func elicitationParams(
        for request: ConfirmationRequest,
        venue: Venue,
        includesMode: Bool = true
    ) -> JSONValue {
        var params = fields(for: request, venue: venue)
        if includesMode { params["mode"] = .string("form") }
        return .object(params)
    }

    private static func fields(for request: ConfirmationRequest, venue: Venue) -> [String: JSONValue] {
        [
            "message": .string("Confirm this order on venue '\(venue.rawValue)':\n\(request.summary)"),
            "requestedSchema": .object([
                "type": .string("object"),
                "properties": .object([
                    fieldName: .object([
                        "type": .string("boolean"),
                        "title": .string("Place this order"),
                        "description": .string("Choose true to send the order exactly as shown; false sends nothing."),
                        "default": .bool(false),
                    ])
                ]),
                "required": .array([.string(fieldName)]),
            ]),
        ]
    }

    /// Reads an `ElicitResult`: accept with `confirm: true` accepts; accept without it, and decline, decline.
    package static func decision(fromElicitResult result: JSONValue) -> ConfirmationDecision {
        switch result["action"]?.stringValue {
        case "accept":
            return result["content"]?[fieldName] == .bool(true) ? .accepted : .declined
        case "decline":
            return .declined
        case "cancel":
            return .cancelled
        default:
            return .unavailable(reason: "The MCP client sent an elicitation answer without a known 'action'; nothing was placed.")
        }
    }
}
