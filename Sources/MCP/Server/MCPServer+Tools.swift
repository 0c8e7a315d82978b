import BinanceAPI
import Foundation
import Tools

extension MCPServer {
    /// How a `tools/call` arrived.
    enum CallMode {
        /// On the handshake session: confirmations use `elicitation/create` requests.
        case session
        /// A stateless 2026-07-28 request: confirmations use an `input_required` result and a sealed request state.
        case stateless(capabilities: [String: JSONValue], logLevel: MCPLogLevel?)
    }

    func listTools(id: RequestID, params: [String: JSONValue], revision: String, isStateless: Bool) -> Reply {
        let tools = engine.tools
        var offset = 0
        if let cursorValue = params["cursor"], cursorValue != .null {
            guard let cursor = cursorValue.stringValue,
                let decoded = ToolListCursor.decode(cursor, toolCount: tools.count)
            else {
                return .now(JSONRPCMessage.error(
                    .invalidParams("Invalid cursor \(cursorValue.serialized()): pass a nextCursor from an earlier tools/list."),
                    id: id
                ))
            }
            offset = decoded
        }
        let end = min(offset + max(options.toolsPageSize, 1), tools.count)
        var result: [String: JSONValue] = [
            "tools": .array(tools[offset..<end].map { ToolDescriptor.json(for: $0, revision: revision) })
        ]
        if end < tools.count {
            result["nextCursor"] = .string(ToolListCursor.encode(offset: end))
        }
        if isStateless {
            result["ttlMs"] = .int(300_000)
            result["cacheScope"] = .string("private")
            result = statelessResult(result)
        }
        return .now(JSONRPCMessage.result(.object(result), id: id))
    }

    func callTool(id: RequestID, params: [String: JSONValue], mode: CallMode) -> Reply {
        guard !isShuttingDown else {
            return .now(JSONRPCMessage.error(.invalidRequest("Invalid request: the server is shutting down."), id: id))
        }
        guard let name = params["name"]?.stringValue else {
            return .now(JSONRPCMessage.error(.invalidParams("Invalid params: 'name' must be a tool name string."), id: id))
        }
        var arguments: [String: JSONValue] = [:]
        switch params["arguments"] {
        case nil, .null?:
            break
        case .object(let object)?:
            arguments = object
        case let other?:
            return .now(JSONRPCMessage.error(
                .invalidParams("Invalid params: 'arguments' must be an object, not \(UntrustedText.quoted(other.serialized()))."),
                id: id
            ))
        }
        guard let tool = engine.tool(named: name) else {
            return .now(JSONRPCMessage.error(
                .invalidParams("Unknown tool \(UntrustedText.quoted(name)): call tools/list for the available tools."),
                id: id
            ))
        }
        guard calls[id] == nil else {
            return .now(JSONRPCMessage.error(
                .invalidRequest("Invalid request: id \(id.json.serialized()) belongs to a call that is still running."),
                id: id
            ))
        }

        let progressToken = params["_meta"]?["progressToken"].flatMap { token -> JSONValue? in
            RequestID(json: token) == nil ? nil : token
        }
        let confirmer: any OrderConfirmer
        let statelessConfirmer: StatelessConfirmer?
        let revision: String
        var call = Call(toolName: name, isReadOnly: tool.annotations.readOnly, progressToken: progressToken, isStateless: false)
        switch mode {
        case .session:
            revision = session.revision ?? ProtocolRevision.latestHandshake
            statelessConfirmer = nil
            if session.canElicit {
                confirmer = ElicitationConfirmer(server: self, callID: id)
            } else {
                confirmer = UnavailableConfirmer(reason: UnavailableConfirmer.noElicitationReason)
            }
        case .stateless(let capabilities, let logLevel):
            revision = ProtocolRevision.stateless.last!
            call.isStateless = true
            call.statelessLogLevel = logLevel
            let stateless = StatelessConfirmer(
                sealer: stateSealer,
                binding: RequestStateSealer.binding(tool: name, arguments: arguments),
                canElicit: StatelessConfirmer.canElicit(capabilities: capabilities),
                inputResponses: params["inputResponses"]?.objectValue,
                requestState: params["requestState"]?.stringValue
            )
            statelessConfirmer = stateless
            confirmer = stateless
        }

        // A client that passed a progress token sees rate-limit waits as progress, so its calls may wait; others
        // fail at once with the wait time.
        var progress: (@Sendable (String) -> Void)?
        var waitPolicy = WaitPolicy.failFast
        if progressToken != nil {
            let server = self
            progress = { message in
                Task { await server.sendProgress(callID: id, message: message) }
            }
            waitPolicy = .wait(maximumSeconds: options.maximumRateLimitWaitSeconds)
        }
        let invocation = Invocation(
            origin: .mcp,
            requestID: id.description,
            waitPolicy: waitPolicy,
            confirmer: confirmer,
            progress: progress
        )
        let engine = self.engine
        // Outside a batch the call writes its reply in the same actor step that removes it, so no other task has to
        // wait for it, and shutdown counts the call as running until its reply is written.
        let sendsReply = !isHandlingBatch
        // A call that starts while no other runs prefers `taskExecutor` (the stdin thread in `MCPEntryPoint`), which
        // saves thread hand-offs. Calls that overlap run on the global pool, where they can use every core and get
        // a fair share of a busy machine. The task cannot finish before `calls[id]` is set below, because finishing
        // needs this actor.
        let preferredExecutor = calls.isEmpty ? taskExecutor : nil
        let task = Task<JSONValue?, Never>(executorPreference: preferredExecutor) { [self] in
            let result = await engine.invoke(name, arguments: arguments, invocation: invocation)
            return await completeCall(
                id: id,
                tool: tool,
                result: result,
                revision: revision,
                statelessConfirmer: statelessConfirmer,
                sendsReply: sendsReply
            )
        }
        call.task = task
        calls[id] = call
        logger.debug("Tool call started", ["mcp.request_id": id.description, "mcp.tool": name])
        return .later(task)
    }

