import BinanceAPI
import Foundation

extension ToolError {
    /// Maps a client failure to the result's error: a rejection becomes `binance_api_error` with Binance's code
    /// and a hint, a rate limit `rate_limit_exceeded` with the wait, a transport failure `network_error`.
    ///
    /// An unknown outcome of an order placement is not mapped here: the order tools reconcile it first and
    /// report `order_status_unknown` with the client order id.
    package init(binance error: BinanceError, endpoint: Endpoint) {
        switch error {
        case .rejected(let status, let code, let message):
            let text = code == 0
                ? "Binance rejected \(endpoint) with HTTP status \(status)."
                : "Binance rejected the request with code \(code): \(message)"
            let hint = Self.hint(forBinanceCode: code) ?? BinanceError.hint(forCode: code)
            self.init(.binanceAPIError, text, code: code == 0 ? nil : code, hint: hint)
        case .rateLimited(let seconds, let message):
            self.init(
                .rateLimitExceeded,
                "Rate limit reached: \(message) Retry after \(seconds) seconds.",
                hint: "Wait \(seconds) seconds before the next request.",
                details: ["retry_after_seconds": .int(seconds)]
            )
        case .banned(let until):
            let seconds = max(0, Int(until.timeIntervalSinceNow.rounded(.up)))
            self.init(
                .rateLimitExceeded,
                "Binance banned this IP address for exceeding rate limits; retry after \(seconds) seconds.",
                hint: "Send nothing until the ban ends; more requests extend it.",
                details: ["retry_after_seconds": .int(seconds)]
            )
        case .notSent(let reason):
            // The client's reason starts with the endpoint, such as `GET /api/v3/ticker/price: connection refused`.
            self.init(.networkError, "The request was not sent: \(reason)", hint: "Check the network and retry.")
        case .outcomeUnknown(let reason):
            // A state change with an unknown outcome may have happened, so retrying it blindly could repeat it.
            let hint = endpoint.effect == .read
                ? "Retry; a read has no effect on the account."
                : "The exchange may have acted on it: check the open orders with get_open_orders before retrying."
            self.init(.networkError, "No usable response: \(reason)", hint: hint)
        case .decoding(let reason):
            self.init(.internalError, "Unexpected response from \(endpoint): \(reason)")
        case .invalidRequest(let reason):
            self.init(
                .configurationError,
                reason,
                hint: "Set BINANCE_API_KEY and BINANCE_API_SECRET, or run without them to use the simulated exchange."
            )
        case .cancelled:
            self.init(.cancelled, "The request to \(endpoint) was cancelled.")
        }
    }

    /// Maps a client failure like `init(binance:endpoint:)`, and names `symbol` in a -1121 rejection, which
    /// Binance sends as "Invalid symbol." without saying which symbol it means.
    package init(binance error: BinanceError, endpoint: Endpoint, symbol: String?) {
        guard case .rejected(_, -1121, let message) = error, let symbol else {
            self.init(binance: error, endpoint: endpoint)
            return
        }
        let hint = endpoint.market == .futures
            ? "Check it with get_symbol_info symbol=\(symbol) market=FUTURES."
            : "List valid symbols with get_available_assets search=\(symbol.prefix(3))."
        self.init(
            .binanceAPIError,
            "Invalid symbol \(UntrustedText.quoted(symbol)): the exchange does not list it (Binance error -1121: "
                + "\(message))",
            code: -1121,
            hint: hint
        )
    }

    /// Returns a next step that names this product's tools, for the Binance error codes people meet most
    /// often; the client's own hints cover the rest.
    static func hint(forBinanceCode code: Int) -> String? {
        switch code {
        case -1013:
            return "The order breaks one of the symbol's filters; get_symbol_info shows them."
        case -1021:
            return "The local clock differs from the exchange's; check the system clock, then retry."
        case -1022, -2014, -2015:
            return "Check BINANCE_API_KEY, BINANCE_API_SECRET and the key's permissions and IP restrictions."
        case -1100, -1101, -1102, -1103, -1104, -1105, -1106, -1111:
            return "A parameter was malformed or not expected; check the values sent."
        case -1121:
            return "Check the symbol with get_available_assets."
        case -2010:
            return "The exchange rejected the order; check the free balance with get_balance and the open orders."
        case -2011, -2013:
            return "Check the order id with get_open_orders or get_orders."
        default:
            return nil
        }
    }
}
