import BinanceAPI
import Foundation

/// The limits the simulator enforces, with Binance's current values as the default.
package struct SimulatorRateLimits: Sendable {
    /// Spot `/api` request weight per IP per minute (REQUEST_WEIGHT).
    package var requestWeightPerMinute: Int
    /// Spot requests per IP per 5 minutes (RAW_REQUESTS).
    package var rawRequestsPerFiveMinutes: Int
    /// New orders per account per 10 seconds (ORDERS).
    package var ordersPerTenSeconds: Int
    /// New orders per account per day (ORDERS).
    package var ordersPerDay: Int
    /// `/sapi` IP weight per minute.
    package var walletWeightPerMinute: Int
    /// `/sapi` weight per account (UID) per minute, counted by endpoints Binance meters per account.
    package var walletAccountWeightPerMinute: Int
    /// `/fapi` request weight per minute.
    package var futuresWeightPerMinute: Int
    /// Number of 429 responses in one minute after which the client's IP is banned with 418.
    package var rejectionsBeforeBan: Int
    /// Length of an IP ban, in seconds (Binance starts at 2 minutes).
    package var banSeconds: Int

    package init(
        requestWeightPerMinute: Int = 6_000,
        rawRequestsPerFiveMinutes: Int = 300_000,
        ordersPerTenSeconds: Int = 100,
        ordersPerDay: Int = 200_000,
        walletWeightPerMinute: Int = 12_000,
        walletAccountWeightPerMinute: Int = 180_000,
        futuresWeightPerMinute: Int = 2_400,
        rejectionsBeforeBan: Int = 5,
        banSeconds: Int = 120
    ) {
        self.requestWeightPerMinute = requestWeightPerMinute
        self.rawRequestsPerFiveMinutes = rawRequestsPerFiveMinutes
        self.ordersPerTenSeconds = ordersPerTenSeconds
        self.ordersPerDay = ordersPerDay
        self.walletWeightPerMinute = walletWeightPerMinute
        self.walletAccountWeightPerMinute = walletAccountWeightPerMinute
        self.futuresWeightPerMinute = futuresWeightPerMinute
        self.rejectionsBeforeBan = rejectionsBeforeBan
        self.banSeconds = banSeconds
    }

    /// Binance's spot limits as published in 2026: 6,000 weight a minute, 300,000 raw requests per 5 minutes,
    /// 100 orders per 10 seconds and 200,000 a day.
    package static let binance = SimulatorRateLimits()

    /// Limits so high that benchmarks never reach them.
    package static let unlimited = SimulatorRateLimits(
        requestWeightPerMinute: Int.max / 4,
        rawRequestsPerFiveMinutes: Int.max / 4,
        ordersPerTenSeconds: Int.max / 4,
        ordersPerDay: Int.max / 4,
        walletWeightPerMinute: Int.max / 4,
        walletAccountWeightPerMinute: Int.max / 4,
        futuresWeightPerMinute: Int.max / 4,
        rejectionsBeforeBan: Int.max / 4,
        banSeconds: 0
    )
}

/// A counter over fixed windows aligned to the epoch, as Binance counts (a minute window resets at :00).
struct WindowCounter: Sendable {
    let length: Int64
    private(set) var windowStart: Int64 = 0
    private(set) var count = 0

    init(length: Int64) { self.length = length }

    mutating func current(at time: Int64) -> Int {
        roll(time)
        return count
    }

    mutating func add(_ amount: Int, at time: Int64) -> Int {
        roll(time)
        count += amount
        return count
    }

    func secondsUntilReset(at time: Int64) -> Int {
        Int((windowStart + length - time + 999) / 1000)
    }

    private mutating func roll(_ time: Int64) {
        let start = time - positiveModulo(time, length)
        if start != windowStart {
            windowStart = start
            count = 0
        }
    }
}

/// Weight and order counting for one client (the simulator serves one account from one address).
struct RateLimiter: Sendable {
    enum Family { case spot, wallet, walletAccount, futures }

    let limits: SimulatorRateLimits
    private var spotWeight = WindowCounter(length: 60_000)
    private var rawRequests = WindowCounter(length: 300_000)
    private var walletWeight = WindowCounter(length: 60_000)
    private var walletAccountWeight = WindowCounter(length: 60_000)
    private var futuresWeight = WindowCounter(length: 60_000)
    private var ordersTenSeconds = WindowCounter(length: 10_000)
    private var ordersDay = WindowCounter(length: 86_400_000)
    private var rejections = WindowCounter(length: 60_000)
    private(set) var bannedUntil: Int64 = 0

    init(limits: SimulatorRateLimits) { self.limits = limits }

