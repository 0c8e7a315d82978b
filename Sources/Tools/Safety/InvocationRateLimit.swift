import Foundation

/// A sliding-window limit on calls: at most `limit` calls in any `window` seconds.
///
/// A plain state machine: callers pass the time, so tests need no clock.
package struct SlidingWindowLimit: Sendable {
    package let limit: Int
    package let window: TimeInterval
    /// Times of the admitted calls, oldest first; those before `firstInside` have left the window.
    private var admitted: [Date] = []
    /// Index of the oldest admitted call still inside the window. Leaving calls only move this index, and
    /// the array drops them in one step once they are at least half of it, so an admission costs amortized
    /// constant time however high the limit is.
    private var firstInside = 0

    package init(limit: Int, window: TimeInterval = 60) {
        self.limit = limit
        self.window = window
    }

    /// Admits a call at `now`, or returns the seconds until one would be admitted.
    package mutating func admit(at now: Date) -> TimeInterval? {
        let cutoff = now.addingTimeInterval(-window)
        while firstInside < admitted.count, admitted[firstInside] <= cutoff { firstInside += 1 }
        if firstInside > 0, firstInside * 2 >= admitted.count {
            admitted.removeFirst(firstInside)
            firstInside = 0
        }
        guard admitted.count - firstInside >= limit else {
            admitted.append(now)
            return nil
        }
        return admitted[admitted.count - limit].addingTimeInterval(window).timeIntervalSince(now)
    }
}

/// Limits tool invocations per way in, before any handler runs.
///
/// The limits, chosen so automated callers are bounded and people are never slowed:
/// - `mcp`: `MCP_MAX_REQUESTS_PER_MINUTE` (default 60, as the Python Binance MCP server), unless
///   `MCP_RATE_LIMIT_ENABLED=false`;
/// - `script`: ten times that, because a script is a program and can loop, but a long script of reads is
///   normal use; off too when `MCP_RATE_LIMIT_ENABLED=false`;
/// - `shell`: no limit, because a person types each command.
///
/// The exchange's own weight limits are enforced separately by the client.
package actor InvocationRateLimiter {
    private var limits: [Origin: SlidingWindowLimit] = [:]
    private let clock: @Sendable () -> Date

    package init(configuration: Configuration, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.clock = clock
        if configuration.rateLimitEnabled {
            limits[.mcp] = SlidingWindowLimit(limit: configuration.maxRequestsPerMinute)
            limits[.script] = SlidingWindowLimit(limit: configuration.maxRequestsPerMinute * 10)
        }
    }

    /// Calls allowed per minute on `origin`; nil means unlimited.
    package func limit(for origin: Origin) -> Int? { limits[origin]?.limit }

    /// Admits one invocation, or throws `rate_limit_exceeded` with the wait in `details.retry_after_seconds`.
    package func admit(_ origin: Origin) throws(ToolError) {
        guard let limit = limits[origin]?.limit else { return }
        // The window is admitted in place: a copy taken out of the dictionary would share its array, and the
        // next append would copy every admitted time, up to `limit` of them, on each call.
        guard let wait = limits[origin]?.admit(at: clock()) ?? nil else { return }
        let seconds = max(1, Int(wait.rounded(.up)))
        let source: String
        switch origin {
        case .mcp: source = "the MCP client"
        case .script: source = "the script"
        case .shell: source = "the shell"
        }
        throw ToolError(
            .rateLimitExceeded,
            "Too many tool calls from \(source): at most \(limit) a minute are allowed. "
                + "Try again in \(seconds) s.",
            hint: "The limit is MCP_MAX_REQUESTS_PER_MINUTE (ten times that for scripts); "
                + "MCP_RATE_LIMIT_ENABLED=false turns it off.",
            details: ["retry_after_seconds": .int(seconds)]
        )
    }
}
