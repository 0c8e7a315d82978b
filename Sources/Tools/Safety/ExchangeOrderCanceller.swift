import BinanceAPI
import Foundation

/// Cancels every open spot order of the account, symbol by symbol; the canceller `halt` runs.
package enum ExchangeOrderCanceller {
    private struct OpenOrder: Decodable {
        let symbol: String
    }

    /// Lists the open orders (`GET /api/v3/openOrders` without a symbol) and sends
    /// `DELETE /api/v3/openOrders` for each symbol that has one. Each cancel is written to the audit log.
    package static func make(client: BinanceClient, audit: AuditLog, redactor: Redactor, venue: Venue)
        -> OpenOrderCanceller
    {
        return {
            var result = OpenOrderCancellation()
            let orders: [OpenOrder]
            do throws(BinanceError) {
                orders = try await client.send(.openOrders, as: [OpenOrder].self)
            } catch {
                result.failures.append(redactor.redact("Listing the open orders failed: \(describe(error))."))
                return result
            }
            for symbol in Set(orders.map(\.symbol)).sorted() {
                let started = Date()
                var outcome = "success"
                var message: String?
                do throws(BinanceError) {
                    _ = try await client.send(.cancelOpenOrders, ["symbol": symbol])
                    result.cancelledSymbols.append(symbol)
                } catch {
                    outcome = "error"
                    message = redactor.redact("Cancelling the open orders of '\(symbol)' failed: \(describe(error)).")
                    result.failures.append(message ?? "")
                }
                await audit.recordReportingFailure(
                    AuditEvent(
                        .toolInvocation,
                        time: started,
                        tool: "cancel_open_orders",
                        arguments: .object(["symbol": .string(symbol)]),
                        outcome: outcome,
                        errorMessage: message,
                        latencyMilliseconds: Int(Date().timeIntervalSince(started) * 1000),
                        venue: venue,
                        details: ["reason": .string("halt")]
                    )
                )
            }
            return result
        }
    }

    private static func describe(_ error: BinanceError) -> String {
        switch error {
        case .rejected(_, let code, let message): return "Binance error \(code): \(message)"
        case .rateLimited(let seconds, _): return "rate limited, retry after \(seconds) s"
        case .banned: return "the IP address is banned by Binance for now"
        case .notSent(let reason): return "not sent (\(reason))"
        case .outcomeUnknown(let reason): return "outcome unknown (\(reason))"
        case .decoding(let reason): return "unexpected response (\(reason))"
        case .invalidRequest(let reason): return reason
        case .cancelled: return "cancelled"
        }
    }
}
