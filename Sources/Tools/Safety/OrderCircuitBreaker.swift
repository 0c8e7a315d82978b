import Foundation

/// An order the exchange rejected, as the circuit breaker counts it.
package struct OrderRejection: Sendable, Equatable {
    package var symbol: String
    /// Binance's error code, such as -2010.
    package var code: Int
    /// Binance's message, which tells identical rejections apart (-2010 covers several reasons).
    package var message: String
    /// The client order id of the rejected order, which releases its share of the daily budget.
    package var clientOrderID: String?

    package init(symbol: String, code: Int, message: String, clientOrderID: String? = nil) {
        self.symbol = symbol
        self.code = code
        self.message = message
        self.clientOrderID = clientOrderID
    }
}

/// Pauses new orders for a symbol after repeated identical rejections, so a looping agent or script stops
/// hammering the exchange with an order that cannot succeed.
///
/// A plain state machine: callers pass the time, so tests need no clock.
package struct OrderCircuitBreaker: Sendable {
    /// Why orders for one symbol are paused, and until when.
    package struct Pause: Sendable, Equatable {
        package var symbol: String
        package var until: Date
        package var rejection: OrderRejection
        package var count: Int
    }

    /// Identical rejections within `window` that open the breaker.
    package var threshold: Int
    /// How far back rejections count.
    package var window: TimeInterval
    /// How long new orders for the symbol stay paused.
    package var pauseDuration: TimeInterval

    private var recent: [String: [(rejection: OrderRejection, at: Date)]] = [:]
    private var pauses: [String: Pause] = [:]

    /// Three identical rejections within ten minutes pause the symbol for five minutes.
    package init(threshold: Int = 3, window: TimeInterval = 600, pauseDuration: TimeInterval = 300) {
        self.threshold = threshold
        self.window = window
        self.pauseDuration = pauseDuration
    }

    /// Counts a rejection; returns the pause it starts, if this one reached the threshold.
    @discardableResult
    package mutating func record(_ rejection: OrderRejection, at now: Date) -> Pause? {
        var entries = (recent[rejection.symbol] ?? []).filter { now.timeIntervalSince($0.at) < window }
        entries.append((rejection, now))
        recent[rejection.symbol] = entries

        let identical = entries.filter { $0.rejection.code == rejection.code && $0.rejection.message == rejection.message }
        guard identical.count >= threshold else { return nil }
        let pause = Pause(
            symbol: rejection.symbol,
            until: now.addingTimeInterval(pauseDuration),
            rejection: rejection,
            count: identical.count
        )
        pauses[rejection.symbol] = pause
        recent[rejection.symbol] = []
        return pause
    }

    /// Forgets a symbol's rejections after an order for it succeeds.
    package mutating func recordSuccess(symbol: String) {
        recent[symbol] = nil
    }

    /// The pause in force for `symbol` at `now`, if any.
    package func pause(for symbol: String, at now: Date) -> Pause? {
        guard let pause = pauses[symbol], pause.until > now else { return nil }
        return pause
    }

    /// Every pause in force at `now`, by symbol.
    package func activePauses(at now: Date) -> [Pause] {
        pauses.values.filter { $0.until > now }.sorted { $0.symbol < $1.symbol }
    }

    /// Ends every pause, as `resume` does.
    package mutating func reset() {
        pauses = [:]
        recent = [:]
    }
}
