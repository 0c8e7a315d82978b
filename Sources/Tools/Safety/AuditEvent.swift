import Foundation

/// The `type` of an audit event, as written in the log.
package enum AuditEventType: String, Sendable, CaseIterable {
    /// One tool invocation and its outcome.
    case toolInvocation = "tool_invocation"
    /// An invocation whose arguments were invalid, or that named an unknown tool.
    case validationError = "validation_error"
    /// An invocation refused by the invocation rate limit.
    case rateLimitExceeded = "rate_limit_exceeded"
    /// An order's intent, written and synced to disk before the order request is sent.
    case orderSubmitted = "order_submitted"
    /// A human accepted an order on a real-money venue.
    case orderConfirmed = "order_confirmed"
    /// A human declined an order, or no human could be asked.
    case orderDeclined = "order_declined"
    /// New orders for a symbol are paused after repeated identical rejections.
    case ordersPaused = "orders_paused"
    /// The kill switch was set.
    case tradingHalted = "trading_halted"
    /// The kill switch was cleared.
    case tradingResumed = "trading_resumed"
    /// The configuration was read and checked at start.
    case configurationValidated = "configuration_validated"
    /// A problem with the credentials that does not stop the program, such as a `.env` file others can read.
    case credentialWarning = "credential_warning"
    /// An order intent without an outcome was reported at start, so the user can look the order up. The
    /// intent is not reported again after this event.
    case intentReported = "intent_reported"
    /// The first record of a new log file after rotation; it carries the previous file's last hash.
    case logRotated = "log_rotated"
}

/// One audit event before it is chained: what happened, where it came from and how it ended.
package struct AuditEvent: Sendable, Equatable {
    package var type: AuditEventType
    package var time: Date
    /// JSON-RPC id or the shell's line number.
    package var requestID: String?
    /// The way in: shell, script or mcp; nil for events of the program itself.
    package var origin: Origin?
    package var tool: String?
    /// Arguments as given, redacted before writing.
    package var arguments: JSONValue?
    /// `success`, `error`, `pending`, `accepted`, `declined` and the like.
    package var outcome: String?
    /// The `type` of the tool error, for failed invocations.
    package var errorType: String?
    package var errorMessage: String?
    package var latencyMilliseconds: Int?
    package var venue: Venue?
    /// Ties an order's intent to the outcome of the same invocation.
    package var invocationID: String?
    /// Event-specific members, such as the order intent or the previous file of a rotation.
    package var details: [String: JSONValue]

    package init(
        _ type: AuditEventType,
        time: Date = Date(),
        requestID: String? = nil,
        origin: Origin? = nil,
        tool: String? = nil,
        arguments: JSONValue? = nil,
        outcome: String? = nil,
        errorType: String? = nil,
        errorMessage: String? = nil,
        latencyMilliseconds: Int? = nil,
        venue: Venue? = nil,
        invocationID: String? = nil,
        details: [String: JSONValue] = [:]
    ) {
        self.type = type
        self.time = time
        self.requestID = requestID
        self.origin = origin
        self.tool = tool
        self.arguments = arguments
        self.outcome = outcome
        self.errorType = errorType
        self.errorMessage = errorMessage
        self.latencyMilliseconds = latencyMilliseconds
        self.venue = venue
        self.invocationID = invocationID
        self.details = details
    }

    /// The event's members without `seq`, `prev_hash` and `hash`; absent values are left out.
    package var members: [String: JSONValue] {
        var members: [String: JSONValue] = [
            "type": .string(type.rawValue),
            "time": .string(AuditTimestamp.format(time)),
        ]
        if let requestID { members["request_id"] = .string(requestID) }
        if let origin { members["origin"] = .string(origin.rawValue) }
        if let tool { members["tool"] = .string(tool) }
        if let arguments { members["arguments"] = arguments }
        if let outcome { members["outcome"] = .string(outcome) }
        if let errorType { members["error_type"] = .string(errorType) }
        if let errorMessage { members["error_message"] = .string(errorMessage) }
        if let latencyMilliseconds { members["latency_ms"] = .int(latencyMilliseconds) }
        if let venue { members["venue"] = .string(venue.rawValue) }
        if let invocationID { members["invocation_id"] = .string(invocationID) }
        if !details.isEmpty { members["details"] = .object(details) }
        return members
    }
}

/// UTC timestamps with milliseconds, such as `2026-12-04T15:43:22.123Z`.
package enum AuditTimestamp {
    package static func format(_ date: Date) -> String {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        let seconds = time_t(milliseconds / 1000)
        var parts = tm()
        var copy = seconds
        gmtime_r(&copy, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return pad(parts.tm_year + 1900, 4) + "-" + pad(parts.tm_mon + 1, 2) + "-" + pad(parts.tm_mday, 2) + "T"
            + pad(parts.tm_hour, 2) + ":" + pad(parts.tm_min, 2) + ":" + pad(parts.tm_sec, 2) + "."
            + pad(Int32(milliseconds % 1000), 3) + "Z"
    }
}
