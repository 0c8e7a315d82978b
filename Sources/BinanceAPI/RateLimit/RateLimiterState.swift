import Foundation

/// The kinds of limit Binance enforces, as exchangeInfo names them in `rateLimitType`.
package enum RateLimitKind: String, Sendable, Hashable, CaseIterable {
    /// Request weight per IP.
    case requestWeight = "REQUEST_WEIGHT"
    /// New orders per account (the unfilled-order count).
    case orders = "ORDERS"
    /// Requests per IP, whatever their weight.
    case rawRequests = "RAW_REQUESTS"
}

/// One limit: at most `limit` units of `kind` in each fixed window of `intervalMilliseconds`.
package struct LimitWindow: Sendable, Equatable {
    package var kind: RateLimitKind
    package var intervalMilliseconds: Int64
    package var limit: Int

    package init(kind: RateLimitKind, intervalMilliseconds: Int64, limit: Int) {
        self.kind = kind
        self.intervalMilliseconds = intervalMilliseconds
        self.limit = limit
    }

    /// Converts an exchangeInfo rule; nil for an unknown type or interval.
    package init?(_ rule: RateLimitRule) {
        guard let kind = RateLimitKind(rawValue: rule.rateLimitType),
            let unit = Self.unitMilliseconds[rule.interval.uppercased()], rule.intervalNum > 0, rule.limit > 0
        else { return nil }
        self.init(kind: kind, intervalMilliseconds: unit * Int64(rule.intervalNum), limit: rule.limit)
    }

    static let unitMilliseconds: [String: Int64] = [
        "SECOND": 1000, "MINUTE": 60_000, "HOUR": 3_600_000, "DAY": 86_400_000,
        "S": 1000, "M": 60_000, "H": 3_600_000, "D": 86_400_000,
    ]

    /// Binance's limits on the spot API as of 2026, used until exchangeInfo reports the current ones.
    package static let spotDefaults: [LimitWindow] = [
        LimitWindow(kind: .requestWeight, intervalMilliseconds: 60_000, limit: 6000),
        LimitWindow(kind: .orders, intervalMilliseconds: 10_000, limit: 100),
        LimitWindow(kind: .orders, intervalMilliseconds: 86_400_000, limit: 200_000),
        LimitWindow(kind: .rawRequests, intervalMilliseconds: 300_000, limit: 300_000),
    ]

    /// USDⓈ-M futures limits (2400 weight and 1200 orders a minute, 300 orders per 10 s) until its
    /// exchangeInfo is read.
    package static let futuresDefaults: [LimitWindow] = [
        LimitWindow(kind: .requestWeight, intervalMilliseconds: 60_000, limit: 2400),
        LimitWindow(kind: .orders, intervalMilliseconds: 60_000, limit: 1200),
        LimitWindow(kind: .orders, intervalMilliseconds: 10_000, limit: 300),
    ]
}

/// What the limiter decides about a request.
package enum LimitDecision: Sendable, Equatable {
    /// Send now; the cost has been counted.
    case proceed
    /// A limit would be exceeded, or the server asked for a pause: try again at `until` (ms since the epoch).
    case wait(until: Int64, kind: RateLimitKind?)
    /// The IP is banned until `until` (ms since the epoch); nothing may be sent.
    case banned(until: Int64)
}

