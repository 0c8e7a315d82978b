/// Which way in an invocation came from. Audit events, rate limits and confirmation depend on it.
package enum Origin: String, Sendable, CaseIterable {
    /// A person at the interactive shell.
    case shell
    /// Script mode: piped stdin or `-c`.
    case script
    /// The MCP server.
    case mcp
}

/// What to do when the exchange's rate limit would be exceeded.
package enum WaitPolicy: Sendable, Equatable {
    /// Wait up to the given number of seconds, reporting progress, then fail.
    case wait(maximumSeconds: Int)
    /// Fail at once with `rate_limit_exceeded` and the wait time.
    case failFast
}

/// A question to a human before a state-changing call, with the preview to show.
package struct ConfirmationRequest: Sendable {
    /// One or more lines a person can read: venue, side, quantity, price, notional.
    package var summary: String
    /// The structured preview (the `preview_order` data).
    package var preview: JSONValue

    package init(summary: String, preview: JSONValue) {
        self.summary = summary
        self.preview = preview
    }
}

/// The human's answer.
package enum ConfirmationDecision: Sendable, Equatable {
    case accepted
    case declined
    case cancelled
    /// No human can be asked on this way in (a script without `--yes`, an MCP client without elicitation).
    case unavailable(reason: String)
}

/// Asks a human to confirm an order. The shell prompts, scripts read `--yes`, MCP uses elicitation.
package protocol OrderConfirmer: Sendable {
    func confirm(_ request: ConfirmationRequest) async -> ConfirmationDecision
}

/// The per-call facts that come from the way in, never from tool arguments.
package struct Invocation: Sendable {
    package var origin: Origin
    /// JSON-RPC id or the shell's line number, for the audit log.
    package var requestID: String
    package var waitPolicy: WaitPolicy
    package var confirmer: any OrderConfirmer
    /// Receives progress messages (such as rate-limit waits); nil when nobody listens.
    package var progress: (@Sendable (String) -> Void)?

    package init(
        origin: Origin,
        requestID: String,
        waitPolicy: WaitPolicy,
        confirmer: any OrderConfirmer,
        progress: (@Sendable (String) -> Void)? = nil
    ) {
        self.origin = origin
        self.requestID = requestID
        self.waitPolicy = waitPolicy
        self.confirmer = confirmer
        self.progress = progress
    }
}
