import Foundation

/// A response that reports the exchange's rate limits, as exchangeInfo does.
package protocol RateLimitReporting {
    var rateLimits: [RateLimitRule] { get }
}

extension ExchangeInfo: RateLimitReporting {}

extension BinanceClient {
    /// Round trips kept to size the guard band.
    static let roundTripSampleCount = 64
    /// Shortest and longest guard band, in milliseconds.
    static let guardBandRange: ClosedRange<Int64> = 250...5000
    /// Pause after a failed limit discovery or clock measurement before the next attempt, in milliseconds.
    static let preparationRetryMilliseconds: Int64 = 30_000

    // MARK: - Preparation

    /// Reads the exchange's limits before the first spot request and measures the clock before the first
    /// signed request, when the configuration enables them. Concurrent requests wait for the one discovery in progress.
    /// A failed discovery or measurement is logged and the request goes ahead with what is known, because a
    /// request the server refuses is no worse than one never sent.
    func prepare(for endpoint: Endpoint) async {
        if configuration.shouldFetchLimitsBeforeFirstRequest, endpoint.limitScope == .spot {
            await ensureSpotLimits()
        }
        if configuration.shouldSynchronizeClockBeforeSigning, endpoint.security == .signed {
            await ensureSynchronizedClock()
        }
    }

    private func ensureSpotLimits() async {
        if let task = limitDiscoveryTask {
            await CallTimeBudget.wait(for: task)
            return
        }
        // The copy in memory is checked first, so a process reads the shared file only until it has limits.
        if hasFreshLimits(limiters[.spot]) || hasFreshLimits(currentLimiter(.spot)) { return }
        let now = clock.now()
        if let last = lastLimitDiscoveryAt, now - last < Self.preparationRetryMilliseconds { return }
        lastLimitDiscoveryAt = now

        let task = Task { await self.discoverSpotLimits() }
        limitDiscoveryTask = task
        await task.value
        limitDiscoveryTask = nil
    }

    private func hasFreshLimits(_ state: RateLimiterState?) -> Bool {
        guard let state, state.hasExchangeLimits, let adoptedAt = state.limitsAdoptedAt else { return false }
        return serverNow() - adoptedAt < Self.milliseconds(configuration.exchangeLimitsMaximumAge)
    }

    /// Sends `GET /api/v3/exchangeInfo?symbol=…` (weight 20, a small body) and adopts its limits; when the
    /// server does not list the symbol (-1121), requests the whole exchangeInfo instead.
    private func discoverSpotLimits() async {
        logger.debug("Reading the exchange's rate limits", ["http.path": Endpoint.exchangeInfo.path])
        var attempts: [RequestParameters] = [["symbol": configuration.limitDiscoverySymbol], RequestParameters()]
        while !attempts.isEmpty {
            let parameters = attempts.removeFirst()
            do {
                let response = try await sendWithRetries(.exchangeInfo, parameters, waitPolicy: .failFast, progress: nil)
                _ = try decodeAdoptingLimits(ExchangeInfo.self, from: response.body, endpoint: .exchangeInfo)
                return
            } catch {
                if case .rejected(_, -1121, _) = error, !attempts.isEmpty { continue }
                logger.debug("Reading the exchange's rate limits failed", ["error": "\(error)"])
                return
            }
        }
    }

    private func ensureSynchronizedClock() async {
        if let task = clockTask {
            await CallTimeBudget.wait(for: task)
            return
        }
        let now = clock.now()
        let interval = Self.milliseconds(configuration.clockResynchronizationInterval)
        if let synchronizedAt = clockSynchronizedAt, now - synchronizedAt < interval { return }
        if let last = lastClockAttemptAt, now - last < Self.preparationRetryMilliseconds { return }
        lastClockAttemptAt = now

        let task = Task {
            do {
                try await self.synchronizeClock(waitPolicy: .failFast, progress: nil)
            } catch {
                self.logger.debug("Measuring the exchange clock failed", ["error": "\(error)"])
            }
        }
        clockTask = task
        await task.value
        clockTask = nil
    }

    /// Replaces the limits of a host group (`spot` or `futures`) with the ones an exchangeInfo response reports.
    package func adoptLimits(_ rules: [RateLimitRule], group: String = "spot") {
        adoptLimits(rules, scope: group == "futures" ? .futures : .spot)
    }

    /// Replaces the limits of `scope` with the ones an exchangeInfo response reports, keeping current counts,
    /// and records when they were read.
    package func adoptLimits(_ rules: [RateLimitRule], scope: LimitScope) {
        let windows = rules.compactMap(LimitWindow.init)
        guard !windows.isEmpty else { return }
        let now = serverNow()
        withLimiter(scope) { $0.configure(windows, at: now) }
        logger.debug("Adopted the exchange's rate limits", ["limit.scope": scope.description])
    }

    // MARK: - Admission