    /// Removes a finished call and, with `sendsReply`, sends its response and returns nil. Without it, returns the
    /// response for the batch to send.
    private func completeCall(
        id: RequestID,
        tool: Tool,
        result: ToolResult,
        revision: String,
        statelessConfirmer: StatelessConfirmer?,
        sendsReply: Bool
    ) -> JSONValue? {
        let message = finishCall(
            id: id,
            tool: tool,
            result: result,
            revision: revision,
            statelessConfirmer: statelessConfirmer
        )
        guard sendsReply else { return message }
        if let message { output.send(message) }
        return nil
    }

    /// Removes a finished call and returns its response, or nil when the call was cancelled by the client or by
    /// SIGTERM. A call cancelled at end of input returns its result like any other.
    func finishCall(
        id: RequestID,
        tool: Tool,
        result: ToolResult,
        revision: String,
        statelessConfirmer: StatelessConfirmer?
    ) -> JSONValue? {
        guard let call = calls.removeValue(forKey: id) else { return nil }
        let outcome = result.isSuccess ? "success" : (result.error?["type"]?.stringValue ?? "error")
        if call.isCancelled, !call.repliesAfterCancellation {
            let isUnknown = result.error?["type"]?.stringValue == ToolErrorType.orderStatusUnknown.rawValue
            if !tool.annotations.readOnly, isUnknown {
                logger.warning("A cancelled call may have changed the account", [
                    "mcp.request_id": id.description, "mcp.tool": tool.name,
                ])
                guard !call.isStateless else { return nil }
                let detail = [result.error?["message"]?.stringValue, result.error?["hint"]?.stringValue]
                    .compactMap { $0 }.joined(separator: " ")
                sendLogMessage(.warning, .object([
                    "event": .string("cancelled_call_outcome_unknown"),
                    "message": .string(
                        "Request \(id.description) (\(tool.name)) was cancelled while its request was on its way, so the "
                            + "exchange may have accepted it. \(detail)"
                    ),
                    "requestId": id.json,
                    "tool": .string(tool.name),
                ]), call: call)
            } else if !tool.annotations.readOnly, result.isSuccess {
                logger.warning("A cancelled call had already changed the account", [
                    "mcp.request_id": id.description, "mcp.tool": tool.name,
                ])
                // A stateless request gets no message at all once cancelled, so only sessions hear of this.
                guard !call.isStateless else { return nil }
                sendLogMessage(.warning, .object([
                    "event": .string("cancelled_call_completed"),
                    "message": .string(
                        "Request \(id.description) (\(tool.name)) was cancelled after the exchange had accepted it; the change was not undone."
                    ),
                    "requestId": id.json,
                    "tool": .string(tool.name),
                ]), call: call)
            }
            return nil
        }
        if let statelessConfirmer {
            switch statelessConfirmer.outcome {
            case .none:
                break
            case .inputRequired(let request):
                return JSONRPCMessage.result(inputRequiredResult(for: request, confirmer: statelessConfirmer), id: id)
            case .invalidState:
                return JSONRPCMessage.error(
                    .invalidParams("Invalid requestState: it is expired, already used, or belongs to a different call."),
                    id: id
                )
            }
        }

        logger.debug("Tool call finished", ["mcp.request_id": id.description, "mcp.tool": tool.name, "mcp.outcome": outcome])
        sendLogMessage(result.isSuccess ? .debug : .info, .object([
            "event": .string("tool_call"),
            "requestId": id.json,
            "tool": .string(tool.name),
            "outcome": .string(outcome),
        ]), call: call)

        var members: [String: JSONValue] = [
            "content": .array([.object(["type": .string("text"), "text": .string(result.structured.serialized())])]),
            "isError": .bool(!result.isSuccess),
        ]
        if ProtocolRevision.hasStructuredContent(revision) {
            members["structuredContent"] = result.structured
        }
        if call.isStateless { members = statelessResult(members) }
        return JSONRPCMessage.result(.object(members), id: id)
    }

    /// Sends `notifications/progress` for a call that is still running, with a count that rises on every message.
    func sendProgress(callID: RequestID, message: String) {
        guard var call = calls[callID], !call.isCancelled, let token = call.progressToken else { return }
        call.progressCount += 1
        calls[callID] = call
        output.send(JSONRPCMessage.notification(
            "notifications/progress",
            params: .object([
                "progressToken": token,
                "progress": .int(call.progressCount),
                "message": .string(message),
            ])
        ))
    }
}
