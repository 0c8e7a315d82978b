import BinanceAPI
import Foundation

/// Cancels every open order of the account; installed by the engine, run by `halt`.
package typealias OpenOrderCanceller = @Sendable () async -> OpenOrderCancellation

/// The outcome of cancelling every open order.
package struct OpenOrderCancellation: Sendable, Equatable {
    /// Symbols whose open orders were cancelled.
    package var cancelledSymbols: [String]
    /// One message per symbol or step that failed, already redacted.
    package var failures: [String]

    package init(cancelledSymbols: [String] = [], failures: [String] = []) {
        self.cancelledSymbols = cancelledSymbols
        self.failures = failures
    }
}

/// The outcome of `halt`: the halt set and the orders cancelled.
package struct HaltReport: Sendable, Equatable {
    package var state: HaltState
    /// False when the halt file could not be written: the halt then holds only in this process.
    package var isPersisted: Bool
    /// Nil when no canceller is installed.
    package var cancellation: OpenOrderCancellation?

    /// Lines for the person who ran `halt`: the halt, whether it persists, and the cancels.
    package var summary: String {
        var lines = ["Trading halted (\(UntrustedText.quoted(state.reason))): new orders are refused until 'resume'."]
        if !isPersisted {
            lines.append("The halt file could not be written, so the halt ends when this process exits.")
        }
        if let cancellation {
            if cancellation.cancelledSymbols.isEmpty && cancellation.failures.isEmpty {
                lines.append("No open orders to cancel.")
            }
            if !cancellation.cancelledSymbols.isEmpty {
                lines.append("Cancelled the open orders of " + cancellation.cancelledSymbols.joined(separator: ", ") + ".")
            }
            lines += cancellation.failures
        }
        return lines.joined(separator: "\n")
    }
}

