import BinanceAPI
import Foundation

/// Everything a tool handler may use besides its arguments.
package struct ToolServices: Sendable {
    package var configuration: Configuration
    package var venue: Venue
    package var client: BinanceClient
    package var logger: Logger
    /// Checks every state-changing call; order handlers call `authorize` immediately before sending.
    package var tradingGuard: TradingGuard
    /// The tamper-evident audit log the engine writes one event per invocation to.
    package var audit: AuditLog
    /// Removes secrets from results, errors, audit events and log lines.
    package var redactor: Redactor

    /// - Parameters:
    ///   - tradingGuard: nil builds one from `configuration`, with its halt file and daily ledger in
    ///     `configuration.home`.
    ///   - audit: nil builds the file log in `configuration.home`, echoing MCP events to stderr as
    ///     `SECURITY_EVENT` lines when `MCP_LOG_SECURITY` is on.
    ///   - redactor: nil builds one from the key, secret and private-key file of `configuration`.
    package init(
        configuration: Configuration,
        venue: Venue,
        client: BinanceClient,
        logger: Logger = .disabled,
        tradingGuard: TradingGuard? = nil,
        audit: AuditLog? = nil,
        redactor: Redactor? = nil
    ) {
        let redactor = redactor ?? Redactor(configuration: configuration)
        let audit =
            audit
            ?? AuditLog(
                directory: configuration.home,
                redactor: redactor,
                securityEventSink: configuration.logSecurity ? AuditLog.standardErrorSink : nil,
                logger: logger
            )
        self.configuration = configuration
        self.venue = venue
        self.client = client
        self.logger = logger
        self.redactor = redactor
        self.audit = audit
        self.tradingGuard =
            tradingGuard
            ?? TradingGuard(configuration: configuration, venue: venue, stateDirectory: configuration.home, audit: audit)
    }
}

