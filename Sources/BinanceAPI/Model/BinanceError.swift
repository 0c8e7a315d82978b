import Foundation

/// Why a Binance request did not produce a usable response.
///
/// Cases follow what the failure proves: `rejected` and the rate-limit cases mean the exchange did not act;
/// `outcomeUnknown` means it may have acted, so an order must be reconciled, never re-sent.
package enum BinanceError: Error, Sendable, Equatable {
    /// The exchange answered with an error body `{"code": …, "msg": …}` and did not act on the request.
    case rejected(status: Int, code: Int, message: String)
    /// A local or server rate limit stopped the request; retry after the given number of seconds.
    case rateLimited(retryAfterSeconds: Int, message: String)
    /// The IP is banned (HTTP 418) until the given time; nothing is sent until then.
    case banned(until: Date)
    /// Nothing reached the exchange (connection refused, name not resolved).
    case notSent(String)
    /// The request may have reached the exchange but no usable answer came back (timeout, 5xx, -1006, -1007,
    /// connection lost, truncated body).
    case outcomeUnknown(String)
    /// A 2xx response whose body does not have the expected shape.
    case decoding(String)
    /// The request cannot be built (missing credentials, an endpoint that is not allowed).
    case invalidRequest(String)
    /// The caller cancelled the request.
    case cancelled
}