/// Decides whether a state-changing call may go to the exchange, before any request is built.
///
/// The same guard serves the shell, scripts and MCP. Its rules, in the order they are checked:
/// 1. venue: on `live` and on a `custom` venue that is not a loopback address, orders and cancels are rejected
///    until `BINANCE_ALLOW_TRADING=true`. On `sim` and `testnet` they are allowed unless it is set to false.
/// 2. the kill switch (`halt`), which refuses new orders (not cancels) until `resume`, across restarts;
/// 3. the circuit breaker, which pauses orders for a symbol after repeated identical exchange rejections, in
///    every process sharing the state directory and across restarts until the pause expires;
/// 4. `BINANCE_SYMBOL_ALLOWLIST`, `BINANCE_ALLOWED_ORDER_TYPES`, `BINANCE_MAX_ORDER_NOTIONAL` and the per-day
///    budget `BINANCE_DAILY_NOTIONAL_LIMIT`, whose check and reservation are one step across processes;
/// 5. on a real-money venue, a human confirmation through the invocation's confirmer. Tool arguments never
///    count as a confirmation: only the way in (shell prompt, `--yes`, MCP elicitation) can give one.
///
/// Every refusal throws `trading_disabled` (with the rule in `details.rule`), `confirmation_declined` or
/// `confirmation_required`. An authorized order's intent is written to the audit log and synced before
/// `authorize` returns, so it is on disk before the request is sent.
package actor TradingGuard {
    package nonisolated let venue: Venue
    /// True on `live` and on a non-loopback `custom` venue: orders need trading enabled and a confirmation.
    package nonisolated let isRealMoney: Bool
    package nonisolated let isTradingAllowed: Bool
    package nonisolated let maxOrderNotional: Decimal?
    package nonisolated let symbolAllowlist: Set<String>
    package nonisolated let allowedOrderTypes: Set<String>
    package nonisolated let dailyNotionalLimit: Decimal?

    private let killSwitch: KillSwitch
    /// The halt of this process when the halt file cannot be written.
    private var haltInMemory: HaltState?
    private var ledger: DailyNotionalLedger
    private var breaker: SharedCircuitBreaker
    private let audit: AuditLog
    private let clock: @Sendable () -> Date
    private let canceller = CancellerSlot()

    /// - Parameters:
    ///   - stateDirectory: where the halt file, the daily ledger and the circuit breaker's pauses live
    ///     (`BINANCE_SHELL_HOME`); nil keeps them in memory.
    ///   - breaker: the circuit breaker's settings (threshold, window, pause length).
    ///   - clock: the current time; tests pass a fixed one.
    package init(
        configuration: Configuration,
        venue: Venue? = nil,
        stateDirectory: String?,
        audit: AuditLog,
        breaker: OrderCircuitBreaker = OrderCircuitBreaker(),
        clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        let venue = venue ?? configuration.venue
        let isRealMoney = venue.isRealMoney(baseURL: configuration.baseURL)
        self.venue = venue
        self.isRealMoney = isRealMoney
        self.isTradingAllowed = configuration.allowTrading ?? !isRealMoney
        self.maxOrderNotional = configuration.maxOrderNotional
        self.symbolAllowlist = configuration.symbolAllowlist
        self.allowedOrderTypes = configuration.allowedOrderTypes
        self.dailyNotionalLimit = configuration.dailyNotionalLimit
        self.killSwitch = KillSwitch(directory: stateDirectory)
        self.ledger = DailyNotionalLedger(directory: stateDirectory)
        self.breaker = SharedCircuitBreaker(directory: stateDirectory, settings: breaker)
        self.audit = audit
        self.clock = clock
    }

    /// Installs the function `halt` uses to cancel open orders; the engine installs one that calls the exchange.
    package nonisolated func installCanceller(_ cancel: @escaping OpenOrderCanceller) {
        canceller.set(cancel)
    }

    // MARK: - Orders

    /// Checks an order against every rule, requests a human confirmation on real-money venues, and writes the
    /// order's intent to the audit log. Call it after the local filter checks and immediately before sending.
    /// - Parameters:
    ///   - preview: the `preview_order` data, shown to the person who confirms.
    /// - Throws: `trading_disabled`, `confirmation_declined`, `confirmation_required`, or `internal_error` when
    ///   the intent cannot be written to the audit log. After a throw the order must not be sent.
    package func authorize(_ intent: OrderIntent, preview: JSONValue, invocation: Invocation) async throws(ToolError) {
        try checkStateChangeAllowed(tool: "create_order")
        try checkOrderRules(intent)

        if isRealMoney {
            try await confirm(intent, preview: preview, invocation: invocation)
            // A halt or pause may have come while a person was reading the preview.
            try checkOrderRules(intent)
        }

        let now = clock()
        if let notional = intent.notional, let dailyNotionalLimit {
            // The check above read the ledger without a lock. This one reserves under the lock, so when two
            // processes order at once, only orders that fit in the budget together pass.
            let reservation = try ledger.reserve(
                notional,
                of: intent.quoteAsset,
                clientOrderID: intent.clientOrderID,
                limit: dailyNotionalLimit,
                at: now
            )
            if case .exceeded(let total) = reservation {
                throw dailyLimitRefusal(notional: notional, total: total, asset: intent.quoteAsset, limit: dailyNotionalLimit)
            }
        }
        let scope = InvocationScope.current
        do {
            try await audit.record(
                AuditEvent(
                    .orderSubmitted,
                    time: now,
                    requestID: invocation.requestID,
                    origin: invocation.origin,
                    tool: "create_order",
                    outcome: "pending",
                    venue: venue,
                    invocationID: scope?.id,
                    details: ["intent": intent.json]
                ),
                durable: true
            )
        } catch {
            try? ledger.release(clientOrderID: intent.clientOrderID, at: now)
            throw ToolError(
                .internalError,
                "The order was not sent: its intent could not be written to the audit log (\(error.description))."
            )
        }
        scope?.setAuthorizedIntent(intent)
    }

    /// Checks that a cancel may be sent: only the venue rule applies, so a halt never blocks cancels.
    /// - Throws: `trading_disabled` on a real-money venue without `BINANCE_ALLOW_TRADING=true`.
    package func authorizeCancel(symbol: String, invocation: Invocation) async throws(ToolError) {
        try checkStateChangeAllowed(tool: "cancel")
    }

    /// Refuses any state-changing tool on a venue where trading is not enabled. The engine calls it before the
    /// handler of every tool that is not read-only.
    package nonisolated func checkStateChangeAllowed(tool: String) throws(ToolError) {
        guard !isTradingAllowed else { return }
        guard isRealMoney else {
            // Only an explicit BINANCE_ALLOW_TRADING=false turns trading off where no real money is at stake.
            let account = venue == .sim ? "the paper account" : "the test account"
            throw ToolError(
                .tradingDisabled,
                "Trading is disabled on the \(venue.rawValue) venue by BINANCE_ALLOW_TRADING=false: '\(tool)' would "
                    + "change \(account).",
                hint: "Remove BINANCE_ALLOW_TRADING or set it to true to enable orders and cancels.",
                details: ["rule": .string("venue")]
            )
        }
        let place = venue == .custom ? "the custom venue (BINANCE_BASE_URL is not a loopback address)" : "the \(venue.rawValue) venue"
        throw ToolError(
            .tradingDisabled,
            "Trading is disabled on \(place): '\(tool)' would change a real-money account.",
            hint: "Set BINANCE_ALLOW_TRADING=true to enable orders and cancels.",
            details: ["rule": .string("venue")]
        )
    }

    private func checkOrderRules(_ intent: OrderIntent) throws(ToolError) {
        let now = clock()
        if let halt = currentHalt() {
            throw refusal(
                "Trading is halted (\(UntrustedText.quoted(halt.reason))): new orders are refused.",
                hint: "Run 'resume' in the shell to allow new orders.",
                rule: "halt"
            )
        }
        if let pause = breaker.pause(for: intent.symbol, at: now) {
            throw refusal(
                "New orders for '\(intent.symbol)' are paused until \(AuditTimestamp.format(pause.until)): Binance "
                    + "rejected \(pause.count) identical orders (code \(pause.rejection.code): "
                    + "\(pause.rejection.message)).",
                hint: "Fix the cause (balance, price, quantity), wait for the pause to end, or run 'resume'.",
                rule: "circuit_breaker",
                details: ["retry_after_seconds": .int(max(1, Int(pause.until.timeIntervalSince(now).rounded(.up))))]
            )
        }
        if !symbolAllowlist.isEmpty, !symbolAllowlist.contains(intent.symbol) {
            throw refusal(
                "Symbol '\(intent.symbol)' is not in BINANCE_SYMBOL_ALLOWLIST ("
                    + symbolAllowlist.sorted().joined(separator: ", ") + ").",
                hint: "Trade an allowed symbol, or add this one to BINANCE_SYMBOL_ALLOWLIST.",
                rule: "symbol_allowlist"
            )
        }
        if !allowedOrderTypes.isEmpty, !allowedOrderTypes.contains(intent.type) {
            throw refusal(
                "Order type '\(intent.type)' is not in BINANCE_ALLOWED_ORDER_TYPES ("
                    + allowedOrderTypes.sorted().joined(separator: ", ") + ").",
                hint: "Use an allowed order type, or add this one to BINANCE_ALLOWED_ORDER_TYPES.",
                rule: "order_type"
            )
        }
        try checkNotional(intent, at: now)
    }

    private func checkNotional(_ intent: OrderIntent, at now: Date) throws(ToolError) {
        guard maxOrderNotional != nil || dailyNotionalLimit != nil else { return }
        guard let notional = intent.notional else {
            throw refusal(
                "The value of this order is unknown before it fills, and a notional limit is configured.",
                hint: "Give a limit price, or a market order's amount with quote_order_qty.",
                rule: "notional_unknown"
            )
        }
        let asset = intent.quoteAsset
        if let maxOrderNotional, notional > maxOrderNotional {
            throw refusal(
                "Order notional '\(DecimalText.format(notional))' \(asset) exceeds BINANCE_MAX_ORDER_NOTIONAL "
                    + "'\(DecimalText.format(maxOrderNotional))'.",
                hint: "Reduce the quantity or the price.",
                rule: "max_order_notional"
            )
        }
        if let dailyNotionalLimit {
            let total = ledger.total(of: asset, at: now) + notional
            if total > dailyNotionalLimit {
                throw dailyLimitRefusal(notional: notional, total: total, asset: asset, limit: dailyNotionalLimit)
            }
        }
    }

    private func dailyLimitRefusal(notional: Decimal, total: Decimal, asset: String, limit: Decimal) -> ToolError {
        refusal(
            "Order notional '\(DecimalText.format(notional))' \(asset) would bring today's total to "
                + "'\(DecimalText.format(total))' \(asset), over BINANCE_DAILY_NOTIONAL_LIMIT "
                + "'\(DecimalText.format(limit))' (days are UTC).",
            hint: "Wait for the next UTC day, or raise BINANCE_DAILY_NOTIONAL_LIMIT.",
            rule: "daily_notional_limit"
        )
    }

    private func refusal(
        _ message: String,
        hint: String,
        rule: String,
        details: [String: JSONValue] = [:]
    ) -> ToolError {
        var details = details
        details["rule"] = .string(rule)
        return ToolError(.tradingDisabled, message, hint: hint, details: details)
    }

    // MARK: - Confirmation

    private func confirm(_ intent: OrderIntent, preview: JSONValue, invocation: Invocation) async throws(ToolError) {
        let request = ConfirmationRequest(
            summary: "Venue: \(venue.rawValue) (real money)\nOrder: \(intent.summary)\n"
                + "Client order id: \(intent.clientOrderID)",
            preview: preview
        )
        let decision = await invocation.confirmer.confirm(request)
        let scope = InvocationScope.current
        func event(_ type: AuditEventType, _ outcome: String, _ message: String? = nil) -> AuditEvent {
            AuditEvent(
                type,
                time: clock(),
                requestID: invocation.requestID,
                origin: invocation.origin,
                tool: "create_order",
                outcome: outcome,
                errorMessage: message,
                venue: venue,
                invocationID: scope?.id,
                details: ["intent": intent.json]
            )
        }
        switch decision {
        case .accepted:
            await audit.recordReportingFailure(event(.orderConfirmed, "accepted"))
        case .declined, .cancelled:
            let outcome = decision == .declined ? "declined" : "cancelled"
            await audit.recordReportingFailure(event(.orderDeclined, outcome))
            throw ToolError(.confirmationDeclined, "The order was not placed: the confirmation was \(outcome).")
        case .unavailable(let reason):
            await audit.recordReportingFailure(event(.orderDeclined, "unavailable", reason))
            throw ToolError(
                .confirmationRequired,
                "Orders on the \(venue.rawValue) venue need a human confirmation, and none can be asked here: \(reason)",
                hint: Self.confirmationHint(for: invocation.origin)
            )
        }
    }

    static func confirmationHint(for origin: Origin) -> String {
        switch origin {
        case .shell: return "Run the command in an interactive terminal, where the shell asks before sending."
        case .script: return "Run the script with --yes to confirm its orders."
        case .mcp:
            return "Use an MCP client that supports elicitation, so a person can confirm, or place the order "
                + "from the interactive shell."
        }
    }

    // MARK: - Kill switch

    /// Sets the kill switch, which refuses new orders in every process sharing the state directory until
    /// `resume`, then cancels every open order through the installed canceller.
    @discardableResult
    package func halt(reason: String) async -> HaltReport {
        let state = HaltState(reason: reason, since: clock())
        var isPersisted = killSwitch.path != nil
        do {
            try killSwitch.write(state)
        } catch {
            isPersisted = false
        }
        haltInMemory = state
        // Pauses end with a halt, which refuses every order anyway; a breaker file that cannot be written
        // changes nothing while the halt holds.
        try? breaker.reset(at: state.since)

        let cancellation: OpenOrderCancellation?
        if let cancel = canceller.get() {
            cancellation = await cancel()
        } else {
            cancellation = nil
        }
        var details: [String: JSONValue] = ["reason": .string(reason), "persisted": .bool(isPersisted)]
        if let cancellation {
            details["cancelled_symbols"] = .array(cancellation.cancelledSymbols.map(JSONValue.string))
            details["cancel_failures"] = .array(cancellation.failures.map(JSONValue.string))
        }
        await audit.recordReportingFailure(
            AuditEvent(.tradingHalted, time: state.since, venue: venue, details: details)
        )
        return HaltReport(state: state, isPersisted: isPersisted, cancellation: cancellation)
    }

    /// Clears the kill switch and every circuit-breaker pause.
    /// - Throws: `internal_error` when the halt file exists and cannot be removed, or the pauses cannot be
    ///   cleared; orders stay refused.
    package func resume() async throws(ToolError) {
        try killSwitch.clear()
        haltInMemory = nil
        do {
            try breaker.reset(at: clock())
        } catch {
            throw ToolError(.internalError, "Cannot clear the order pauses in '\(breaker.path ?? "")': \(error.description).")
        }
        await audit.recordReportingFailure(AuditEvent(.tradingResumed, time: clock(), venue: venue))
    }

    /// Returns the halt in force, read from the halt file on every call so another process's halt counts at once.
    package func currentHalt() -> HaltState? {
        if let state = killSwitch.read() { return state }
        if killSwitch.path == nil { return haltInMemory }
        // The file was removed by another process's `resume`.
        return nil
    }

    // MARK: - Circuit breaker

    /// Counts an exchange rejection of an order and gives back its share of the daily budget.
    /// - Returns: the pause this rejection started, so the caller can tell the user.
    @discardableResult
    package func record(rejection: OrderRejection) async -> OrderCircuitBreaker.Pause? {
        let now = clock()
        if let clientOrderID = rejection.clientOrderID, dailyNotionalLimit != nil {
            try? ledger.release(clientOrderID: clientOrderID, at: now)
        }
        // A breaker file that cannot be written keeps the count in this process (see SharedCircuitBreaker).
        let started = try? breaker.update(at: now) { $0.record(rejection, at: now) }
        guard let pause = started ?? nil else { return nil }
        await audit.recordReportingFailure(
            AuditEvent(
                .ordersPaused,
                time: now,
                venue: venue,
                details: [
                    "symbol": .string(pause.symbol),
                    "code": .int(pause.rejection.code),
                    "message": .string(pause.rejection.message),
                    "count": .int(pause.count),
                    "until": .string(AuditTimestamp.format(pause.until)),
                ]
            )
        )
        return pause
    }

    /// Clears the rejection count of a symbol after an order for it was accepted.
    package func recordAcceptedOrder(symbol: String) {
        let now = clock()
        guard breaker.hasRecentRejections(for: symbol, at: now) else { return }
        try? breaker.update(at: now) { $0.recordSuccess(symbol: symbol) }
    }

    /// Adjusts the daily budget to orders that have ended. Each order in `data` (the result of an order or cancel
    /// tool) with a final status gets its reservation replaced by the quote amount it actually traded
    /// (`cummulativeQuoteQty`). Orders still open keep their reservation.
    package func recordOrderUpdates(in data: JSONValue) {
        guard dailyNotionalLimit != nil else { return }
        let now = clock()
        for order in Self.finishedOrders(in: data) {
            try? ledger.settle(clientOrderID: order.clientOrderID, spent: order.spent, at: now)
        }
    }

    /// Statuses after which an order trades no more.
    private static let finalStatuses: Set<String> = [
        "FILLED", "CANCELED", "EXPIRED", "EXPIRED_IN_MATCH", "REJECTED",
    ]

    /// Finds the orders with a final status anywhere in `data`, with the quote amount each traded.
    static func finishedOrders(in data: JSONValue) -> [(clientOrderID: String, spent: Decimal)] {
        switch data {
        case .array(let elements):
            return elements.flatMap(finishedOrders)
        case .object(let members):
            var found = members.values.flatMap(finishedOrders)
            // A cancel's `clientOrderId` names the cancel request; the order's own id is `origClientOrderId`.
            if let status = members["status"]?.stringValue, finalStatuses.contains(status),
                let clientOrderID = (members["origClientOrderId"] ?? members["clientOrderId"])?.stringValue
            {
                let spent = members["cummulativeQuoteQty"].flatMap { value in
                    value.decimalValue ?? value.stringValue.flatMap { DecimalText.parse($0) }
                }
                found.append((clientOrderID, spent ?? 0))
            }
            return found
        case .null, .bool, .number, .string:
            return []
        }
    }

    // MARK: - Status

    /// Returns the guard's state for `get_status`: venue rules, limits, today's totals, the halt and the pauses.
    package func status() -> JSONValue {
        let now = clock()
        var members: [String: JSONValue] = [
            "venue": .string(venue.rawValue),
            "real_money": .bool(isRealMoney),
            "trading_allowed": .bool(isTradingAllowed),
            "confirmation_required": .bool(isRealMoney),
            "symbol_allowlist": .array(symbolAllowlist.sorted().map(JSONValue.string)),
            "allowed_order_types": .array(allowedOrderTypes.sorted().map(JSONValue.string)),
        ]
        if let maxOrderNotional { members["max_order_notional"] = .string(DecimalText.format(maxOrderNotional)) }
        if let dailyNotionalLimit {
            members["daily_notional_limit"] = .string(DecimalText.format(dailyNotionalLimit))
            members["daily_notional_used"] = .object(ledger.totalsToday(at: now).mapValues { .string(DecimalText.format($0)) })
        }
        if let halt = currentHalt() {
            members["halted"] = .object([
                "reason": .string(halt.reason),
                "since": .string(AuditTimestamp.format(halt.since)),
            ])
        } else {
            members["halted"] = .null
        }
        members["paused_symbols"] = .array(
            breaker.activePauses(at: now).map { pause in
                .object([
                    "symbol": .string(pause.symbol),
                    "until": .string(AuditTimestamp.format(pause.until)),
                    "code": .int(pause.rejection.code),
                ])
            }
        )
        return .object(members)
    }
}

/// Holds the canceller so the engine can install it synchronously from its initializer.
private final class CancellerSlot: Sendable {
    // The lock protects `cancel`, written once by the engine and read by `halt`.
    private let lock = NSLock()
    nonisolated(unsafe) private var cancel: OpenOrderCanceller?

    func set(_ cancel: @escaping OpenOrderCanceller) {
        lock.lock()
        defer { lock.unlock() }
        self.cancel = cancel
    }

    func get() -> OpenOrderCanceller? {
        lock.lock()
        defer { lock.unlock() }
        return cancel
    }
}
