/// The result of placing an order.
package enum OrderPlacement: Sendable, Equatable {
    /// The exchange accepted the order, directly or as found by a follow-up query.
    case placed(Order)
    /// The placement's outcome is unknown (timeout, connection lost, 5xx, -1006, -1007) and queries by
    /// client order id did not settle it. The order may exist; look it up by `clientOrderID` before retrying.
    case unknown(clientOrderID: String, reason: String)
}

extension BinanceClient {
    /// Query attempts after an unknown placement outcome, and the pause before each (about 3.5 s in total).
    static let reconcileDelaysMilliseconds: [Int64] = [250, 500, 1000, 1750]

    /// Places a spot order (`POST /api/v3/order`), sending it at most once.
    ///
    /// The order always carries a `newClientOrderId`: the caller's, or one generated from the configured
    /// prefix. When the outcome is unknown, the order is looked up by that id a few times with backoff
    /// instead of being sent again, so it is neither lost nor doubled. A -1021 rejection is the one case
    /// that is sent again (with a fresh timestamp and the same client order id), because the exchange did
    /// not act on it.
    /// - Returns: `.placed` with the order as the exchange reports it, or `.unknown` if the queries did not
    ///   find it.
    /// - Throws: `BinanceError` when the exchange rejected the order or nothing was sent.
    package func placeOrder(
        _ parameters: RequestParameters,
        waitPolicy: LimitWaitPolicy = .failFast,
        progress: (@Sendable (String) -> Void)? = nil
    ) async throws(BinanceError) -> OrderPlacement {
        var parameters = parameters
        let clientOrderID = try ensureClientOrderID(&parameters)
        guard let symbol = parameters["symbol"] else {
            throw .invalidRequest("Mandatory parameter 'symbol' is missing.")
        }

        let failure: String
        do {
            let response = try await send(.newOrder, parameters, waitPolicy: waitPolicy, progress: progress)
            return .placed(try Self.decode(Order.self, from: response.body, endpoint: .newOrder))
        } catch {
            // Only an unknown outcome leaves the order in doubt. A 2xx body that cannot be decoded proves the
            // order was placed but not its state, so it is reconciled too. Every other error proves no order.
            switch error {
            case .outcomeUnknown(let reason), .decoding(let reason): failure = reason
            default: throw error
            }
        }

        logger.debug("Reconciling an order with an unknown outcome", ["order.client_id": clientOrderID])
        // The order may exist, so it is looked up even when the call's own time has run out.
        return await CallTimeBudget.$current.withValue(CallTimeBudget.current?.lookupBudget()) {
            await reconcile(symbol: symbol, clientOrderID: clientOrderID, failure: failure, waitPolicy: waitPolicy)
        }
    }

    /// Cancels a spot order (`DELETE /api/v3/order`) identified by `symbol` and `orderId` or
    /// `origClientOrderId`, sending the cancel at most once.
    ///
    /// Two answers leave the order's state in doubt: a -2011 rejection (usually because the order is already
    /// filled or cancelled) and an unknown outcome (timeout, connection lost, 5xx, -1006, -1007, an unreadable
    /// 2xx body). After either, the order is queried once and that state returned. It is `CANCELED` when the
    /// cancel took effect, or shows why it did not: `FILLED`, or still `NEW` after a cancel that never arrived.
    /// - Throws: the original error when the query does not find the order, and any other `BinanceError`.
    package func cancelOrder(
        _ parameters: RequestParameters,
        waitPolicy: LimitWaitPolicy = .failFast,
        progress: (@Sendable (String) -> Void)? = nil
    ) async throws(BinanceError) -> Order {
        do {
            return try await send(.cancelOrder, parameters, as: Order.self, waitPolicy: waitPolicy, progress: progress)
        } catch {
            switch error {
            case .rejected(_, -2011, _):
                break
            case .outcomeUnknown, .decoding:
                // Give a cancel still on its way a moment to reach the exchange before looking.
                logger.debug("Querying an order after a cancel with an unknown outcome", ["http.path": Endpoint.cancelOrder.path])
                do {
                    try await clock.sleep(Self.reconcileDelaysMilliseconds[0])
                } catch {
                    throw .cancelled
                }
            default:
                throw error
            }
            var query = RequestParameters()
            query.set("symbol", parameters["symbol"])
            query.set("orderId", parameters["orderId"])
            query.set("origClientOrderId", parameters["origClientOrderId"])
            // The cancel may have taken effect, so the order is looked up even when the call's own time has run out.
            let order = await CallTimeBudget.$current.withValue(CallTimeBudget.current?.lookupBudget()) {
                try? await send(.queryOrder, query, as: Order.self, waitPolicy: waitPolicy)
            }
            guard let order else { throw error }
            return order
        }
    }

    // MARK: - Helpers

    private func reconcile(
        symbol: String,
        clientOrderID: String,
        failure: String,
        waitPolicy: LimitWaitPolicy
    ) async -> OrderPlacement {
        var query = RequestParameters()
        query.set("symbol", symbol)
        query.set("origClientOrderId", clientOrderID)
        var lastReason = failure
        for delay in Self.reconcileDelaysMilliseconds {
            // Once the lookup's own time is used up, further queries would not be sent.
            if CallTimeBudget.current?.hasRunOut == true { break }
            do {
                try await clock.sleep(delay)
            } catch {
                break
            }
            do {
                return .placed(try await send(.queryOrder, query, as: Order.self, waitPolicy: waitPolicy))
            } catch {
                switch error {
                case .rejected(_, -2013, _):
                    lastReason = "\(failure) The exchange does not know the order yet."
                case .cancelled:
                    return .unknown(clientOrderID: clientOrderID, reason: failure)
                default:
                    lastReason = "\(failure) Querying the order failed too."
                }
            }
        }
        return .unknown(clientOrderID: clientOrderID, reason: lastReason)
    }

    /// Checks the caller's `newClientOrderId`, or sets a generated one, and returns it.
    private func ensureClientOrderID(_ parameters: inout RequestParameters) throws(BinanceError) -> String {
        if let given = parameters["newClientOrderId"] {
            guard ClientOrderID.isValid(given) else {
                throw .invalidRequest(
                    "newClientOrderId '\(given)' is invalid: expected 1 to 36 characters from A-Z, a-z, 0-9, "
                        + "'-' and '_'."
                )
            }
            return given
        }
        let generated = ClientOrderID.generate(prefix: configuration.clientOrderIDPrefix)
        parameters.set("newClientOrderId", generated)
        return generated
    }
}

/// Client order ids: Binance accepts `^[a-zA-Z0-9-_]{1,36}$`.
package enum ClientOrderID {
    private static let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")

    /// Returns whether `text` is a client order id Binance accepts.
    package static func isValid(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard (1...36).contains(bytes.count) else { return false }
        return bytes.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
        }
    }

    /// Returns `prefix` (cut to its valid characters, at most 12) followed by `-` and 20 random letters and
    /// digits: about 119 bits of randomness, so two generated ids do not collide in practice.
    package static func generate(prefix: String) -> String {
        let cleaned = String(prefix.filter { isValid(String($0)) }.prefix(12))
        var generator = SystemRandomNumberGenerator()
        let random = String((0..<20).map { _ in alphabet[Int(generator.next(upperBound: UInt64(alphabet.count)))] })
        return cleaned.isEmpty ? random : cleaned + "-" + random
    }
}
