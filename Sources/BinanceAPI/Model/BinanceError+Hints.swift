extension BinanceError {
    /// Returns a plain-language next step for a Binance error code, or nil when there is nothing to add to
    /// Binance's own message.
    package static func hint(forCode code: Int) -> String? {
        switch code {
        case -1003:
            "Too much request weight was used; wait for the limit window to reset before sending more requests."
        case -1013:
            "The order breaks one of the symbol's filters (price tick, quantity step, minimum notional, price band); "
                + "check the symbol's rules with exchange info and round price and quantity to them."
        case -1015:
            "Too many new orders in the current window; wait before placing more."
        case -1021:
            "The request timestamp is outside the receive window: the local clock differs from Binance's. "
                + "Synchronise the system clock, or raise BINANCE_RECV_WINDOW (at most 60000)."
        case -1022:
            "The signature is not valid: check that the API secret or private key belongs to this API key."
        case -1100:
            "A parameter contains characters Binance does not accept; decimals must be plain digits such as "
                + "0.001 (no exponent, sign or spaces), and client order ids 1 to 36 of A-Z a-z 0-9 - _."
        case -1102:
            "A required parameter is missing, empty or malformed; check the parameters this order type needs."
        case -1111:
            "A price or quantity has more decimal places than the symbol allows; round it to the tick or step size."
        case -1121:
            "The symbol does not exist on this venue; check its spelling (for example BTCUSDT)."
        case -2010:
            "The exchange rejected the new order; the message says why (for example insufficient balance, or a "
                + "LIMIT_MAKER order that would match at once)."
        case -2011:
            "The cancel was rejected, usually because the order is already filled, cancelled or unknown."
        case -2013:
            "No such order: check the symbol and the order id or client order id."
        case -2014:
            "The API key format is invalid; check BINANCE_API_KEY for missing or extra characters."
        case -2015:
            "The API key is invalid, lacks the permission for this action, or is not allowed from this IP address; "
                + "check the key's settings (and use testnet keys only with BINANCE_TESTNET=true)."
        default:
            nil
        }
    }

    /// The hint for a `rejected` error's code; nil for other cases.
    package var hint: String? {
        guard case .rejected(_, let code, _) = self else { return nil }
        return Self.hint(forCode: code)
    }
}
