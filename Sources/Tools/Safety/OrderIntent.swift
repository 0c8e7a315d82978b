import BinanceAPI
import Foundation

/// An order a tool is about to send, as the trading guard checks it and the audit log records it.
///
/// Built by the order tools from validated arguments after the local filter checks, so the values are the
/// ones that go on the wire.
package struct OrderIntent: Sendable, Equatable {
    /// Trading pair such as `BTCUSDT`.
    package var symbol: String
    /// `BUY` or `SELL`.
    package var side: String
    /// Binance order type such as `LIMIT` or `MARKET`.
    package var type: String
    /// Base-asset quantity; nil for a market order given by quote amount (`quoteOrderQty`).
    package var quantity: Decimal?
    /// Limit price in the quote asset; nil for market orders.
    package var price: Decimal?
    /// Order value in the quote asset (price × quantity, or the quote amount); nil when it cannot be known
    /// before the order fills. A notional cap or daily budget rejects an order whose notional is nil.
    package var notional: Decimal?
    /// Quote asset of the symbol, such as `USDT`; the unit of `notional` and of the limits.
    package var quoteAsset: String
    /// The `newClientOrderId` sent with the order; it ties the audit intent to the exchange's order.
    package var clientOrderID: String

    package init(
        symbol: String,
        side: String,
        type: String,
        quantity: Decimal?,
        price: Decimal? = nil,
        notional: Decimal?,
        quoteAsset: String,
        clientOrderID: String
    ) {
        self.symbol = symbol
        self.side = side
        self.type = type
        self.quantity = quantity
        self.price = price
        self.notional = notional
        self.quoteAsset = quoteAsset
        self.clientOrderID = clientOrderID
    }

    /// The intent as JSON for the audit log, decimals as plain strings.
    package var json: JSONValue {
        var members: [String: JSONValue] = [
            "symbol": .string(symbol),
            "side": .string(side),
            "type": .string(type),
            "quote_asset": .string(quoteAsset),
            "client_order_id": .string(clientOrderID),
        ]
        if let quantity { members["quantity"] = .string(DecimalText.format(quantity)) }
        if let price { members["price"] = .string(DecimalText.format(price)) }
        if let notional { members["notional"] = .string(DecimalText.format(notional)) }
        return .object(members)
    }

    /// One line a person can check before confirming, such as `BUY 0.01 BTCUSDT LIMIT at 50000 (notional 500 USDT)`.
    package var summary: String {
        var text = "\(side) "
        text += quantity.map { DecimalText.format($0) + " " } ?? ""
        text += "\(symbol) \(type)"
        if let price { text += " at \(DecimalText.format(price))" }
        if let notional { text += " (notional \(DecimalText.format(notional)) \(quoteAsset))" }
        return text
    }
}
