import Foundation

/// Sends Binance REST requests through an `HTTPTransport`: encoding, signing with server-adjusted time, rate
/// limits, retries, and mapping of responses to `BinanceError`.
///
/// The same client talks to Binance, its testnet and the simulator; it cannot tell them apart.
package actor BinanceClient {
    package let configuration: ClientConfiguration
    let transport: any HTTPTransport
    let logger: Logger
    let clock: ClientClock
    /// Server time minus local time, in milliseconds, measured with `GET /api/v3/time`.
    var clockOffsetMilliseconds: Int64 = 0
    var isClockSynchronized = false
    /// Local time of the last successful clock measurement.
    var clockSynchronizedAt: Int64?
    /// Local time of the last clock measurement started before a signed request, successful or not.
    var lastClockAttemptAt: Int64?
    /// The clock measurement in progress, which concurrent signed requests wait for.
    var clockTask: Task<Void, Never>?
    /// Rate-limit state per scope, as last read from or written to the shared file.
    var limiters: [LimitScope: RateLimiterState] = [:]
    /// Local time of the last exchangeInfo request made to read the limits.
    var lastLimitDiscoveryAt: Int64?
    /// The limit discovery in progress, which concurrent requests wait for.
    var limitDiscoveryTask: Task<Void, Never>?
    /// Milliseconds from reservation to response of recent requests, newest last; they size the guard band.
    var recentRoundTrips: [Int64] = []
    let sharedLimits: SharedLimitFile?
    /// Names this client's account in the shared file: a fingerprint of the API key, never the key itself.
    let accountFingerprint: String

    package init(
        configuration: ClientConfiguration,
        transport: any HTTPTransport,
        logger: Logger = .disabled,
        clock: ClientClock = .system
    ) {
        self.configuration = configuration
        self.transport = transport
        self.logger = logger
        self.clock = clock
        sharedLimits = configuration.sharedLimitStatePath.map(SharedLimitFile.init(path:))
        accountFingerprint =
            configuration.credentials.map { String(SHA256Digest.hexHash($0.apiKey.bytes).prefix(16)) } ?? "none"
    }

    /// The measured offset of the exchange's clock from the local clock, in milliseconds.
    package var clockOffset: Int64 { clockOffsetMilliseconds }

    // MARK: - Sending

    /// Sends one request and returns the 2xx response.
    ///
    /// Signed endpoints get `recvWindow` and `timestamp` appended, then `signature` last. A signed request
    /// rejected with -1021 (timestamp outside the receive window) is sent once more after re-measuring the
    /// clock, with a fresh timestamp and otherwise identical parameters. Reads (GET) are retried up to
    /// `maximumReadRetries` times after an unknown outcome; nothing else is repeated. When the configuration
    /// enables it, the first request reads the exchange's limits and the first signed request measures the
    /// clock before it is sent.
    /// - Parameters:
    ///   - waitPolicy: what to do when a rate limit would be exceeded or the server asked for a pause.
    ///   - progress: receives a line whenever the request waits for a limit.
    /// - Throws: `BinanceError` for every non-2xx response, transport failure and rate-limit refusal.
    package func send(
        _ endpoint: Endpoint,
        _ parameters: RequestParameters = RequestParameters(),
        waitPolicy: LimitWaitPolicy = .failFast,
        progress: (@Sendable (String) -> Void)? = nil
    ) async throws(BinanceError) -> HTTPResponse {
        await prepare(for: endpoint)
        return try await sendWithRetries(endpoint, parameters, waitPolicy: waitPolicy, progress: progress)
    }

    /// Sends one request and decodes its JSON body.
    ///
    /// A 2xx body that is not JSON at all (cut short, or an HTML error page) is an unknown outcome; JSON of
    /// the wrong shape is `BinanceError.decoding`. Decoding exchangeInfo also adopts its rate limits.
    package func send<Response: Decodable>(
        _ endpoint: Endpoint,
        _ parameters: RequestParameters = RequestParameters(),
        as type: Response.Type,
        waitPolicy: LimitWaitPolicy = .failFast,
        progress: (@Sendable (String) -> Void)? = nil
    ) async throws(BinanceError) -> Response {
        let response = try await send(endpoint, parameters, waitPolicy: waitPolicy, progress: progress)
        return try decodeAdoptingLimits(Response.self, from: response.body, endpoint: endpoint)
    }

    /// Sends a request with the -1021 and read retries of `send`, but without the preparation that reads the
    /// limits and the clock first, because the preparation itself sends its requests through here.
    func sendWithRetries(
        _ endpoint: Endpoint,
        _ parameters: RequestParameters,
        waitPolicy: LimitWaitPolicy,
        progress: (@Sendable (String) -> Void)?
    ) async throws(BinanceError) -> HTTPResponse {
        var readRetries = 0
        var hasResynchronized = false
        while true {
            do {
                return try await sendOnce(endpoint, parameters, waitPolicy: waitPolicy, progress: progress)
            } catch {
                if case .rejected(_, -1021, _) = error, endpoint.security == .signed, !hasResynchronized {
                    hasResynchronized = true
                    logger.debug("Re-measuring the clock after -1021", ["http.path": endpoint.path])
                    try await synchronizeClock(waitPolicy: waitPolicy, progress: progress)
                    continue
                }
                if case .outcomeUnknown = error, endpoint.isRetryableRead,
                    readRetries < configuration.maximumReadRetries
                {
                    let backoff = Self.backoffMilliseconds(retry: readRetries + 1)
                    // A retry that could not start before the call's time runs out is not worth waiting for.
                    if let budget = CallTimeBudget.current, budget.remaining <= .milliseconds(backoff) {
                        budget.markRunOut()
                        throw error
                    }
                    readRetries += 1
                    logger.debug(
                        "Retrying a read after an unknown outcome",
                        ["http.path": endpoint.path, "retry": String(readRetries)]
                    )
                    let pauseStarted = ContinuousClock.now
                    try await pause(milliseconds: backoff)
                    CallTimeBudget.current?.spend(ContinuousClock.now - pauseStarted)
                    continue
                }
                throw error
            }
        }
    }

    /// Decodes a response body; an exchangeInfo body also gives its scope the limits it reports.
    func decodeAdoptingLimits<Response: Decodable>(
        _ type: Response.Type,
        from body: Data,
        endpoint: Endpoint
    ) throws(BinanceError) -> Response {
        let value: Response = try Self.decode(Response.self, from: body, endpoint: endpoint)
        if endpoint == .exchangeInfo || endpoint == .futuresExchangeInfo, let report = value as? any RateLimitReporting {
            adoptLimits(report.rateLimits, scope: endpoint.limitScope)
        }
        return value
    }

    /// Measures the clock offset with `GET /api/v3/time`, taking the middle of the round trip as the moment
    /// the server read its clock.
    package func synchronizeClock() async throws(BinanceError) {
        try await synchronizeClock(waitPolicy: .failFast, progress: nil)
    }

    /// Round trip under which one clock sample is trusted at once, in milliseconds.
    static let quickRoundTripMilliseconds: Int64 = 250
    /// Clock samples taken at most while their round trips are slow.
    static let maximumClockSamples = 3

    /// Takes up to `maximumClockSamples` samples and keeps the one with the shortest round trip, because
    /// the middle of the round trip can be off by half of it. A slow first sample on a busy machine or
    /// network would otherwise put timestamps ahead of the server's clock and earn -1021.
    func synchronizeClock(
        waitPolicy: LimitWaitPolicy,
        progress: (@Sendable (String) -> Void)?
    ) async throws(BinanceError) {
        var best: (offset: Int64, roundTrip: Int64)?
        for _ in 0..<Self.maximumClockSamples {
            let sent = clock.now()
            let response: HTTPResponse
            do {
                response = try await sendWithRetries(.time, RequestParameters(), waitPolicy: waitPolicy, progress: progress)
            } catch {
                // A later sample that fails leaves the earlier one in use.
                guard best != nil else { throw error }
                break
            }
            let time: ServerTime = try Self.decode(ServerTime.self, from: response.body, endpoint: .time)
            let received = clock.now()
            let roundTrip = received - sent
            if best == nil || roundTrip < best!.roundTrip {
                best = (time.serverTime - (sent + received) / 2, roundTrip)
            }
            if roundTrip < Self.quickRoundTripMilliseconds { break }
        }
        guard let best else { return }
        clockOffsetMilliseconds = best.offset
        isClockSynchronized = true
        clockSynchronizedAt = clock.now()
        logger.debug(
            "Measured the exchange clock",
            ["clock.offset_ms": String(best.offset), "clock.round_trip_ms": String(best.roundTrip)]
        )
    }

    /// Returns a snapshot of clock offset, limits and server pauses for `get_status`.
    package func status() -> ClientStatus {
        let now = serverNow()
        let state = currentLimiter(.spot)
        let usage = state.usage(now: now)
        let weight =
            usage.first { $0.window.kind == .requestWeight && $0.window.intervalMilliseconds == 60_000 }
            ?? usage.first { $0.window.kind == .requestWeight }
        return ClientStatus(
            clockOffsetMilliseconds: clockOffsetMilliseconds,
            isClockSynchronized: isClockSynchronized,
            weightUsed: weight?.used ?? 0,
            weightLimit: weight?.window.limit ?? 0,
            limits: usage,
            hasExchangeLimits: state.hasExchangeLimits,
            bannedUntil: state.bannedUntil.flatMap { $0 > now ? Self.date(milliseconds: $0) : nil },
            pausedUntil: state.retryAfterUntil.flatMap { $0 > now ? Self.date(milliseconds: $0) : nil }
        )
    }

    // MARK: - One attempt

    private func sendOnce(
        _ endpoint: Endpoint,
        _ parameters: RequestParameters,
        waitPolicy: LimitWaitPolicy,
        progress: (@Sendable (String) -> Void)?
    ) async throws(BinanceError) -> HTTPResponse {
        let budget = CallTimeBudget.current
        if let budget, budget.remaining <= .zero {
            budget.markRunOut()
            throw .notSent("\(endpoint): the call's time limit ran out before this request was sent.")
        }
        let scope = endpoint.limitScope
        let cost = endpoint.cost(for: parameters)
        let reservedAt = try await admit(endpoint, cost: cost, scope: scope, waitPolicy: waitPolicy, progress: progress)
        let started = clock.now()

        var request = try buildRequest(endpoint, parameters)
        // The request may use at most the call's remaining time; waiting in `admit` above did not count.
        if let budget { request.timeout = min(request.timeout, max(budget.remaining, .milliseconds(1))) }
        // A call cancelled before this point has sent nothing, so it may report plain cancellation.
        if Task.isCancelled { throw .cancelled }
        let response: HTTPResponse
        let transportStarted = ContinuousClock.now
        do {
            defer { budget?.spend(ContinuousClock.now - transportStarted) }
            response = try await transport.send(request)
        } catch {
            logger.debug("Transport failed", ["http.path": endpoint.path, "error": "\(error)"])
            // Transports may already name the request; name it once.
            let prefix = "\(endpoint): "
            switch error {
            case .notSent(let reason): throw .notSent(reason.hasPrefix(prefix) ? reason : prefix + reason)
            case .outcomeUnknown(let reason): throw .outcomeUnknown(reason.hasPrefix(prefix) ? reason : prefix + reason)
            case .cancelled:
                // A state change cancelled in flight may still reach the exchange, so it must be
                // reconciled like a timeout rather than reported as not done.
                guard endpoint.effect == .read else {
                    throw .outcomeUnknown(prefix + "the call was cancelled while the request was in flight.")
                }
                throw .cancelled
            }
        }

        recordRoundTrip(clock.now() - started)
        let now = serverNow()
        logger.debug("Response", ["http.path": endpoint.path, "http.status": String(response.status)])
        var failure: BinanceError?
        do {
            try check(response, endpoint: endpoint, scope: scope, now: now)
        } catch {
            failure = error
        }
        let usage = ServerUsage(headers: response.headers, weightHeaderPrefix: scope.weightHeaderPrefix)
        let succeeded = failure == nil
        if changesLimiter(scope, usage: usage, cost: cost, succeeded: succeeded, reservedAt: reservedAt, now: now) {
            withLimiter(scope) { state in
                state.observe(usage, sentAt: reservedAt, receivedAt: now)
                state.complete(cost, succeeded: succeeded, now: now, reservedAt: reservedAt)
            }
        }
        if let failure { throw failure }
        return response
    }

    // MARK: - Building requests

    func buildRequest(_ endpoint: Endpoint, _ parameters: RequestParameters) throws(BinanceError) -> HTTPRequest {
        guard Endpoint.catalogue.contains(endpoint) else {
            throw .invalidRequest("Endpoint \(endpoint) is not in the allowed catalogue.")
        }
        var parameters = parameters
        var headers: [String: String] = [:]
        // The encoded text of a signed request, built once from the signed payload.
        var signedText: String?
        if endpoint.security == .signed {
            guard let credentials = configuration.credentials else {
                throw .invalidRequest("Endpoint \(endpoint) needs an API key; none is configured.")
            }
            let recvWindow = configuration.recvWindowMilliseconds
            guard (1...60_000).contains(recvWindow) else {
                throw .invalidRequest("recvWindow '\(recvWindow)' is invalid: expected 1 to 60000 milliseconds.")
            }
            parameters.set("signature", nil)
            parameters.set("recvWindow", String(configuration.recvWindowMilliseconds))
            parameters.set("timestamp", String(clock.now() + clockOffsetMilliseconds))
            // The signature covers exactly the encoded text that is sent, and goes after it.
            let payload = parameters.encoded
            let signature = try credentials.signer.signature(for: Array(payload.utf8))
            // The same text as encoding the parameters with `signature` appended: the payload is never empty,
            // because it contains `timestamp`.
            signedText = payload + "&signature=" + RequestParameters.percentEncode(signature)
            headers["X-MBX-APIKEY"] = credentials.apiKey.textForRedaction
        }

        var request = HTTPRequest(
            method: endpoint.method,
            baseURL: configuration.baseURL(for: endpoint.market),
            path: endpoint.path,
            headers: headers,
            timeout: configuration.requestTimeout
        )
        // POST parameters travel as a form body and all others in the query string. Either way the signed
        // text is everything that is sent, so query plus body equals the signature payload.
        let encoded = signedText ?? parameters.encoded
        if endpoint.method == .post {
            request.body = Data(encoded.utf8)
            request.headers["Content-Type"] = "application/x-www-form-urlencoded"
        } else {
            request.query = encoded
        }
        return request
    }

    // MARK: - Responses

    /// Maps a response to success or a `BinanceError`, recording server pauses and bans on the way.
    private func check(_ response: HTTPResponse, endpoint: Endpoint, scope: LimitScope, now: Int64) throws(BinanceError) {
        // Decoded only for a status that needs it: decoding every successful reply cost about 5 % of a tool call.
        lazy var body = Self.errorBody(response)
        switch response.status {
        case 200..<300:
            guard Self.looksLikeCompleteJSON(response.body) else {
                throw .outcomeUnknown("\(endpoint): the response body is cut short or not JSON.")
            }
        case 418:
            let until = Self.banEnd(response, body: body, now: now)
            // A ban is per IP, so on the spot host it stops `/api` and every `/sapi` endpoint alike.
            withLimiter(scope.isWallet ? .spot : scope) { $0.ban(until: until) }
            throw .banned(until: Self.date(milliseconds: until))
        case 429:
            let seconds = Self.retryAfterSeconds(response) ?? 60
            let until = now + Int64(seconds) * 1000
            withLimiter(scope) { $0.pause(until: until) }
            let message = body.map { "Binance error \($0.code): \($0.msg)" } ?? "HTTP 429 Too Many Requests."
            throw .rateLimited(retryAfterSeconds: seconds, message: message)
        case 500...:
            let detail = body.map { " (Binance error \($0.code): \($0.msg))" } ?? ""
            throw .outcomeUnknown(
                "\(endpoint): HTTP \(response.status)\(detail); the exchange may have processed the request."
            )
        default:
            guard let body else {
                let reason = response.status == 403 ? " (blocked by the exchange's web application firewall)" : ""
                throw .rejected(status: response.status, code: 0, message: "HTTP \(response.status)\(reason).")
            }
            if body.code == -1006 || body.code == -1007 {
                throw .outcomeUnknown(
                    "\(endpoint): Binance error \(body.code): \(body.msg) The order status is unknown until queried."
                )
            }
            throw .rejected(status: response.status, code: body.code, message: body.msg)
        }
    }

    static func decode<Response: Decodable>(
        _ type: Response.Type,
        from body: Data,
        endpoint: Endpoint
    ) throws(BinanceError) -> Response {
        do {
            if Response.self == ExchangeInfo.self, let info = try ExchangeInfo.decode(from: body) as? Response {
                return info
            }
            return try JSONDecoder().decode(Response.self, from: body)
        } catch {
            guard (try? JSONSerialization.jsonObject(with: body, options: .fragmentsAllowed)) != nil else {
                throw .outcomeUnknown("\(endpoint): the response body is cut short or not JSON.")
            }
            throw .decoding("Unexpected response from \(endpoint): \(Self.describe(error))")
        }
    }

    static func errorBody(_ response: HTTPResponse) -> ErrorResponse? {
        try? JSONDecoder().decode(ErrorResponse.self, from: response.body)
    }

    /// Checks cheaply that a body is complete: Binance always responds with an object or array, so a body
    /// that does not end with the matching bracket was cut short.
    static func looksLikeCompleteJSON(_ body: Data) -> Bool {
        let isSpace: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
        guard let first = body.first(where: { !isSpace($0) }), let last = body.last(where: { !isSpace($0) }) else {
            return false
        }
        return (first == UInt8(ascii: "{") && last == UInt8(ascii: "}"))
            || (first == UInt8(ascii: "[") && last == UInt8(ascii: "]"))
    }

    static func retryAfterSeconds(_ response: HTTPResponse) -> Int? {
        guard let text = response.header("Retry-After"), let seconds = Int(text.trimmingCharacters(in: .whitespaces)),
            seconds >= 0
        else { return nil }
        return seconds
    }

    /// Returns the end of a ban: `Retry-After` if present, else the time in Binance's message ("IP banned until
    /// 1700000000000."), else two minutes, the shortest ban Binance gives.
    static func banEnd(_ response: HTTPResponse, body: ErrorResponse?, now: Int64) -> Int64 {
        if let seconds = retryAfterSeconds(response) { return now + Int64(seconds) * 1000 }
        if let message = body?.msg, let range = message.range(of: "banned until ") {
            let digits = message[range.upperBound...].prefix { $0.isASCII && $0.isNumber }
            if let until = Int64(digits), until > now { return until }
        }
        return now + 120_000
    }

    // MARK: - Helpers

    static func backoffMilliseconds(retry: Int) -> Int64 {
        200 << Int64(min(retry - 1, 5))
    }

    static func date(milliseconds: Int64) -> Date {
        Date(timeIntervalSince1970: TimeInterval(milliseconds) / 1000)
    }

    /// Describes a decoding error by its coding path, without quoting the body.
    static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        func path(_ context: DecodingError.Context) -> String {
            let text = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            return text.isEmpty ? "the top level" : "'\(text)'"
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "missing field '\(key.stringValue)' at \(path(context))."
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return "invalid value at \(path(context)): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }
}

extension Endpoint {
    /// True for requests that only read state and may be repeated after an unknown outcome.
    var isRetryableRead: Bool { method == .get && effect == .read }
}