    /// Counts one request of `weight`; returns the usage headers, or a 429/418 failure carrying them.
    mutating func admit(family: Family, weight: Int, at time: Int64) -> Result<[String: String], APIFailure> {
        if time < bannedUntil {
            return .failure(banFailure(at: time))
        }
        var headers = [String: String]()
        let used: Int
        let limit: Int
        switch family {
        case .spot:
            used = spotWeight.add(weight, at: time)
            limit = limits.requestWeightPerMinute
            headers["x-mbx-used-weight"] = String(used)
            headers["x-mbx-used-weight-1m"] = String(used)
            if rawRequests.add(1, at: time) > limits.rawRequestsPerFiveMinutes {
                return .failure(tooMany(
                    "Too many requests; current limit is \(limits.rawRequestsPerFiveMinutes) requests per 5 MINUTE.",
                    retryAfter: rawRequests.secondsUntilReset(at: time),
                    headers: headers,
                    at: time
                ))
            }
        case .wallet:
            used = walletWeight.add(weight, at: time)
            limit = limits.walletWeightPerMinute
            headers["x-sapi-used-ip-weight-1m"] = String(used)
        case .walletAccount:
            used = walletAccountWeight.add(weight, at: time)
            limit = limits.walletAccountWeightPerMinute
            headers["x-sapi-used-uid-weight-1m"] = String(used)
        case .futures:
            used = futuresWeight.add(weight, at: time)
            limit = limits.futuresWeightPerMinute
            headers["x-mbx-used-weight-1m"] = String(used)
        }
        if used > limit {
            let message = "Too much request weight used; current limit is \(limit) request weight per 1 MINUTE. "
                + "Please use WebSocket Streams for live updates to avoid polling the API."
            let window: WindowCounter
            switch family {
            case .spot: window = spotWeight
            case .wallet: window = walletWeight
            case .walletAccount: window = walletAccountWeight
            case .futures: window = futuresWeight
            }
            return .failure(tooMany(message, retryAfter: window.secondsUntilReset(at: time), headers: headers, at: time))
        }
        return .success(headers)
    }

    /// Gives back the weight of a successful order placement or cancel, which Binance no longer charges.
    mutating func refund(family: Family, weight: Int, at time: Int64) -> [String: String] {
        guard family == .spot else { return [:] }
        let used = spotWeight.add(-weight, at: time)
        return ["x-mbx-used-weight": String(used), "x-mbx-used-weight-1m": String(used)]
    }

    /// Counts one new order; returns the order-count headers, or a 429 failure.
    mutating func admitOrder(at time: Int64) -> Result<[String: String], APIFailure> {
        let tenSeconds = ordersTenSeconds.add(1, at: time)
        let day = ordersDay.add(1, at: time)
        let headers = ["x-mbx-order-count-10s": String(tenSeconds), "x-mbx-order-count-1d": String(day)]
        if tenSeconds > limits.ordersPerTenSeconds {
            return .failure(APIFailure(
                status: 429,
                code: -1015,
                "Too many new orders; current limit is \(limits.ordersPerTenSeconds) orders per 10 SECOND.",
                headers: headers.merging(["retry-after": String(ordersTenSeconds.secondsUntilReset(at: time))]) { $1 }
            ))
        }
        if day > limits.ordersPerDay {
            return .failure(APIFailure(
                status: 429,
                code: -1015,
                "Too many new orders; current limit is \(limits.ordersPerDay) orders per 1 DAY.",
                headers: headers.merging(["retry-after": String(ordersDay.secondsUntilReset(at: time))]) { $1 }
            ))
        }
        return .success(headers)
    }

    /// Current order counts, for `GET /api/v3/rateLimit/order`.
    mutating func orderCounts(at time: Int64) -> (tenSeconds: Int, day: Int) {
        (ordersTenSeconds.current(at: time), ordersDay.current(at: time))
    }

    private mutating func tooMany(_ message: String, retryAfter: Int, headers: [String: String], at time: Int64) -> APIFailure {
        if rejections.add(1, at: time) > limits.rejectionsBeforeBan {
            bannedUntil = time + Int64(limits.banSeconds) * 1000
            var failure = banFailure(at: time)
            failure.headers.merge(headers) { current, _ in current }
            return failure
        }
        var all = headers
        all["retry-after"] = String(max(retryAfter, 1))
        return APIFailure(status: 429, code: -1003, message, headers: all)
    }

    func banFailure(at time: Int64) -> APIFailure {
        APIFailure(
            status: 418,
            code: -1003,
            "Way too much request weight used; IP banned until \(bannedUntil). "
                + "Please use WebSocket Streams for live updates to avoid bans.",
            headers: ["retry-after": String(max(1, (bannedUntil - time + 999) / 1000))]
        )
    }
}

extension SimulatorRateLimits {
    /// The limits as the simulator publishes them in exchangeInfo's `rateLimits`, for a client to adopt
    /// without fetching exchangeInfo first.
    package var publishedRules: [RateLimitRule] {
        [
            RateLimitRule(rateLimitType: "REQUEST_WEIGHT", interval: "MINUTE", intervalNum: 1, limit: requestWeightPerMinute),
            RateLimitRule(rateLimitType: "ORDERS", interval: "SECOND", intervalNum: 10, limit: ordersPerTenSeconds),
            RateLimitRule(rateLimitType: "ORDERS", interval: "DAY", intervalNum: 1, limit: ordersPerDay),
            RateLimitRule(rateLimitType: "RAW_REQUESTS", interval: "MINUTE", intervalNum: 5, limit: rawRequestsPerFiveMinutes),
        ]
    }

    /// Name of the environment variable that picks the limits of the paper venue and of `--serve-sim`.
    package static let environmentVariable = "BINANCE_SIM_RATE_LIMITS"

    /// Reads `BINANCE_SIM_RATE_LIMITS`: `binance` (or unset) for Binance's limits, `unlimited` for benchmarks.
    /// - Throws: `SimulatorRateLimitsError.invalid` for any other value.
    package static func fromEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(SimulatorRateLimitsError) -> SimulatorRateLimits {
        let text = environment[environmentVariable]?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        switch text {
        case "", "binance": return .binance
        case "unlimited": return .unlimited
        default: throw .invalid(text)
        }
    }
}

/// A value of `BINANCE_SIM_RATE_LIMITS` that names no set of limits.
package enum SimulatorRateLimitsError: Error, CustomStringConvertible, Equatable {
    case invalid(String)

    package var description: String {
        switch self {
        case .invalid(let text):
            "Invalid BINANCE_SIM_RATE_LIMITS '\(text)': expected binance or unlimited."
        }
    }
}
