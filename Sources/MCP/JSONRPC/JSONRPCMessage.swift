import BinanceAPI
import Foundation
import Tools

/// A JSON-RPC request id: a string or an integer, never null.
package enum RequestID: Sendable, Hashable, CustomStringConvertible {
    case string(String)
    case integer(Decimal)

    /// Reads an id from its JSON form; nil for null, fractions, booleans, arrays and objects.
    package init?(json: JSONValue) {
        switch json {
        case .string(let text):
            self = .string(text)
        case .number(let number):
            guard !number.isNaN, Self.isWhole(number) else { return nil }
            self = .integer(number)
        default:
            return nil
        }
    }

    package var json: JSONValue {
        switch self {
        case .string(let text): return .string(text)
        case .integer(let number): return .number(number)
        }
    }

    package var description: String {
        switch self {
        case .string(let text): return text
        // Every call names its request id in its invocation, and `Decimal.description` is slow.
        case .integer(let number): return DecimalText.format(number)
        }
    }

    private static func isWhole(_ number: Decimal) -> Bool {
        var source = number
        var rounded = Decimal()
        NSDecimalRound(&rounded, &source, 0, .plain)
        return rounded == number
    }
}

/// A JSON-RPC error object.
package struct JSONRPCError: Error, Sendable, Equatable {
    package var code: Int
    package var message: String
    package var data: JSONValue?

    package init(code: Int, message: String, data: JSONValue? = nil) {
        self.code = code
        self.message = message
        self.data = data
    }

    package static let parseErrorCode = -32700
    package static let invalidRequestCode = -32600
    package static let methodNotFoundCode = -32601
    package static let invalidParamsCode = -32602
    package static let internalErrorCode = -32603
    /// The 2026-07-28 revision's `UnsupportedProtocolVersionError`.
    package static let unsupportedProtocolVersionCode = -32022

    package static func parseError(_ message: String) -> JSONRPCError {
        JSONRPCError(code: parseErrorCode, message: message)
    }

    package static func invalidRequest(_ message: String) -> JSONRPCError {
        JSONRPCError(code: invalidRequestCode, message: message)
    }

    package static func methodNotFound(_ method: String) -> JSONRPCError {
        JSONRPCError(code: methodNotFoundCode, message: "Method not found: \(UntrustedText.quoted(method)).")
    }

    package static func invalidParams(_ message: String) -> JSONRPCError {
        JSONRPCError(code: invalidParamsCode, message: message)
    }

    package static func internalError(_ message: String) -> JSONRPCError {
        JSONRPCError(code: internalErrorCode, message: message)
    }

    package var json: JSONValue {
        var members: [String: JSONValue] = ["code": .int(code), "message": .string(message)]
        if let data { members["data"] = data }
        return .object(members)
    }
}

/// Builders for the messages the server writes.
package enum JSONRPCMessage {
    package static func result(_ result: JSONValue, id: RequestID) -> JSONValue {
        .object(["jsonrpc": .string("2.0"), "id": id.json, "result": result])
    }

    /// An error response; `id` is nil when the request's id could not be read, which JSON-RPC writes as null.
    package static func error(_ error: JSONRPCError, id: RequestID?) -> JSONValue {
        .object(["jsonrpc": .string("2.0"), "id": id?.json ?? .null, "error": error.json])
    }

    package static func notification(_ method: String, params: JSONValue) -> JSONValue {
        .object(["jsonrpc": .string("2.0"), "method": .string(method), "params": params])
    }

    package static func request(_ method: String, params: JSONValue, id: RequestID) -> JSONValue {
        .object(["jsonrpc": .string("2.0"), "id": id.json, "method": .string(method), "params": params])
    }
}

/// One incoming message after the JSON-RPC envelope has been checked.
package enum IncomingMessage: Sendable, Equatable {
    case request(id: RequestID, method: String, params: [String: JSONValue])
    case notification(method: String, params: [String: JSONValue])
    /// A reply to a request the server sent (elicitation); carries `result` or `error`.
    case response(id: RequestID, result: JSONValue?, error: JSONValue?)
    /// Not a valid message. `id` is the request's id when it could be read; `isNotification` marks a message
    /// with a `method` and no `id`, which never gets a reply.
    case invalid(id: RequestID?, error: JSONRPCError, isNotification: Bool)

    /// Checks the envelope of one parsed JSON object.
    package static func classify(_ value: JSONValue) -> IncomingMessage {
        guard case .object(let members) = value else {
            return .invalid(id: nil, error: .invalidRequest("Invalid request: expected a JSON object."), isNotification: false)
        }
        let hasID = members["id"] != nil
        let id = members["id"].flatMap(RequestID.init(json:))
        // A message with a method and no id is a notification, even a broken one, and never gets a reply.
        let isNotification = !hasID && members["method"] != nil

        if members["method"] == nil, hasID, members["result"] != nil || members["error"] != nil {
            guard let id else {
                return .invalid(id: nil, error: .invalidRequest("Invalid response: 'id' must be a string or an integer."),
                                isNotification: true)
            }
            return .response(id: id, result: members["result"], error: members["error"])
        }
        guard members["jsonrpc"] == .string("2.0") else {
            return .invalid(id: id, error: .invalidRequest("Invalid request: 'jsonrpc' must be \"2.0\"."),
                            isNotification: isNotification)
        }
        guard let methodValue = members["method"] else {
            return .invalid(id: id, error: .invalidRequest("Invalid request: missing 'method'."), isNotification: isNotification)
        }
        guard case .string(let method) = methodValue else {
            return .invalid(id: id, error: .invalidRequest("Invalid request: 'method' must be a string."),
                            isNotification: isNotification)
        }
        if hasID, id == nil {
            return .invalid(
                id: nil,
                error: .invalidRequest("Invalid request: 'id' must be a string or an integer, not \(members["id"]!.serialized())."),
                isNotification: false
            )
        }
        let params: [String: JSONValue]
        switch members["params"] {
        case nil, .null?:
            params = [:]
        case .object(let object)?:
            params = object
        default:
            return .invalid(id: id, error: .invalidParams("Invalid params: expected a JSON object."), isNotification: isNotification)
        }
        if let id { return .request(id: id, method: method, params: params) }
        return .notification(method: method, params: params)
    }
}
