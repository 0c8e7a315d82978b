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

    fileprivate var recent: [String: [(rejection: OrderRejection, at: Date)]] = [:]
    fileprivate var pauses: [String: Pause] = [:]

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

// MARK: - Persistence

extension OrderCircuitBreaker {
    /// Encodes the rejections within the window and the pauses in force at `now` for the state file.
    func json(at now: Date) -> JSONValue {
        var pauseMembers: [String: JSONValue] = [:]
        for pause in activePauses(at: now) {
            pauseMembers[pause.symbol] = .object([
                "until_ms": .int64(Self.milliseconds(pause.until)),
                "code": .int(pause.rejection.code),
                "message": .string(pause.rejection.message),
                "count": .int(pause.count),
            ])
        }
        var recentMembers: [String: JSONValue] = [:]
        for (symbol, entries) in recent {
            let recentEntries = entries.filter { now.timeIntervalSince($0.at) < window }
            guard !recentEntries.isEmpty else { continue }
            recentMembers[symbol] = .array(
                recentEntries.map { entry in
                    .object([
                        "code": .int(entry.rejection.code),
                        "message": .string(entry.rejection.message),
                        "at_ms": .int64(Self.milliseconds(entry.at)),
                    ])
                }
            )
        }
        return .object(["pauses": .object(pauseMembers), "recent": .object(recentMembers)])
    }

    /// Returns a breaker with this one's settings and the rejections and pauses stored in `json`; entries that
    /// cannot be read are skipped.
    func restoring(_ json: JSONValue?) -> OrderCircuitBreaker {
        var restored = OrderCircuitBreaker(threshold: threshold, window: window, pauseDuration: pauseDuration)
        for (symbol, value) in json?["pauses"]?.objectValue ?? [:] {
            guard let until = Self.date(value["until_ms"]), let code = Self.integer(value["code"]),
                let count = Self.integer(value["count"])
            else { continue }
            let message = value["message"]?.stringValue ?? ""
            restored.pauses[symbol] = Pause(
                symbol: symbol,
                until: until,
                rejection: OrderRejection(symbol: symbol, code: code, message: message),
                count: count
            )
        }
        for (symbol, value) in json?["recent"]?.objectValue ?? [:] {
            restored.recent[symbol] = (value.arrayValue ?? []).compactMap { entry in
                guard let at = Self.date(entry["at_ms"]), let code = Self.integer(entry["code"]) else { return nil }
                let message = entry["message"]?.stringValue ?? ""
                return (OrderRejection(symbol: symbol, code: code, message: message), at)
            }
        }
        return restored
    }

    private static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded())
    }

    private static func integer(_ value: JSONValue?) -> Int? {
        value?.decimalValue.map { NSDecimalNumber(decimal: $0).intValue }
    }

    private static func date(_ value: JSONValue?) -> Date? {
        value?.decimalValue.map { Date(timeIntervalSince1970: NSDecimalNumber(decimal: $0).doubleValue / 1000) }
    }
}

/// The circuit breaker of one trading guard, kept in the state directory so that a pause reaches every process
/// sharing it and survives a restart until it expires.
///
/// Updates go through `LockedStateFile`, so rejections counted by two processes add up. When the file cannot be
/// written, `update` applies the change to this process's copy and throws, so the pause still applies here.
struct SharedCircuitBreaker: Sendable {
    static let fileName = "order-pauses.json"

    private let file: LockedStateFile?
    /// The settings, and the state of this process when there is no file or it cannot be written.
    private var local: OrderCircuitBreaker

    init(directory: String?, settings: OrderCircuitBreaker) {
        file = directory.map { LockedStateFile(directory: $0, name: Self.fileName) }
        local = settings
    }

    var path: String? { file?.path }

    /// Returns the pause in force for `symbol`: the stored one, or one kept only in this process's copy.
    func pause(for symbol: String, at now: Date) -> OrderCircuitBreaker.Pause? {
        if let file, let pause = local.restoring(file.read()).pause(for: symbol, at: now) { return pause }
        return local.pause(for: symbol, at: now)
    }

    /// True when rejections of `symbol` within the window are counted, here or in the file; an accepted order
    /// then needs to clear them.
    func hasRecentRejections(for symbol: String, at now: Date) -> Bool {
        let stored = file.map { local.restoring($0.read()) }
        return [local, stored].contains { breaker in
            guard let entries = breaker?.recent[symbol] else { return false }
            return entries.contains { now.timeIntervalSince($0.at) < local.window }
        }
    }

    func activePauses(at now: Date) -> [OrderCircuitBreaker.Pause] {
        guard let file else { return local.activePauses(at: now) }
        var bySymbol: [String: OrderCircuitBreaker.Pause] = [:]
        for pause in local.activePauses(at: now) + local.restoring(file.read()).activePauses(at: now) {
            bySymbol[pause.symbol] = pause
        }
        return bySymbol.values.sorted { $0.symbol < $1.symbol }
    }

    /// Applies `change` to the stored breaker under the file's lock, or to this process's copy when there is no
    /// file.
    /// - Throws: `SecureFileError` when the file cannot be updated; the change is then applied to this process's
    ///   copy, so a pause still applies here.
    mutating func update<Outcome>(at now: Date, _ change: (inout OrderCircuitBreaker) -> Outcome) throws(SecureFileError)
        -> Outcome
    {
        guard let file else { return change(&local) }
        let settings = OrderCircuitBreaker(
            threshold: local.threshold,
            window: local.window,
            pauseDuration: local.pauseDuration
        )
        do {
            return try file.update(sync: false) { stored in
                var breaker = settings.restoring(stored)
                let outcome = change(&breaker)
                return (breaker.json(at: now), outcome)
            }
        } catch {
            _ = change(&local)
            throw error
        }
    }

    /// Ends every pause, stored or local, as `resume` does.
    mutating func reset(at now: Date) throws(SecureFileError) {
        local.reset()
        try update(at: now) { $0.reset() }
    }
}
