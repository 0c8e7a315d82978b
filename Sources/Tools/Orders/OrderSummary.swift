import BinanceAPI
import Foundation

/// What a state-changing tool is about to do, in the terms the trading guard and the audit log use:
/// the action, symbol, side, type, amounts, order value and client order id.
package struct OrderSummary: Sendable, Equatable {
    package enum Action: String, Sendable {
        case place
        case cancel
        case cancelAll = "cancel_all"
    }

    package var action: Action
    package var symbol: String
    package var side: String?
    package var type: String?
    package var quantity: Decimal?
    package var price: Decimal?
    /// Order value in the quote asset; an estimate for MARKET orders.
    package var notional: Decimal?
    package var quoteAsset: String?
    package var clientOrderID: String?

    package init(
        action: Action,
        symbol: String,
        side: String? = nil,
        type: String? = nil,
        quantity: Decimal? = nil,
        price: Decimal? = nil,
        notional: Decimal? = nil,
        quoteAsset: String? = nil,
        clientOrderID: String? = nil
    ) {
        self.action = action
        self.symbol = symbol
        self.side = side
        self.type = type
        self.quantity = quantity
        self.price = price
        self.notional = notional
        self.quoteAsset = quoteAsset
        self.clientOrderID = clientOrderID
    }

    /// One line a person can read before confirming, such as `BUY 0.001 BTCUSDT LIMIT at 70000 (≈ 70 USDT)`.
    package var sentence: String {
        switch action {
        case .cancelAll:
            return "Cancel every open order on \(symbol)"
        case .cancel:
            return "Cancel order '\(clientOrderID ?? "?")' on \(symbol)"
        case .place:
            var text = "\(side ?? "") \(quantity.map(DecimalText.format) ?? "") \(symbol) \(type ?? "")"
            if let price { text += " at \(DecimalText.format(price))" }
            if let notional, let quoteAsset { text += " (≈ \(DecimalText.format(notional)) \(quoteAsset))" }
            return text
        }
    }
}

/// Client order ids generated for orders that come without one: a prefix naming the way in, then random
/// letters and digits, 24 characters in all.
package enum ClientOrderID {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")

    /// Returns a new id such as `bsm-k3J9xQ2LmP0aZ7cV1bN4`: `bsh-` for the shell, `bss-` for scripts, `bsm-` for MCP.
    package static func generate(for origin: Origin) -> String {
        let prefix: String
        switch origin {
        case .shell: prefix = "bsh-"
        case .script: prefix = "bss-"
        case .mcp: prefix = "bsm-"
        }
        var generator = SystemRandomNumberGenerator()
        return prefix + String((0..<20).map { _ in alphabet[Int(generator.next(upperBound: UInt(alphabet.count)))] })
    }
}
