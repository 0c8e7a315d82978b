import Foundation

extension ToolError {
    /// Returns this failure with the call's time limit named, for a failure the limit caused: the exchange
    /// gave no usable response before `BINANCE_CALL_TIMEOUT` ran out.
    ///
    /// A `network_error` gets a message that names the limit and the setting, followed by the last failure. An
    /// `order_status_unknown` keeps its type and text, because the order may exist, and gets a sentence that names
    /// the limit. Other failures are returned unchanged.
    func citingCallTimeLimit(milliseconds: Int, isReadOnly: Bool) -> ToolError {
        let limit = "BINANCE_CALL_TIMEOUT (\(milliseconds) ms)"
        var error = self
        switch type {
        case .networkError:
            error.message = "The call timed out: the exchange gave no usable response within the time limit of one "
                + "call, \(limit). Last failure: \(message)"
            let raise = "If the exchange is only slow, raise BINANCE_CALL_TIMEOUT."
            error.hint = isReadOnly ? "A read changes nothing, so it is safe to retry. " + raise : [hint, raise]
                .compactMap { $0 }.joined(separator: " ")
        case .orderStatusUnknown:
            error.message += " The call's time limit, \(limit), ran out before the exchange answered; the order "
                + "was then looked up by its client order id."
        default:
            return self
        }
        error.details["call_timeout_ms"] = .int(milliseconds)
        return error
    }
}
