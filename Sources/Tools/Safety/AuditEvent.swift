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

/// An event's members as the audit log writes them: redacted, bounded, and serialized where they are JSON.
/// `seq`, `prev_hash`, `hash` and `v` are added when the record is chained.
struct AuditRecordFields {
    var type: String
    var time: String
    /// Serialized JSON.
    var arguments: String?
    /// Serialized JSON object.
    var details: String?
    var errorMessage: String?
    var errorType: String?
    var invocationID: String?
    var latencyMilliseconds: Int64?
    var origin: String?
    var outcome: String?
    var requestID: String?
    var tool: String?
    var venue: String?

    init(type: String, time: String) {
        self.type = type
        self.time = time
    }
}

/// UTC timestamps with milliseconds, such as `2026-12-04T15:43:22.123Z`.
package enum AuditTimestamp {
    package static func format(_ date: Date) -> String {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        // Floor division, so times before 1970 keep a millisecond part from 0 to 999.
        var seconds = time_t(milliseconds / 1000)
        var fraction = milliseconds % 1000
        if fraction < 0 {
            seconds -= 1
            fraction += 1000
        }
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let year = Int(parts.tm_year) + 1900
        // Years 0 to 9999 fill the fixed 24-byte layout, which is written in place in one string.
        guard (0...9999).contains(year) else { return formatWide(parts, fraction: fraction) }
        return String(unsafeUninitializedCapacity: 24) { buffer in
            // Writes `value` as `width` digits with leading zeros at `offset`, then `separator`.
            func put(_ value: Int, width: Int, at offset: Int, then separator: UInt8) {
                var rest = value
                for position in stride(from: offset + width - 1, through: offset, by: -1) {
                    buffer[position] = UInt8(ascii: "0") + UInt8(rest % 10)
                    rest /= 10
                }
                buffer[offset + width] = separator
            }
            put(year, width: 4, at: 0, then: UInt8(ascii: "-"))
            put(Int(parts.tm_mon) + 1, width: 2, at: 5, then: UInt8(ascii: "-"))
            put(Int(parts.tm_mday), width: 2, at: 8, then: UInt8(ascii: "T"))
            put(Int(parts.tm_hour), width: 2, at: 11, then: UInt8(ascii: ":"))
            put(Int(parts.tm_min), width: 2, at: 14, then: UInt8(ascii: ":"))
            put(Int(parts.tm_sec), width: 2, at: 17, then: UInt8(ascii: "."))
            put(Int(fraction), width: 3, at: 20, then: UInt8(ascii: "Z"))
            return 24
        }
    }

    /// Formats a time whose year has more than four digits, with the year written in full.
    private static func formatWide(_ parts: tm, fraction: Int64) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        // Writes a non-negative value with leading zeros up to `width` digits, then the separator.
        func append(_ value: Int64, width: Int, then separator: UInt8) {
            let start = bytes.count
            var rest = value
            repeat {
                bytes.append(UInt8(ascii: "0") + UInt8(rest % 10))
                rest /= 10
            } while rest > 0 || bytes.count - start < width
            bytes[start...].reverse()
            bytes.append(separator)
        }
        append(Int64(parts.tm_year) + 1900, width: 4, then: UInt8(ascii: "-"))
        append(Int64(parts.tm_mon) + 1, width: 2, then: UInt8(ascii: "-"))
        append(Int64(parts.tm_mday), width: 2, then: UInt8(ascii: "T"))
        append(Int64(parts.tm_hour), width: 2, then: UInt8(ascii: ":"))
        append(Int64(parts.tm_min), width: 2, then: UInt8(ascii: ":"))
        append(Int64(parts.tm_sec), width: 2, then: UInt8(ascii: "."))
        append(fraction, width: 3, then: UInt8(ascii: "Z"))
        return String(decoding: bytes, as: UTF8.self)
    }
}
