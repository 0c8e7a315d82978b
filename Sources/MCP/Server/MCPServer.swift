import BinanceAPI
import Foundation
import Tools

/// The MCP server: reads JSON-RPC messages, runs requests concurrently and writes replies to one sink.
///
/// Speaks the handshake revisions (2024-11-05 to 2025-11-25) after an `initialize` request. A request whose `_meta`
/// names a protocol version is served statelessly under 2026-07-28, and both kinds can share one process.
package actor MCPServer {
    /// The outcome of one message: no reply, a reply now, or a reply once a task finishes.
    enum Reply {
        case none
        case now(JSONValue)
        /// A running call. Inside a batch its task returns the reply, or nil when cancelled. Outside a batch the
        /// task sends the reply itself and returns nil.
        case later(Task<JSONValue?, Never>)
    }

    /// One `tools/call` in flight.
    struct Call {
        var task: Task<JSONValue?, Never>?
        var toolName: String
        var isReadOnly: Bool
        var progressToken: JSONValue?
        var progressCount = 0
        var isCancelled = false
        /// Set for calls cancelled at end of input: they still send their result (success, or `cancelled`), so
        /// every request read before end of input gets a reply.
        var repliesAfterCancellation = false
        /// Stateless calls: the `_meta` log level the request opted in to; nil sends no log messages.
        var statelessLogLevel: MCPLogLevel?
        var isStateless: Bool
    }

    let engine: ToolEngine
    let output: any MessageSink
    let logger: Logger
    let options: MCPServerOptions
    let stateSealer: RequestStateSealer
    /// The executor that a tool call prefers when no other call is running, or nil for the global pool.
    let taskExecutor: (any TaskExecutor)?

    var session = SessionState()
    var calls: [RequestID: Call] = [:]
    var pendingReplies: [RequestID: CheckedContinuation<OutgoingReply, Never>] = [:]
    var nextOutgoingNumber = 1
    /// Replies of batches that are not yet handed to the sink; shutdown waits for them.
    var pendingDeliveries = 0
    /// True while the elements of a batch are handled: their calls return their replies to the batch, and other
    /// calls send their own when they finish.
    var isHandlingBatch = false
    package private(set) var isShuttingDown = false
    private var isTerminating = false

    /// How many `tools/call` requests are running, cancelled ones included until they end.
    package var runningCallCount: Int { calls.count }

    /// - Parameter taskExecutor: the executor a tool call prefers when no other call is running. Overlapping calls,
    ///   and every call when it is nil, run on the global pool.
    package init(
        engine: ToolEngine,
        output: any MessageSink,
        logger: Logger = .disabled,
        options: MCPServerOptions,
        taskExecutor: (any TaskExecutor)? = nil
    ) {
        self.engine = engine
        self.output = output
        self.logger = logger
        self.options = options
        self.taskExecutor = taskExecutor
        self.stateSealer = RequestStateSealer(lifetime: options.confirmationStateLifetime)
    }

    /// Serves every line of `input`, then shuts down (see `shutDown(drainingReadOnlyCalls:)`).
    ///
    /// End of input drains read-only calls and cancels the others, and every request read gets a reply, so a client
    /// that writes its requests and closes stdin still gets every result. After `beginTermination()` every call is
    /// cancelled at once and cancelled calls send nothing.
    package func serve(_ input: AsyncStream<InputLine>) async {
        for await line in input {
            receive(line)
        }
        await shutDown(drainingReadOnlyCalls: !isTerminating)
    }

    /// Marks the coming end of input as a termination (SIGTERM): no call is drained. During a drain that has
    /// already begun, every call is cancelled at once.
    package func beginTermination() {
        isTerminating = true
        guard isShuttingDown else { return }
        cancelCalls(replying: false) { _ in true }
    }

    /// Handles one line of input.
    package func receive(_ input: InputLine) {
        guard !isShuttingDown else { return }
        switch input {
        case .oversized(let byteCount):
            logger.warning("Dropped an oversized message", ["mcp.bytes": String(byteCount)])
            output.send(JSONRPCMessage.error(
                .invalidRequest("Invalid request: the message has \(byteCount) bytes, more than the limit of \(LineReader.defaultMaximumLineLength)."),
                id: nil
            ))
        case .line(let bytes):
            switch FrameDecoder.decode(bytes) {
            case .blank:
                return
            case .failure(let error):
                logger.debug("Rejected a message", ["mcp.error": String(error.code)])
                output.send(JSONRPCMessage.error(error, id: nil))
            case .message(.array(let elements)):
                receiveBatch(elements)
            case .message(let message):
                deliver(handle(message))
            }
        }
    }

    /// Stops the server: reads no more requests, withdraws pending order confirmations (so no order starts) and
    /// cancels running calls. With `drainingReadOnlyCalls` (end of input), read-only calls get the drain period to
    /// finish, and cancelled calls still send their result: the tool's own outcome, often a `cancelled` error, or
    /// success when the exchange had already accepted the change. Without it (SIGTERM or a direct stop), cancelled
    /// calls send nothing. Returns once every call has ended and its reply is written, or the periods have passed.
    package func shutDown(drainingReadOnlyCalls: Bool = false) async {
        guard !isShuttingDown else { return }
        isShuttingDown = true
        for (_, continuation) in pendingReplies {
            continuation.resume(returning: .abandoned)
        }
        pendingReplies.removeAll()

        let replying = drainingReadOnlyCalls && !isTerminating
        cancelCalls(replying: replying) { call in !drainingReadOnlyCalls || !call.isReadOnly }
        await waitForCalls(upTo: options.drainPeriod)
        cancelCalls(replying: replying && !isTerminating) { _ in true }
        await waitForCalls(upTo: options.cancellationGracePeriod)
        if !calls.isEmpty {
            logger.warning("Calls still running at shutdown", ["mcp.calls": String(calls.count)])
        }
        await output.flush()
    }

    private func cancelCalls(replying: Bool, where shouldCancel: (Call) -> Bool) {
        for (id, call) in calls where shouldCancel(call) {
            // A call the client cancelled never replies; SIGTERM also silences calls cancelled at end of input.
            if call.isCancelled {
                if !replying { calls[id]?.repliesAfterCancellation = false }
                continue
            }
            calls[id]?.isCancelled = true
            calls[id]?.repliesAfterCancellation = replying
            call.task?.cancel()
        }
    }

    private func waitForCalls(upTo period: Duration) async {
        let deadline = ContinuousClock.now + period
        while !calls.isEmpty || pendingDeliveries > 0, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
    }

    // MARK: - Dispatch

    private func deliver(_ reply: Reply) {
        switch reply {
        case .none:
            return
        case .now(let message):
            output.send(message)
        case .later:
            // A call outside a batch sends its reply itself when it finishes (see `callTool`).
            return
        }
    }

    private func receiveBatch(_ elements: [JSONValue]) {
        guard let revision = session.revision, ProtocolRevision.acceptsBatches(revision) else {
            output.send(JSONRPCMessage.error(
                .invalidRequest("Invalid request: batches (JSON arrays) are not supported on this protocol revision."),
                id: nil
            ))
            return
        }
        guard !elements.isEmpty else {
            output.send(JSONRPCMessage.error(.invalidRequest("Invalid request: the batch is empty."), id: nil))
            return
        }
        isHandlingBatch = true
        let replies = elements.map { handle($0) }
        isHandlingBatch = false
        pendingDeliveries += 1
        Task {
            var messages: [JSONValue] = []
            for reply in replies {
                switch reply {
                case .none: break
                case .now(let message): messages.append(message)
                case .later(let task): if let message = await task.value { messages.append(message) }
                }
            }
            if !messages.isEmpty { output.send(.array(messages)) }
            pendingDeliveries -= 1
        }
    }

    func handle(_ message: JSONValue) -> Reply {
        switch IncomingMessage.classify(message) {
        case .invalid(let id, let error, let isNotification):
            if isNotification {
                logger.debug("Ignored an invalid notification", ["mcp.error": error.message])
                return .none
            }
            return .now(JSONRPCMessage.error(error, id: id))
        case .response(let id, let result, let error):
            receiveResponse(id: id, result: result, error: error)
            return .none
        case .notification(let method, let params):
            receiveNotification(method: method, params: params)
            return .none
        case .request(let id, let method, let params):
            return handleRequest(id: id, method: method, params: params)
        }
    }

    private func handleRequest(id: RequestID, method: String, params: [String: JSONValue]) -> Reply {
        if method != "initialize", let meta = params["_meta"]?.objectValue, meta[MetaKey.protocolVersion] != nil {
            return handleStatelessRequest(id: id, method: method, params: params, meta: meta)
        }
        if method == "server/discover" {
            return .now(JSONRPCMessage.error(
                .invalidParams(
                    "Invalid params: 'server/discover' needs '_meta' with '\(MetaKey.protocolVersion)' and '\(MetaKey.clientCapabilities)'."
                ),
                id: id
            ))
        }
        if let error = session.admissionError(for: method) {
            return .now(JSONRPCMessage.error(error, id: id))
        }
        switch method {
        case "initialize":
            return initialize(id: id, params: params)
        case "ping":
            return .now(JSONRPCMessage.result(.object([:]), id: id))
        case "tools/list":
            return listTools(id: id, params: params, revision: session.revision ?? ProtocolRevision.latestHandshake,
                             isStateless: false)
        case "tools/call":
            return callTool(id: id, params: params, mode: .session)
        case "logging/setLevel":
            return setLogLevel(id: id, params: params)
        default:
            return .now(JSONRPCMessage.error(.methodNotFound(method), id: id))
        }
    }

    private func receiveNotification(method: String, params: [String: JSONValue]) {
        switch method {
        case "notifications/initialized":
            session.receiveInitializedNotification()
        case "notifications/cancelled":
            guard let id = params["requestId"].flatMap(RequestID.init(json:)) else {
                logger.debug("Ignored a cancellation without a usable requestId")
                return
            }
            cancelCall(id: id, reason: params["reason"]?.stringValue)
        default:
            logger.debug("Ignored a notification", ["mcp.method": method])
        }
    }

    private func cancelCall(id: RequestID, reason: String?) {
        guard var call = calls[id], !call.isCancelled else {
            logger.debug("Cancellation names no running call", ["mcp.request_id": id.description])
            return
        }
        call.isCancelled = true
        call.task?.cancel()
        calls[id] = call
        logger.info("Cancelled a tool call", ["mcp.request_id": id.description, "mcp.tool": call.toolName])
    }

    // MARK: - Lifecycle

    private func initialize(id: RequestID, params: [String: JSONValue]) -> Reply {
        let revision: String
        do {
            revision = try session.initialize(params: params)
        } catch {
            return .now(JSONRPCMessage.error(error, id: id))
        }
        logger.info("MCP session initialized", [
            "mcp.protocol_version": revision,
            "mcp.client": params["clientInfo"]?["name"]?.stringValue ?? "unknown",
        ])
        var result = serverDescription(revision: revision)
        result["protocolVersion"] = .string(revision)
        result["serverInfo"] = serverInfo
        return .now(JSONRPCMessage.result(.object(result), id: id))
    }

    /// `capabilities` and `instructions`, shared by `initialize` and `server/discover`.
    func serverDescription(revision: String) -> [String: JSONValue] {
        [
            "capabilities": .object([
                "tools": .object(["listChanged": .bool(false)]),
                "logging": .object([:]),
            ]),
            "instructions": .string(instructions),
        ]
    }

    var serverInfo: JSONValue {
        .object([
            "name": .string(options.name),
            "title": .string(options.title),
            "version": .string(options.version),
        ])
    }

    var instructions: String {
        let venue = engine.services.venue
        let venueText: String
        switch venue {
        case .sim: venueText = "the built-in simulated exchange (paper balances, no real money)"
        case .testnet: venueText = "Binance's spot testnet (test funds)"
        case .live: venueText = "Binance with real money"
        case .custom: venueText = "a custom Binance-compatible endpoint set by BINANCE_BASE_URL"
        }
        return """
            Tools for Binance spot market data and one trading account. Venue: \(venue.rawValue), \(venueText). \
            Tools marked read-only never change anything. Tools that place or cancel orders check the symbol's \
            exchange rules first and may ask the user to confirm; on a real-money venue every order needs that \
            confirmation. Prices and quantities are decimal strings such as "0.001". A failed call returns a \
            result with isError true and an error object with type, message and often a hint.
            """
    }

    private func setLogLevel(id: RequestID, params: [String: JSONValue]) -> Reply {
        guard let text = params["level"]?.stringValue, let level = MCPLogLevel(rawValue: text) else {
            let names = MCPLogLevel.allCases.map(\.rawValue).joined(separator: ", ")
            let shown = params["level"].map { $0.serialized() } ?? "nothing"
            return .now(JSONRPCMessage.error(.invalidParams("Invalid log level \(shown): expected one of \(names)."), id: id))
        }
        session.logLevel = level
        return .now(JSONRPCMessage.result(.object([:]), id: id))
    }

    /// Sends `notifications/message` when the session asked for messages of this level. `data` must hold nothing
    /// secret: tool names, request ids and error types only.
    func sendLogMessage(_ level: MCPLogLevel, _ data: JSONValue, call: Call? = nil) {
        if let call, call.isStateless {
            guard let wanted = call.statelessLogLevel, level >= wanted else { return }
        } else {
            guard session.revision != nil, level >= session.logLevel else { return }
        }
        output.send(JSONRPCMessage.notification(
            "notifications/message",
            params: .object(["level": .string(level.rawValue), "logger": .string(options.name), "data": data])
        ))
    }
}
