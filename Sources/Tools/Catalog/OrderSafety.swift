import BinanceAPI
import Foundation

/// Where the state-changing tools meet the trading guard and the audit log, before and after each request.
enum OrderSafety {
    /// Asks whether the order may be sent; returns normally when it may.
    /// - Throws: `trading_disabled` when trading is off for the venue.
    static func authorize(
        _ summary: OrderSummary,
        preview: JSONValue,
        context: ToolContext,
        gateway: ExchangeGateway
    ) async throws(ToolError) {
        // TODO: call context.services.tradingGuard.authorize(intent, preview:, invocation:) once the trading guard
        // (allow-list, maximum notional, confirmation) is on main; until then only the trading switch is checked.
        guard gateway.configuration.isTradingAllowed else {
            throw ToolError(
                .tradingDisabled,
                "Trading is disabled on the \(gateway.venue.rawValue) venue: '\(summary.sentence)' was not sent.",
                hint: "Set BINANCE_ALLOW_TRADING=true to allow orders on this venue."
            )
        }
    }

    /// Records that a state-changing request is about to be sent.
    static func recordIntent(_ summary: OrderSummary, context: ToolContext) async {
        // TODO: call context.services.audit.recordOrderIntent once the audit log is on main.
    }

    /// Records how a state-changing request ended: the result data or the error.
    static func recordOutcome(_ summary: OrderSummary, outcome: Result<JSONValue, ToolError>, context: ToolContext) async {
        // TODO: call context.services.audit.recordOrderOutcome once the audit log is on main.
    }
}
