import BinanceAPI
import Foundation

/// The calls from the state-changing tools to the trading guard, made immediately before each request.
///
/// The guard writes the order's intent to the audit log when it authorizes it, and the engine writes the
/// outcome with the invocation's event, so handlers record nothing themselves.
enum OrderSafety {
    /// Asks the trading guard whether the order may be sent; returns normally when it may.
    /// - Throws: the guard's `trading_disabled`, `confirmation_declined` or `confirmation_required`.
    static func authorize(_ order: CheckedOrder, clientOrderID: String, preview: JSONValue, context: ToolContext)
        async throws(ToolError)
    {
        let intent = OrderIntent(
            symbol: order.symbol,
            side: order.side,
            type: order.type,
            quantity: order.quantity,
            price: order.price,
            notional: order.notional,
            quoteAsset: order.quoteAsset,
            clientOrderID: clientOrderID
        )
        try await context.services.tradingGuard.authorize(intent, preview: preview, invocation: context.invocation)
    }

    /// Asks the trading guard whether orders on `symbol` may be canceled.
    static func authorizeCancel(symbol: String, context: ToolContext) async throws(ToolError) {
        try await context.services.tradingGuard.authorizeCancel(symbol: symbol, invocation: context.invocation)
    }
}
