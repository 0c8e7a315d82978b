import Tools

/// The handshake-era session: which revision was negotiated, what the client can do, which log messages it wants.
///
/// Plain state with no I/O, so the lifecycle rules are tested directly.
package struct SessionState: Sendable {
    package enum Phase: Sendable, Equatable {
        case awaitingInitialize
        case initialized(revision: String)
    }

    package private(set) var phase: Phase = .awaitingInitialize
    /// The `capabilities` object of the client's `initialize` request.
    package private(set) var clientCapabilities: [String: JSONValue] = [:]
    /// The lowest level sent as `notifications/message`; `logging/setLevel` changes it.
    package var logLevel: MCPLogLevel = .notice
    package private(set) var isInitializedNotificationReceived = false

    package init() {}

    /// Methods a client may call on a handshake-era session.
    package static let methods: Set<String> = ["initialize", "ping", "tools/list", "tools/call", "logging/setLevel"]

    package var revision: String? {
        if case .initialized(let revision) = phase { return revision }
        return nil
    }

    /// Whether the client declared the `elicitation` capability (form mode, which an empty object also means).
    package var canElicit: Bool {
        guard let elicitation = clientCapabilities["elicitation"]?.objectValue else { return false }
        return elicitation.isEmpty || elicitation["form"] != nil
    }

    /// Returns the error for a request that may not run now, or nil when it may.
    package func admissionError(for method: String) -> JSONRPCError? {
        guard Self.methods.contains(method) else { return .methodNotFound(method) }
        switch (phase, method) {
        case (.awaitingInitialize, "initialize"), (_, "ping"):
            return nil
        case (.awaitingInitialize, _):
            return .invalidRequest("Server not initialized: send 'initialize' before '\(method)'.")
        case (.initialized, "initialize"):
            return .invalidRequest("Invalid request: the session is already initialized.")
        case (.initialized, _):
            return nil
        }
    }

    /// Handles an `initialize` request and returns the negotiated revision.
    package mutating func initialize(params: [String: JSONValue]) throws(JSONRPCError) -> String {
        guard let requested = params["protocolVersion"]?.stringValue else {
            throw .invalidParams("Invalid params: 'protocolVersion' must be a string such as '\(ProtocolRevision.latestHandshake)'.")
        }
        var capabilities: [String: JSONValue] = [:]
        if let value = params["capabilities"] {
            guard let object = value.objectValue else {
                throw .invalidParams("Invalid params: 'capabilities' must be an object.")
            }
            capabilities = object
        }
        let revision = ProtocolRevision.negotiate(requested: requested)
        phase = .initialized(revision: revision)
        clientCapabilities = capabilities
        return revision
    }

    package mutating func receiveInitializedNotification() {
        isInitializedNotificationReceived = true
    }
}
