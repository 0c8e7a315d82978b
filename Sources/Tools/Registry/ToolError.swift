import Foundation

/// The error `type` values of a failed result, as they appear on the wire.
package enum ToolErrorType: String, Sendable, CaseIterable {
    case validationError = "validation_error"
    case filterViolation = "filter_violation"
    case rateLimitExceeded = "rate_limit_exceeded"
    case binanceAPIError = "binance_api_error"
    case networkError = "network_error"
    case orderStatusUnknown = "order_status_unknown"
    case tradingDisabled = "trading_disabled"
    case confirmationRequired = "confirmation_required"
    case confirmationDeclined = "confirmation_declined"
    case configurationError = "configuration_error"
    case internalError = "internal_error"
    case notFound = "not_found"
    case cancelled = "cancelled"
}

/// A tool failure that becomes `{"success": false, "error": {…}}`.
package struct ToolError: Error, Sendable, Equatable {
    package var type: ToolErrorType
    /// What went wrong, naming the value in single quotes, and what to do next. Never contains a secret.
    package var message: String
    /// Binance's error code, when the exchange rejected the request.
    package var code: Int?
    /// A plain suggestion for the next step.
    package var hint: String?
    /// Extra structured detail, such as nearest valid values or the wait time.
    package var details: [String: JSONValue]

    package init(_ type: ToolErrorType, _ message: String, code: Int? = nil, hint: String? = nil,
                 details: [String: JSONValue] = [:]) {
        self.type = type
        self.message = message
        self.code = code
        self.hint = hint
        self.details = details
    }

    package static func validation(_ message: String, hint: String? = nil) -> ToolError {
        ToolError(.validationError, message, hint: hint)
    }
}

/// The result of one invocation: the same object is MCP's `structuredContent` and the shell's `--json` line.
package struct ToolResult: Sendable, Equatable {
    package var isSuccess: Bool
    /// `{"success": true, "data": …}` or `{"success": false, "error": {"type", "message", "code"?, "hint"?, "timestamp"}}`.
    package var structured: JSONValue

    package static func success(_ data: JSONValue) -> ToolResult {
        ToolResult(isSuccess: true, structured: .object(["success": .bool(true), "data": data]))
    }

    package static func failure(_ error: ToolError, at date: Date = Date()) -> ToolResult {
        var members: [String: JSONValue] = [
            "type": .string(error.type.rawValue),
            "message": .string(error.message),
            "timestamp": .int64(Int64((date.timeIntervalSince1970 * 1000).rounded())),
        ]
        if let code = error.code { members["code"] = .int(code) }
        if let hint = error.hint { members["hint"] = .string(hint) }
        for (key, value) in error.details where members[key] == nil { members[key] = value }
        return ToolResult(isSuccess: false, structured: .object(["success": .bool(false), "error": .object(members)]))
    }

    /// The `data` member of a success.
    package var data: JSONValue? { structured["data"] }
    /// The `error` member of a failure.
    package var error: JSONValue? { structured["error"] }
}
