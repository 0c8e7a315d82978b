import Foundation

/// The client's source of time and way of waiting, replaceable in tests so that no test sleeps for real.
package struct ClientClock: Sendable {
    /// Returns the local time in milliseconds since the Unix epoch.
    package var now: @Sendable () -> Int64
    /// Waits the given number of milliseconds; throws `CancellationError` when the task is cancelled.
    package var sleep: @Sendable (Int64) async throws -> Void

    package init(now: @escaping @Sendable () -> Int64, sleep: @escaping @Sendable (Int64) async throws -> Void) {
        self.now = now
        self.sleep = sleep
    }

    /// The system clock and `Task.sleep`.
    package static let system = ClientClock(
        now: { Int64((Date().timeIntervalSince1970 * 1000).rounded()) },
        sleep: { milliseconds in try await Task.sleep(for: .milliseconds(max(0, milliseconds))) }
    )
}

/// The behaviour of `send` when a request would exceed a rate limit or the server asked for a pause.
package enum LimitWaitPolicy: Sendable, Equatable {
    /// Waits up to `maximumSeconds`, reporting the wait through the progress callback, then fails.
    case wait(maximumSeconds: Int)
    /// Fails at once with `BinanceError.rateLimited` and the time to wait.
    case failFast
}

/// A snapshot of the client's state for the `get_status` tool.
package struct ClientStatus: Sendable, Equatable {
    /// Exchange clock minus local clock in milliseconds; 0 until measured.
    package var clockOffsetMilliseconds: Int64
    /// True once `synchronizeClock` succeeded.
    package var isClockSynchronized: Bool
    /// Request weight counted in the current 1-minute window of the spot API, and its limit.
    package var weightUsed: Int
    package var weightLimit: Int
    /// Every spot limit with its current use, including the order counts.
    package var limits: [LimitUsage]
    /// True when the limits came from exchangeInfo rather than built-in defaults.
    package var hasExchangeLimits: Bool
    /// End of an HTTP 418 ban, if one is in force.
    package var bannedUntil: Date?
    /// End of an HTTP 429 pause, if one is in force.
    package var pausedUntil: Date?

    /// Order-count limits (`ORDERS`) with their current use.
    package var orderCounts: [LimitUsage] { limits.filter { $0.window.kind == .orders } }
}