/// Runs tool invocations from every way in through one pipeline, in this order:
/// 1. find the tool and decode and validate the arguments (`ArgumentDecoder`);
/// 2. the invocation rate limit of the way in (`InvocationRateLimiter`);
/// 3. for tools that are not read-only, the venue rule of the trading guard. Order and cancel handlers then
///    call the guard themselves with the order's details, immediately before sending;
/// 4. the handler;
/// 5. mapping of failures to error results, feeding exchange rejections of orders to the circuit breaker;
/// 6. redaction of the whole result;
/// 7. exactly one audit event (`validation_error`, `rate_limit_exceeded` or `tool_invocation`), written before
///    the result is returned.
package final class ToolEngine: Sendable {
    /// Tools in a fixed order: the order of `tools/list` and of the shell's help.
    package let tools: [Tool]
    package let services: ToolServices
    private let toolsByName: [String: Tool]
    private let rateLimiter: InvocationRateLimiter

    /// - Parameter clock: the time source of the rate limiter; tests pass a controlled one.
    package init(tools: [Tool], services: ToolServices, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.tools = tools
        self.services = services
        self.toolsByName = Dictionary(tools.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        self.rateLimiter = InvocationRateLimiter(configuration: services.configuration, clock: clock)
        services.tradingGuard.installCanceller(
            ExchangeOrderCanceller.make(
                client: services.client,
                audit: services.audit,
                redactor: services.redactor,
                venue: services.venue
            )
        )
    }

    package func tool(named name: String) -> Tool? { toolsByName[name] }

    /// Runs one tool and returns its result; failures are results, never thrown. The result is redacted and
    /// its audit event written before it is returned.
    package func invoke(_ name: String, arguments: [String: JSONValue], invocation: Invocation) async -> ToolResult {
        let started = ContinuousClock.now
        let scope = InvocationScope()

        func finish(_ eventType: AuditEventType, data: JSONValue? = nil, error: ToolError? = nil) async -> ToolResult {
            let result: ToolResult = error.map { ToolResult.failure(services.redactor.redact($0)) } ?? .success(data ?? .null)
            let elapsed = ContinuousClock.now - started
            var details: [String: JSONValue] = [:]
            if let intent = scope.authorizedIntent {
                details["client_order_id"] = .string(intent.clientOrderID)
                if let status = data?["status"] { details["order_status"] = status }
            }
            await services.audit.recordReportingFailure(
                AuditEvent(
                    eventType,
                    requestID: invocation.requestID,
                    origin: invocation.origin,
                    tool: name,
                    arguments: .object(arguments),
                    outcome: error == nil ? "success" : "error",
                    errorType: error?.type.rawValue,
                    errorMessage: error?.message,
                    latencyMilliseconds: Int(elapsed.components.seconds * 1000
                        + elapsed.components.attoseconds / 1_000_000_000_000_000),
                    venue: services.venue,
                    invocationID: scope.id,
                    details: details
                )
            )
            return services.redactor.redact(result)
        }

        guard let tool = toolsByName[name] else {
            return await finish(
                .validationError,
                error: .validation("Unknown tool \(UntrustedText.quoted(name)).", hint: "Run 'help' to list the tools.")
            )
        }
        let decoded: ToolArguments
        do {
            decoded = try ArgumentDecoder.decode(arguments, for: tool)
        } catch {
            return await finish(.validationError, error: error)
        }
        do {
            try await rateLimiter.admit(invocation)
        } catch {
            return await finish(.rateLimitExceeded, error: error)
        }
        do {
            if !tool.annotations.readOnly { try services.tradingGuard.checkStateChangeAllowed(tool: tool.name) }
            let data = try await runHandler(tool, decoded, invocation: invocation, scope: scope)
            if let intent = scope.authorizedIntent { await services.tradingGuard.recordAcceptedOrder(symbol: intent.symbol) }
            if !tool.annotations.readOnly { await services.tradingGuard.recordOrderUpdates(in: data) }
            return await finish(.toolInvocation, data: data)
        } catch {
            return await finish(.toolInvocation, error: await noteRejection(error, scope: scope))
        }
    }

    private func runHandler(
        _ tool: Tool,
        _ arguments: ToolArguments,
        invocation: Invocation,
        scope: InvocationScope
    ) async throws(ToolError) -> JSONValue {
        let context = ToolContext(invocation: invocation, services: services)
        let timeLimit = services.configuration.callTimeoutMilliseconds
        let budget = CallTimeBudget(limit: .milliseconds(timeLimit))
        do {
            return try await InvocationScope.$current.withValue(scope) {
                try await CallTimeBudget.$current.withValue(budget) {
                    try await tool.handler(arguments, context)
                }
            }
        } catch let error as ToolError {
            guard budget.hasRunOut else { throw error }
            throw error.citingCallTimeLimit(milliseconds: timeLimit, isReadOnly: tool.annotations.readOnly)
        } catch {
            throw ToolError(.internalError, "The tool '\(tool.name)' failed unexpectedly.")
        }
    }

    /// Feeds an exchange rejection of an authorized order to the circuit breaker, and adds a hint to the error
    /// when the breaker paused the symbol.
    private func noteRejection(_ error: ToolError, scope: InvocationScope) async -> ToolError {
        guard let intent = scope.authorizedIntent, error.type == .binanceAPIError, let code = error.code else {
            return error
        }
        let rejection = OrderRejection(
            symbol: intent.symbol,
            code: code,
            message: error.message,
            clientOrderID: intent.clientOrderID
        )
        guard let pause = await services.tradingGuard.record(rejection: rejection) else { return error }
        var noted = error
        let seconds = Int(pause.until.timeIntervalSinceNow.rounded(.up))
        noted.hint = (error.hint.map { $0 + " " } ?? "")
            + "Binance rejected \(pause.count) identical orders for '\(intent.symbol)', so new orders for it are "
            + "paused for \(seconds) s."
        return noted
    }
}