    /// Waits for, or refuses, a request that the rate limits do not allow now; counts it once allowed.
    /// - Returns: the time on the exchange's clock at which the request was counted.
    func admit(
        _ endpoint: Endpoint,
        cost: RequestCost,
        scope: LimitScope,
        waitPolicy: LimitWaitPolicy,
        progress: (@Sendable (String) -> Void)?
    ) async throws(BinanceError) -> Int64 {
        let started = serverNow()
        while true {
            let now = serverNow()
            let decision: LimitDecision
            if scope.isWallet, let until = currentLimiter(.spot).bannedUntil, now < until {
                decision = .banned(until: until)
            } else {
                let guardBand = guardBandMilliseconds()
                decision = withLimiter(scope) { $0.reserve(cost, now: now, guardMilliseconds: guardBand) }
            }
            switch decision {
            case .proceed:
                return now
            case .banned(let until):
                throw .banned(until: Self.date(milliseconds: until))
            case .wait(let until, let kind):
                let waitMilliseconds = until - now
                let seconds = Int((waitMilliseconds + 999) / 1000)
                let reason = Self.describe(kind)
                guard case .wait(let maximumSeconds) = waitPolicy,
                    until - started <= Int64(maximumSeconds) * 1000
                else {
                    throw .rateLimited(
                        retryAfterSeconds: seconds,
                        message: "\(endpoint) would exceed \(reason); retry in \(seconds) s."
                    )
                }
                progress?("Waiting \(seconds) s for \(reason) before \(endpoint).")
                try await pause(milliseconds: waitMilliseconds)
            }
        }
    }

    func pause(milliseconds: Int64) async throws(BinanceError) {
        do {
            try await clock.sleep(milliseconds)
        } catch {
            throw .cancelled
        }
    }

    // MARK: - State

    /// Applies `body` to the state of `scope`: in the shared file under its lock when one is configured, so
    /// processes using the same base URL and key count against one budget, else in memory.
    @discardableResult
    func withLimiter<Result>(_ scope: LimitScope, _ body: (inout RateLimiterState) -> Result) -> Result {
        let initial = limiters[scope] ?? RateLimiterState(windows: scope.defaultWindows)
        if let sharedLimits, let updated = sharedLimits.update(sharedKey(scope), initial: initial, body) {
            limiters[scope] = updated.state
            return updated.result
        }
        var state = initial
        let result = body(&state)
        limiters[scope] = state
        return result
    }

    /// Returns whether a response would change the state of `scope`, judged on the copy this client last read or
    /// wrote. A response whose usage headers are within the counts of that copy, in the same windows, and that
    /// earns no refund changes nothing, so the shared file is not opened for it. The copy includes this request's
    /// own reservation, so the file held at least those counts when the request was admitted. NOTE: a refund by
    /// another process since then can leave the file below a figure the server reports, and that figure is then
    /// not raised in the file until the next response that exceeds the copy.
    func changesLimiter(
        _ scope: LimitScope,
        usage: ServerUsage,
        cost: RequestCost,
        succeeded: Bool,
        reservedAt: Int64,
        now: Int64
    ) -> Bool {
        guard let known = limiters[scope] else { return true }
        var updated = known
        updated.observe(usage, sentAt: reservedAt, receivedAt: now)
        updated.complete(cost, succeeded: succeeded, now: now, reservedAt: reservedAt)
        return updated != known
    }

    /// Returns the current state of `scope`, read from the shared file when one is configured.
    func currentLimiter(_ scope: LimitScope) -> RateLimiterState {
        if let stored = sharedLimits?.read(sharedKey(scope)) {
            limiters[scope] = stored
            return stored
        }
        return limiters[scope] ?? RateLimiterState(windows: scope.defaultWindows)
    }

    /// Returns the key of `scope` in the shared file: base URL, account fingerprint and scope.
    func sharedKey(_ scope: LimitScope) -> String {
        "\(configuration.baseURL(for: scope)) account=\(accountFingerprint) \(scope)"
    }

    /// Returns the time on the exchange's clock as far as it is known: local time plus the measured offset.
    /// Windows are aligned to it, as the exchange aligns them to its own clock.
    func serverNow() -> Int64 {
        clock.now() + clockOffsetMilliseconds
    }

    func recordRoundTrip(_ milliseconds: Int64) {
        recentRoundTrips.append(max(0, milliseconds))
        if recentRoundTrips.count > Self.roundTripSampleCount {
            recentRoundTrips.removeFirst(recentRoundTrips.count - Self.roundTripSampleCount)
        }
    }

    /// Returns the guard band: twice the slowest recent round trip, within `guardBandRange`. A round trip bounds
    /// how late a request counted now can reach the exchange, and half of one bounds the clock offset's error.
    func guardBandMilliseconds() -> Int64 {
        let slowest = recentRoundTrips.max() ?? 0
        return min(max(2 * slowest, Self.guardBandRange.lowerBound), Self.guardBandRange.upperBound)
    }

    static func describe(_ kind: RateLimitKind?) -> String {
        switch kind {
        case .requestWeight: "the request-weight limit"
        case .orders: "the order-count limit"
        case .rawRequests: "the raw-request limit"
        case nil: "the pause the exchange requested (HTTP 429)"
        }
    }

    static func milliseconds(_ duration: Duration) -> Int64 {
        let parts = duration.components
        return parts.seconds * 1000 + parts.attoseconds / 1_000_000_000_000_000
    }
}
