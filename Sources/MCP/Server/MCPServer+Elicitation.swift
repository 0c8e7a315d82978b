import Foundation
import Tools

/// How a request the server sent to the client ended.
enum OutgoingReply: Sendable {
    case result(JSONValue)
    case error(JSONValue)
    /// No answer will come: the call was cancelled, the wait timed out or the server is shutting down.
    case abandoned
}

extension MCPServer {
    /// Sends `elicitation/create` for an order confirmation and waits for the client's answer.
    func requestConfirmation(_ request: ConfirmationRequest, callID: RequestID) async -> ConfirmationDecision {
        guard !isShuttingDown, let call = calls[callID], !call.isCancelled else { return .cancelled }
        let outgoingID = RequestID.string("binance-shell-\(nextOutgoingNumber)")
        nextOutgoingNumber += 1
        let params = ConfirmationForm.elicitationParams(
            for: request,
            venue: engine.services.venue,
            includesMode: (session.revision ?? ProtocolRevision.latestHandshake) >= "2025-11-25"
        )
        let timeout = options.confirmationTimeout

        let reply = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<OutgoingReply, Never>) in
                pendingReplies[outgoingID] = continuation
                output.send(JSONRPCMessage.request("elicitation/create", params: params, id: outgoingID))
                Task { [weak self] in
                    try? await Task.sleep(for: timeout)
                    await self?.resolveOutgoing(id: outgoingID, with: .abandoned)
                }
            }
        } onCancel: {
            Task { [weak self] in await self?.resolveOutgoing(id: outgoingID, with: .abandoned) }
        }

        switch reply {
        case .result(let result):
            let decision = ConfirmationForm.decision(fromElicitResult: result)
            logger.info("Order confirmation answered", [
                "mcp.request_id": callID.description, "mcp.decision": String(describing: decision),
            ])
            return decision
        case .error:
            return .unavailable(
                reason: "The MCP client could not show the order confirmation, so nothing was placed. "
                    + "Use an MCP client that supports elicitation, or place the order from the binance-shell shell."
            )
        case .abandoned:
            return .cancelled
        }
    }

    func receiveResponse(id: RequestID, result: JSONValue?, error: JSONValue?) {
        if let result {
            resolveOutgoing(id: id, with: .result(result))
        } else {
            resolveOutgoing(id: id, with: .error(error ?? .null))
        }
    }

    func resolveOutgoing(id: RequestID, with reply: OutgoingReply) {
        guard let continuation = pendingReplies.removeValue(forKey: id) else {
            if case .abandoned = reply { return }
            logger.debug("Ignored a response to no pending request", ["mcp.request_id": id.description])
            return
        }
        continuation.resume(returning: reply)
    }
}

/// Confirms orders of a handshake session by asking the person through the client's `elicitation/create`.
struct ElicitationConfirmer: OrderConfirmer {
    let server: MCPServer
    let callID: RequestID

    func confirm(_ request: ConfirmationRequest) async -> ConfirmationDecision {
        await server.requestConfirmation(request, callID: callID)
    }
}

/// Answers every confirmation with `.unavailable`, for clients that cannot show a confirmation.
struct UnavailableConfirmer: OrderConfirmer {
    static let noElicitationReason =
        "This MCP client cannot ask you to confirm orders because it did not declare the 'elicitation' capability. "
        + "Use an MCP client with elicitation (form mode) support, or place the order from the binance-shell shell."

    let reason: String

    func confirm(_ request: ConfirmationRequest) async -> ConfirmationDecision {
        .unavailable(reason: reason)
    }
}
