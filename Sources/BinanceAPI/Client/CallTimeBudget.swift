import Foundation

/// The time that the exchange requests of one tool call may take in total, retries and backoff pauses included.
///
/// Waiting for a rate limit, for a person's confirmation or for the invocation limit does not count, because the
/// person or the limit decides those, not an unresponsive server. The client caps each request's timeout at the
/// time left, and sends nothing once none is left. The tool engine binds one budget per call with
/// `CallTimeBudget.$current.withValue`; requests outside any call (start-up checks, tests) have no budget.
///
/// A state change that may have reached the exchange is looked up with `lookupBudget()`, a fresh budget of the
/// same size, so the lookup still runs when the call's own time is used up.
package final class CallTimeBudget: Sendable {
    @TaskLocal package static var current: CallTimeBudget?

    /// The total time allowed.
    package let limit: Duration
    // The lock protects `spentTime` and `gaveUp`, which child tasks of one call (shared fetches) may change
    // concurrently.
    private let lock = NSLock()
    nonisolated(unsafe) private var spentTime: Duration = .zero
    nonisolated(unsafe) private var gaveUp = false

    package init(limit: Duration) {
        self.limit = limit
    }

    /// The time still allowed; zero or less once the budget is used up.
    package var remaining: Duration {
        lock.withLock { limit - spentTime }
    }

    /// Whether the budget decided the call's outcome: no time is left, or the client skipped a request or retry
    /// because the time left was too short for it.
    package var hasRunOut: Bool {
        lock.withLock { gaveUp || spentTime >= limit }
    }

    /// Counts `duration` as spent.
    package func spend(_ duration: Duration) {
        lock.withLock { spentTime += duration }
    }

    /// Records that the client skipped a request or retry for lack of time.
    package func markRunOut() {
        lock.withLock { gaveUp = true }
    }

    /// Returns a fresh budget of the same size for looking up a state change whose outcome is unknown.
    package func lookupBudget() -> CallTimeBudget {
        CallTimeBudget(limit: limit)
    }
}
