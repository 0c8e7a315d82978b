import Foundation
import Tools

extension MCPServer {
    /// Serves a request of the stateless 2026-07-28 revision: no handshake, version and capabilities in `_meta`.
    ///
    /// Offered here: `server/discover`, `tools/list`, `tools/call` (with order confirmation through an
    /// `input_required` result) and per-request log levels. Requests of this kind never change the handshake session.
    func handleStatelessRequest(
        id: RequestID,
        method: String,
        params: [String: JSONValue],
        meta: [String: JSONValue]
    ) -> Reply {
        guard let version = meta[MetaKey.protocolVersion]?.stringValue else {
            return .now(JSONRPCMessage.error(
                .invalidParams("Invalid params: '_meta.\(MetaKey.protocolVersion)' must be a string."),
                id: id
            ))
        }
        guard ProtocolRevision.stateless.contains(version) else {
            return .now(JSONRPCMessage.error(
                JSONRPCError(
                    code: JSONRPCError.unsupportedProtocolVersionCode,
                    message: "Unsupported protocol version '\(version)'.",
                    data: .object([
                        "supported": .array(ProtocolRevision.all.map { .string($0) }),
                        "requested": .string(version),
                    ])
                ),
                id: id
            ))
        }
        guard let capabilities = meta[MetaKey.clientCapabilities]?.objectValue else {
            return .now(JSONRPCMessage.error(
                .invalidParams("Invalid params: '_meta.\(MetaKey.clientCapabilities)' must be an object."),
                id: id
            ))
        }
        var logLevel: MCPLogLevel?
        if let levelValue = meta[MetaKey.logLevel] {
            guard let level = levelValue.stringValue.flatMap(MCPLogLevel.init(rawValue:)) else {
                let names = MCPLogLevel.allCases.map(\.rawValue).joined(separator: ", ")
                return .now(JSONRPCMessage.error(
                    .invalidParams("Invalid log level \(levelValue.serialized()): expected one of \(names)."),
                    id: id
                ))
            }
            logLevel = level
        }

        switch method {
        case "server/discover":
            var result = serverDescription(revision: version)
            result["supportedVersions"] = .array(ProtocolRevision.all.map { .string($0) })
            result["ttlMs"] = .int(300_000)
            result["cacheScope"] = .string("private")
            return .now(JSONRPCMessage.result(.object(statelessResult(result)), id: id))
        case "tools/list":
            return listTools(id: id, params: params, revision: version, isStateless: true)
        case "tools/call":
            return callTool(id: id, params: params, mode: .stateless(capabilities: capabilities, logLevel: logLevel))
        default:
            return .now(JSONRPCMessage.error(.methodNotFound(method), id: id))
        }
    }

    /// Adds the members every stateless result carries: `resultType` and the server's identity in `_meta`.
    func statelessResult(_ members: [String: JSONValue]) -> [String: JSONValue] {
        var members = members
        if members["resultType"] == nil { members["resultType"] = .string("complete") }
        members["_meta"] = .object([MetaKey.serverInfo: serverInfo])
        return members
    }

    /// The `input_required` result that asks the client to show an order confirmation and call again.
    func inputRequiredResult(for request: ConfirmationRequest, confirmer: StatelessConfirmer) -> JSONValue {
        let state = stateSealer.seal(binding: confirmer.binding)
        return .object(statelessResult([
            "resultType": .string("input_required"),
            "inputRequests": .object([
                StatelessConfirmer.inputKey: .object([
                    "method": .string("elicitation/create"),
                    "params": ConfirmationForm.elicitationParams(for: request, venue: engine.services.venue),
                ])
            ]),
            "requestState": .string(state),
        ]))
    }
}
