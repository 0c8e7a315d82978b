import Foundation

/// The kinds of limit Binance enforces, as exchangeInfo names them in `rateLimitType`.
package enum RateLimitKind: String, Sendable, Hashable, CaseIterable, Codable {
    /// Request weight per IP.
    case requestWeight = "REQUEST_WEIGHT"
    /// New orders per account (the unfilled-order count).
    case orders = "ORDERS"
    /// Requests per IP, whatever their weight.
    case rawRequests = "RAW_REQUESTS"
}

/// One limit: at most `limit` units of `kind` in each fixed window of `intervalMilliseconds`.
package struct LimitWindow: Sendable, Equatable, Codable {
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
/// passed in by the caller (milliseconds since the Unix epoch, on the exchange's clock), so it can be tested
/// without clocks.
///
/// Windows are fixed and aligned to multiples of their interval since the epoch, as Binance counts them
/// (the per-minute weight resets at the start of each minute). Near a boundary the window a request lands in
/// is uncertain: it may reach the exchange late, and the measured clock offset may be off by half a round
/// trip. So a reservation within the guard band before a window's end also counts in the next window, and
/// one within the guard band after a window's start must also fit in the previous window. The state is
/// `Codable` so that processes sharing one key can keep it in one file.
package struct RateLimiterState: Sendable, Equatable, Codable {
    private struct Counter: Sendable, Equatable, Codable {
        var window: LimitWindow
        var windowStart: Int64 = .min
        var used = 0
        /// Units already counted in the next window: reservations made in this window's guard band.
        var nextUsed = 0
        /// Units counted in the window before this one, including reservations made early in this window.
        var previousUsed = 0
    }

    private var counters: [Counter]
    /// True once the limits came from the exchange rather than the defaults.
    package private(set) var hasExchangeLimits = false
    /// When the exchange's limits were adopted (ms since the epoch); nil when unknown.
    package private(set) var limitsAdoptedAt: Int64?
    /// End of a pause the server asked for with HTTP 429 and `Retry-After`.
    package private(set) var retryAfterUntil: Int64?
    /// End of an IP ban (HTTP 418).
    package private(set) var bannedUntil: Int64?

    package init(windows: [LimitWindow] = LimitWindow.spotDefaults) {
        counters = windows.map { Counter(window: $0) }
    }

    // MARK: - Events

    /// Replaces the limits with the ones the exchange reports, keeping the counts of matching windows.
    /// - Parameter now: when the limits were read, kept in `limitsAdoptedAt`.
    package mutating func configure(_ windows: [LimitWindow], at now: Int64? = nil) {
        guard !windows.isEmpty else { return }
        counters = windows.map { window in
            var counter = Counter(window: window)
            if let old = counters.first(where: {
                $0.window.kind == window.kind && $0.window.intervalMilliseconds == window.intervalMilliseconds
            }) {
                counter.windowStart = old.windowStart
                counter.used = old.used
                counter.nextUsed = old.nextUsed
                counter.previousUsed = old.previousUsed
            }
            return counter
        }
        hasExchangeLimits = true
        if let now { limitsAdoptedAt = now }
    }

    /// Decides whether a request of `cost` may be sent at `now`, and counts it if so.
    /// - Parameter guardMilliseconds: the uncertainty of the window a request lands in: how late it may reach
    ///   the exchange plus the error of the clock offset. Each window caps it at a quarter of its interval.
    package mutating func reserve(_ cost: RequestCost, now: Int64, guardMilliseconds: Int64 = 0) -> LimitDecision {
        if let bannedUntil, now < bannedUntil { return .banned(until: bannedUntil) }
        if let retryAfterUntil, now < retryAfterUntil { return .wait(until: retryAfterUntil, kind: nil) }

        var latest: (until: Int64, kind: RateLimitKind)?
        for index in counters.indices {
            Self.roll(&counters[index], now: now)
            let counter = counters[index]
            let amount = Self.amount(of: cost, for: counter.window.kind)
            let guardBand = Self.guardBand(guardMilliseconds, for: counter.window)
            // A request heavier than the whole limit still goes out in an empty window, where the server
            // decides; waiting could never make room for it.
            var until: Int64?
            if amount > 0, counter.used > 0, counter.used + amount > counter.window.limit {
                // The full window stays possible for the first part of the next one, so wait past that too.
                until = counter.windowStart + counter.window.intervalMilliseconds + guardBand
            } else if amount > 0, now - counter.windowStart < guardBand, counter.previousUsed > 0,
                counter.previousUsed + amount > counter.window.limit
            {
                // Early in a window the request may still land in the full previous one.
                until = counter.windowStart + guardBand
            }
            guard let until else { continue }
            if latest == nil || until > latest!.until { latest = (until, counter.window.kind) }
        }
        if let latest { return .wait(until: latest.until, kind: latest.kind) }

        for index in counters.indices {
            let amount = Self.amount(of: cost, for: counters[index].window.kind)
            let guardBand = Self.guardBand(guardMilliseconds, for: counters[index].window)
            let start = counters[index].windowStart
            counters[index].used += amount
            if start + counters[index].window.intervalMilliseconds - now <= guardBand {
                counters[index].nextUsed += amount
            }
            if now - start < guardBand {
                counters[index].previousUsed += amount
            }
        }
        return .proceed
    }

    /// Records the end of a request that `reserve` counted: a success refunds weight the exchange does not
    /// charge for it (order placement and cancel). The refund applies only while the window the request was
    /// reserved in is still current.
    /// - Parameter reservedAt: when `reserve` counted the request; nil means `now`.
    package mutating func complete(_ cost: RequestCost, succeeded: Bool, now: Int64, reservedAt: Int64? = nil) {
        guard succeeded, cost.weightOnSuccess < cost.weight else { return }
        let refund = cost.weight - cost.weightOnSuccess
        for index in counters.indices where counters[index].window.kind == .requestWeight {
            Self.roll(&counters[index], now: now)
            let interval = counters[index].window.intervalMilliseconds
            guard Self.windowStart(of: reservedAt ?? now, interval: interval) == counters[index].windowStart else {
                continue
            }
            counters[index].used = max(0, counters[index].used - refund)
        }
    }

    /// Raises counts to what the server reports in `X-MBX-USED-WEIGHT-*` and `X-MBX-ORDER-COUNT-*` headers.
    /// Counts never go down here: a lower figure may be from a response that left before other requests.
    package mutating func observe(_ usage: ServerUsage, now: Int64) {
        observe(usage, sentAt: now, receivedAt: now)
    }

    /// Raises counts to what the server reports, for the windows in which the request was both sent and
    /// answered. When a window ended in between, the server's figure may belong to either window, so that
    /// window keeps its own count.
    package mutating func observe(_ usage: ServerUsage, sentAt: Int64, receivedAt: Int64) {
        for index in counters.indices {
            Self.roll(&counters[index], now: receivedAt)
            let window = counters[index].window
            guard Self.windowStart(of: sentAt, interval: window.intervalMilliseconds) == counters[index].windowStart
            else { continue }
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
            Self.roll(&counter, now: now)
            return LimitUsage(window: counter.window, used: counter.used)
        }
    }

    // MARK: - Helpers

    /// Moves a counter to the window holding `now`. A window never moves backwards: a process whose clock runs
    /// slightly behind another's counts its request in the later window the other one already opened.
    private static func roll(_ counter: inout Counter, now: Int64) {
        let interval = counter.window.intervalMilliseconds
        let start = windowStart(of: now, interval: interval)
        guard start > counter.windowStart else { return }
        let isNext = counter.windowStart != .min && start == counter.windowStart + interval
        counter.previousUsed = isNext ? counter.used : 0
        counter.used = isNext ? counter.nextUsed : 0
        counter.nextUsed = 0
        counter.windowStart = start
    }

    private static func guardBand(_ milliseconds: Int64, for window: LimitWindow) -> Int64 {
        min(max(0, milliseconds), window.intervalMilliseconds / 4)
    }

    private static func windowStart(of time: Int64, interval: Int64) -> Int64 {
        time - ((time % interval) + interval) % interval
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
    /// - Parameter weightHeaderPrefix: the lower-case name of the weight header before its interval:
    ///   `x-sapi-used-ip-weight-` and `x-sapi-used-uid-weight-` for `/sapi` endpoints.
    package init(headers: [String: String], weightHeaderPrefix: String = "x-mbx-used-weight-") {
        // Names are matched byte by byte, without making lower-case copies, because every reply passes through
        // here and most of its headers are not limit headers.
        for (name, value) in headers {
            if let interval = Self.interval(name, prefix: weightHeaderPrefix) {
                if let count = Self.count(value) { usedWeight[interval] = count }
            } else if let interval = Self.interval(name, prefix: "x-mbx-order-count-") {
                if let count = Self.count(value) { orderCount[interval] = count }
            }
        }
    }

    /// Returns the window length in milliseconds that ends a header name starting with `prefix`, in any case.
    /// Returns nil when the name does not match or the length does not fit in `Int64`.
    private static func interval(_ name: String, prefix: String) -> Int64? {
        let bytes = name.utf8
        var index = bytes.startIndex
        for expected in prefix.utf8 {
            guard index != bytes.endIndex, lowercased(bytes[index]) == expected else { return nil }
            index = bytes.index(after: index)
        }
        var number: Int64 = 0
        var digitCount = 0
        while index != bytes.endIndex, let digit = digitValue(bytes[index]) {
            let (product, productOverflow) = number.multipliedReportingOverflow(by: 10)
            let (sum, sumOverflow) = product.addingReportingOverflow(Int64(digit))
            guard !productOverflow, !sumOverflow else { return nil }
            number = sum
            digitCount += 1
            index = bytes.index(after: index)
        }
        guard digitCount > 0, number > 0, index != bytes.endIndex else { return nil }
        let unitMilliseconds: Int64
        switch lowercased(bytes[index]) {
        case UInt8(ascii: "s"): unitMilliseconds = 1000
        case UInt8(ascii: "m"): unitMilliseconds = 60_000
        case UInt8(ascii: "h"): unitMilliseconds = 3_600_000
        case UInt8(ascii: "d"): unitMilliseconds = 86_400_000
        default: return nil
        }
        guard bytes.index(after: index) == bytes.endIndex else { return nil }
        let (milliseconds, overflow) = number.multipliedReportingOverflow(by: unitMilliseconds)
        return overflow ? nil : milliseconds
    }

    /// Reads a header value as a count, ignoring spaces and tabs around it.
    private static func count(_ value: String) -> Int? {
        var text = Substring(value)
        while let first = text.utf8.first, first == 32 || first == 9 { text = text.dropFirst() }
        while let last = text.utf8.last, last == 32 || last == 9 { text = text.dropLast() }
        return Int(text)
    }

    private static func lowercased(_ byte: UInt8) -> UInt8 {
        byte >= 65 && byte <= 90 ? byte + 32 : byte
    }

    private static func digitValue(_ byte: UInt8) -> UInt8? {
        byte >= 48 && byte <= 57 ? byte - 48 : nil
    }
}

// MARK: - JSON text

extension RateLimiterState {
    /// Appends the state as compact JSON with the members and names of its `Codable` form, so
    /// `JSONDecoder` reads it back. `SharedLimitFile` writes the file with this on every request,
    /// where `JSONEncoder` took about 7 % of an MCP tool call's CPU time (measured with `perf`).
    package func appendJSON(to text: inout [UInt8]) {
        text.append(contentsOf: #"{"counters":["#.utf8)
        for (index, counter) in counters.enumerated() {
            if index > 0 { text.append(UInt8(ascii: ",")) }
            text.append(contentsOf: #"{"window":"#.utf8)
            counter.window.appendJSON(to: &text)
            JSONText.appendMember("windowStart", counter.windowStart, to: &text)
            JSONText.appendMember("used", counter.used, to: &text)
            JSONText.appendMember("nextUsed", counter.nextUsed, to: &text)
            JSONText.appendMember("previousUsed", counter.previousUsed, to: &text)
            text.append(UInt8(ascii: "}"))
        }
        text.append(contentsOf: #"],"hasExchangeLimits":"#.utf8)
        text.append(contentsOf: (hasExchangeLimits ? "true" : "false").utf8)
        // Synthesized `Codable` leaves out optional members that are nil, and so does this.
        if let limitsAdoptedAt { JSONText.appendMember("limitsAdoptedAt", limitsAdoptedAt, to: &text) }
        if let retryAfterUntil { JSONText.appendMember("retryAfterUntil", retryAfterUntil, to: &text) }
        if let bannedUntil { JSONText.appendMember("bannedUntil", bannedUntil, to: &text) }
        text.append(UInt8(ascii: "}"))
    }
}

extension LimitWindow {
    /// Appends the window as compact JSON in its `Codable` form.
    func appendJSON(to text: inout [UInt8]) {
        text.append(contentsOf: #"{"kind":"#.utf8)
        JSONText.appendString(kind.rawValue, to: &text)
        JSONText.appendMember("intervalMilliseconds", intervalMilliseconds, to: &text)
        JSONText.appendMember("limit", limit, to: &text)
        text.append(UInt8(ascii: "}"))
    }
}

/// Writers of compact JSON text into a byte buffer.
enum JSONText {
    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// Appends `,"name":value`. The name is copied as it is, so it must need no escaping.
    static func appendMember(_ name: StaticString, _ value: Int64, to text: inout [UInt8]) {
        text.append(UInt8(ascii: ","))
        text.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { text.append(contentsOf: $0) }
        text.append(UInt8(ascii: "\""))
        text.append(UInt8(ascii: ":"))
        appendInteger(value, to: &text)
    }

    static func appendMember(_ name: StaticString, _ value: Int, to text: inout [UInt8]) {
        appendMember(name, Int64(value), to: &text)
    }

    /// Appends the decimal digits of `value`, with a minus sign when it is negative.
    static func appendInteger(_ value: Int64, to text: inout [UInt8]) {
        if value < 0 { text.append(UInt8(ascii: "-")) }
        // The magnitude is unsigned, so `Int64.min` needs no special case.
        var magnitude = value.magnitude
        let start = text.count
        repeat {
            text.append(UInt8(ascii: "0") + UInt8(magnitude % 10))
            magnitude /= 10
        } while magnitude > 0
        text[start...].reverse()
    }

    /// Appends `value` as a JSON string: quotes, backslashes and control characters are escaped, and
    /// everything else is copied as UTF-8.
    static func appendString(_ value: String, to text: inout [UInt8]) {
        text.append(UInt8(ascii: "\""))
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                text.append(UInt8(ascii: "\\"))
                text.append(byte)
            case 0..<0x20:
                text.append(contentsOf: #"\u00"#.utf8)
                text.append(hexDigits[Int(byte >> 4)])
                text.append(hexDigits[Int(byte & 0x0F)])
            default:
                text.append(byte)
            }
        }
        text.append(UInt8(ascii: "\""))
    }
}