/// The rate limiter's decisions as a pure state machine: events in, decisions out, with the current time
/// passed in by the caller (milliseconds since the Unix epoch), so it can be tested without clocks.
///
/// Windows are fixed and aligned to multiples of their interval since the epoch, as Binance counts them
/// (the per-minute weight resets at the start of each minute).
package struct RateLimiterState: Sendable, Equatable {
    private struct Counter: Sendable, Equatable {
        var window: LimitWindow
        var windowStart: Int64 = .min
        var used = 0
    }

    private var counters: [Counter]
    /// True once the limits came from the exchange rather than the defaults.
    package private(set) var hasExchangeLimits = false
    /// End of a pause the server asked for with HTTP 429 and `Retry-After`.
    package private(set) var retryAfterUntil: Int64?
    /// End of an IP ban (HTTP 418).
    package private(set) var bannedUntil: Int64?

    package init(windows: [LimitWindow] = LimitWindow.spotDefaults) {
        counters = windows.map { Counter(window: $0) }
    }

    // MARK: - Events

    /// Replaces the limits with the ones the exchange reports, keeping the counts of matching windows.
    package mutating func configure(_ windows: [LimitWindow]) {
        guard !windows.isEmpty else { return }
        counters = windows.map { window in
            var counter = Counter(window: window)
            if let old = counters.first(where: {
                $0.window.kind == window.kind && $0.window.intervalMilliseconds == window.intervalMilliseconds
            }) {
                counter.windowStart = old.windowStart
                counter.used = old.used
            }
            return counter
        }
        hasExchangeLimits = true
    }

    /// Decides whether a request of `cost` may be sent at `now`, and counts it if so.
    package mutating func reserve(_ cost: RequestCost, now: Int64) -> LimitDecision {
        if let bannedUntil, now < bannedUntil { return .banned(until: bannedUntil) }
        if let retryAfterUntil, now < retryAfterUntil { return .wait(until: retryAfterUntil, kind: nil) }

        var latest: (until: Int64, kind: RateLimitKind)?
        for index in counters.indices {
            roll(&counters[index], now: now)
            let counter = counters[index]
            let amount = Self.amount(of: cost, for: counter.window.kind)
            // A request heavier than the whole limit still goes out in an empty window, where the server
            // decides; waiting could never make room for it.
            guard amount > 0, counter.used > 0, counter.used + amount > counter.window.limit else { continue }
            let until = counter.windowStart + counter.window.intervalMilliseconds
            if latest == nil || until > latest!.until { latest = (until, counter.window.kind) }
        }
        if let latest { return .wait(until: latest.until, kind: latest.kind) }

        for index in counters.indices {
            counters[index].used += Self.amount(of: cost, for: counters[index].window.kind)
        }
        return .proceed
    }

    /// Records the end of a request that `reserve` counted: a success refunds weight the exchange does not
    /// charge for it (order placement and cancel).
    package mutating func complete(_ cost: RequestCost, succeeded: Bool, now: Int64) {
        guard succeeded, cost.weightOnSuccess < cost.weight else { return }
        let refund = cost.weight - cost.weightOnSuccess
        for index in counters.indices where counters[index].window.kind == .requestWeight {
            roll(&counters[index], now: now)
            counters[index].used = max(0, counters[index].used - refund)
        }
    }

    /// Raises counts to what the server reports in `X-MBX-USED-WEIGHT-*` and `X-MBX-ORDER-COUNT-*` headers.
    /// Counts never go down here: a lower figure may be from a response that left before other requests.
    package mutating func observe(_ usage: ServerUsage, now: Int64) {
        for index in counters.indices {
            roll(&counters[index], now: now)
            let window = counters[index].window
            let reported: Int?
            switch window.kind {
            case .requestWeight: reported = usage.usedWeight[window.intervalMilliseconds]
            case .orders: reported = usage.orderCount[window.intervalMilliseconds]
            case .rawRequests: reported = nil
            }
            if let reported, reported > counters[index].used { counters[index].used = reported }
        }
    }

    /// Records HTTP 429: every request waits until `until`.
    package mutating func pause(until: Int64) {
        retryAfterUntil = max(retryAfterUntil ?? until, until)
    }

    /// Records HTTP 418: nothing is sent until `until`.
    package mutating func ban(until: Int64) {
        bannedUntil = max(bannedUntil ?? until, until)
    }

    // MARK: - Status

    /// Current use of each limit, after rolling windows forward to `now`.
    package func usage(now: Int64) -> [LimitUsage] {
        counters.map { counter in
            var counter = counter
            roll(&counter, now: now)
            return LimitUsage(window: counter.window, used: counter.used)
        }
    }

    // MARK: - Helpers

    private func roll(_ counter: inout Counter, now: Int64) {
        let interval = counter.window.intervalMilliseconds
        let start = now - ((now % interval) + interval) % interval
        if start != counter.windowStart {
            counter.windowStart = start
            counter.used = 0
        }
    }

    private static func amount(of cost: RequestCost, for kind: RateLimitKind) -> Int {
        switch kind {
        case .requestWeight: cost.weight
        case .orders: cost.orders
        case .rawRequests: 1
        }
    }
}

/// The use of one limit.
package struct LimitUsage: Sendable, Equatable {
    package var window: LimitWindow
    package var used: Int
}

/// Usage figures a response reports in its headers, keyed by window length in milliseconds.
package struct ServerUsage: Sendable, Equatable {
    package var usedWeight: [Int64: Int] = [:]
    package var orderCount: [Int64: Int] = [:]

    package init(usedWeight: [Int64: Int] = [:], orderCount: [Int64: Int] = [:]) {
        self.usedWeight = usedWeight
        self.orderCount = orderCount
    }

    /// Reads `X-MBX-USED-WEIGHT-<n><unit>` and `X-MBX-ORDER-COUNT-<n><unit>` (unit S, M, H or D), ignoring case.
    /// The legacy `X-MBX-USED-WEIGHT` without an interval is skipped.
    package init(headers: [String: String]) {
        // The name is checked before the value is trimmed and read: Foundation's trimming is slow, and most
        // headers of a reply are not limit headers.
        for (name, value) in headers {
            let lower = name.lowercased()
            if let interval = Self.interval(lower, prefix: "x-mbx-used-weight-") {
                if let count = Int(value.trimmingCharacters(in: .whitespaces)) { usedWeight[interval] = count }
            } else if let interval = Self.interval(lower, prefix: "x-mbx-order-count-") {
                if let count = Int(value.trimmingCharacters(in: .whitespaces)) { orderCount[interval] = count }
            }
        }
    }

    private static func interval(_ name: String, prefix: String) -> Int64? {
        guard name.hasPrefix(prefix) else { return nil }
        let suffix = name.dropFirst(prefix.count)
        guard let unitCharacter = suffix.last, let number = Int64(suffix.dropLast()), number > 0,
            let unit = LimitWindow.unitMilliseconds[String(unitCharacter).uppercased()]
        else { return nil }
        return number * unit
    }
}
