import BinanceAPI
import Foundation

/// The simulator's state and request processing. Every request runs under one lock, so orders, balances and
/// the matching of resting orders never interleave.
final class ExchangeEngine: @unchecked Sendable {
    let options: SimulatorOptions
    let catalog: SymbolCatalog
    let market: MarketModel
    let ledger: PaperLedger
    let faults: FaultInjector
    private let verifier: SignatureVerifier
    let lock = NSLock()
    var limiter: RateLimiter
    /// Time up to which resting orders of each symbol have been matched against the price path.
    var matchedUntil: [String: Int64] = [:]
    /// Cached exchangeInfo body head (`rateLimits` and `exchangeFilters`), built once.
    var exchangeInfoTail: [UInt8]?

    init(options: SimulatorOptions) throws {
        self.options = options
        catalog = SymbolCatalog.make(extraSymbols: options.extraSymbols)
        // Every request path reads the catalogue, so its parse starts now and overlaps opening the ledger.
        catalog.preload()
        market = MarketModel(seed: options.seed, catalog: catalog)
        ledger = try PaperLedger(path: options.databasePath)
        faults = FaultInjector(plan: options.faults)
        limiter = RateLimiter(limits: options.rateLimits)
        switch options.credential {
        case .hmac(let secret):
            verifier = .hmac(secret: secret)
        case .publicKeyPEM(let pem):
            verifier = try SignatureVerifier.publicKey(pem: pem)
        }
        try ledger.load()
        if ledger.isEmpty {
            try createAccount(balances: options.startingBalances)
        }
    }

    /// The exchange's time in milliseconds, including any clock skew of the fault plan.
    var now: Int64 { options.clock.now + options.faults.clockSkewMilliseconds }

    // MARK: - Account lifecycle

    private func createAccount(balances: [String: Decimal]) throws {
        let time = now
        var positions = [PaperPosition]()
        if options.futuresStartingBalance > 0 {
            // The entry prices below read the BTC and ETH recordings, so their CSVs are parsed on another
            // thread while the catalogue parse finishes. A `recorded` call waits for a parse under way.
            market.preloadRecorded(["BTC", "ETH"])
            for (symbol, amount, leverage) in [("BTCUSDT", Decimal(string: "0.010")!, 10), ("ETHUSDT", Decimal(string: "-0.250")!, 5)] {
                guard let rules = catalog.rules(symbol) else { continue }
                positions.append(PaperPosition(
                    symbol: symbol,
                    positionAmt: amount,
                    entryPrice: market.price(rules, at: time - 6 * 3_600_000),
                    leverage: leverage,
                    updateTime: time
                ))
            }
        }
        try ledger.create(
            balances: balances,
            futuresWallet: options.futuresStartingBalance,
            positions: positions,
            at: time
        )
        matchedUntil = [:]
    }

    func resetAccount(balances: [String: Decimal]) throws {
        try lock.withLock { try createAccount(balances: balances) }
    }

    func orderCount(clientOrderId: String) -> Int {
        lock.withLock { ledger.orders(clientOrderId: clientOrderId).count }
    }

    func balance(of asset: String) -> (free: Decimal, locked: Decimal) {
        lock.withLock { ledger.balance(asset) }
    }

    var openOrderCount: Int { lock.withLock { ledger.openOrderIds.values.reduce(0) { $0 + $1.count } } }

    // MARK: - Faults around processing

    func failBeforeProcessing(_ kind: SimulatorFaultKind?, request: HTTPRequest) -> SimulatorReply? {
        if let kind {
            options.logger.info("Injecting a simulator fault", ["fault": "\(kind)", "http.path": request.path])
        }
        switch kind {
        case .serverError(let status):
            return .response(HTTPResponse(status: status, headers: ["content-type": "text/html"], body: Data()))
        case .dropBeforeCommit:
            return .dropConnection
        case .tooManyRequests:
            let failure = APIFailure(
                status: 429,
                code: -1003,
                "Too much request weight used; current limit is \(options.rateLimits.requestWeightPerMinute) request weight per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API.",
                headers: ["retry-after": "1"]
            )
            return .response(response(for: failure))
        case .banned:
            let until = now + 120_000
            let failure = APIFailure(
                status: 418,
                code: -1003,
                "Way too much request weight used; IP banned until \(until). Please use WebSocket Streams for live updates to avoid bans.",
                headers: ["retry-after": "120"]
            )
            return .response(response(for: failure))
        default:
            return nil
        }
    }

    func failAfterProcessing(_ kind: SimulatorFaultKind?, response: HTTPResponse) -> SimulatorReply {
        switch kind {
        case .dropAfterCommit:
            return .dropConnection
        case .truncatedBody:
            return .truncated(response, keepBytes: response.body.count / 2)
        case .backendTimeout:
            // NOTE: the HTTP status Binance pairs with -1007 is not documented; 408 is what clients report seeing.
            let failure = APIFailure(
                status: 408,
                code: -1007,
                "Timeout waiting for response from backend server. Send status unknown; execution status unknown."
            )
            return .response(self.response(for: failure))
        default:
            return .response(response)
        }
    }

    // MARK: - Processing

    func response(for failure: APIFailure, extraHeaders: [String: String] = [:]) -> HTTPResponse {
        var headers = extraHeaders
        headers.merge(failure.headers) { _, new in new }
        headers["content-type"] = "application/json;charset=UTF-8"
        return HTTPResponse(status: failure.status, headers: headers, body: failure.body)
    }

    /// Processes one request under the lock. With `fillBeforeCancel`, a cancel of an open limit order first
    /// meets a fill of that order (the `fill-before-cancel` fault).
    func process(_ request: HTTPRequest, fillBeforeCancel: Bool = false) -> HTTPResponse {
        lock.withLock { processLocked(request, fillBeforeCancel: fillBeforeCancel) }
    }

    private func processLocked(_ request: HTTPRequest, fillBeforeCancel: Bool) -> HTTPResponse {
        let time = now
        guard let route = Routes.table[request.path] else {
            return response(for: APIFailure(status: 404, code: -1000, "Unknown path '\(request.path)'."))
        }
        guard let endpoint = route[request.method] else {
            return response(for: APIFailure(status: 405, code: -1000, "Method \(request.method.rawValue) is not allowed on '\(request.path)'."))
        }
        let parameters: ReceivedParameters
        do {
            parameters = try ReceivedParameters(query: request.query, body: request.body)
        } catch {
            return admitAndFail(endpoint: endpoint, parameters: nil, failure: error, at: time)
        }
        var headers: [String: String]
        switch limiter.admit(family: endpoint.family, weight: endpoint.weight(parameters), at: time) {
        case .success(let usage): headers = usage
        case .failure(let failure): return response(for: failure)
        }
        do {
            if endpoint.signed {
                try authenticate(request, parameters: parameters, at: time)
            }
            try parameters.requireOnly(endpoint.parameters, alsoAllowing: endpoint.signed ? Self.signingParameters : [])
            advanceMatching(to: time)
            var context = RequestContext(time: time, headers: [:], fillBeforeCancel: fillBeforeCancel)
            let body = try endpoint.handler(self, parameters, &context)
            headers.merge(context.headers) { _, new in new }
            if endpoint.freeWhenSuccessful {
                let weight = endpoint.weight(parameters)
                headers.merge(limiter.refund(family: endpoint.family, weight: weight, at: time)) { _, new in new }
            }
            headers["content-type"] = "application/json;charset=UTF-8"
            return HTTPResponse(status: 200, headers: headers, body: Data(body))
        } catch {
            return response(for: error, extraHeaders: headers)
        }
    }

    private func admitAndFail(endpoint: SimRoute, parameters: ReceivedParameters?, failure: APIFailure, at time: Int64) -> HTTPResponse {
        switch limiter.admit(family: endpoint.family, weight: endpoint.baseWeight, at: time) {
        case .success(let usage): return response(for: failure, extraHeaders: usage)
        case .failure(let limited): return response(for: limited)
        }
    }

    // MARK: - Authentication

    /// Checks the API key, the signature over the raw bytes received, and the timestamp window.
    private func authenticate(_ request: HTTPRequest, parameters: ReceivedParameters, at time: Int64) throws(APIFailure) {
        let key = request.headers.first { $0.key.lowercased() == "x-mbx-apikey" }?.value ?? ""
        guard !key.isEmpty, key.utf8.count <= 128, key.utf8.allSatisfy({ $0 > 32 && $0 < 127 }) else {
            throw APIFailure.apiKeyFormat
        }
        guard key == options.apiKey else { throw APIFailure.apiKeyRejected }

        guard let timestampText = parameters["timestamp"], !timestampText.isEmpty else {
            throw APIFailure.mandatory("timestamp")
        }
        guard let signature = parameters["signature"], !signature.isEmpty else {
            throw APIFailure.mandatory("signature")
        }
        let payload = Self.signedPayload(query: request.query, body: request.body)
        guard verifier.verify(payload: payload, signature: signature) else { throw APIFailure.invalidSignature }

        guard var timestamp = Int64(timestampText), timestamp > 0 else { throw APIFailure.mandatory("timestamp") }
        if timestamp >= 10_000_000_000_000 { timestamp /= 1000 }  // microseconds
        var window: Decimal = 5000
        if let text = parameters["recvWindow"] {
            guard ReceivedParameters.matchesDecimal(text), let value = DecimalText.parse(text) else {
                throw APIFailure.mandatory("recvWindow")
            }
            guard value <= 60_000 else {
                throw APIFailure(code: -1102, "'recvWindow' contains unexpected value. Cannot be greater than 60000.")
            }
            window = value
        }
        if timestamp >= time + 1000 { throw APIFailure.timestampAhead }
        if Decimal(time - timestamp) > window { throw APIFailure.timestampOutside }
    }

    /// Returns the bytes the client signed: the raw query without its `signature` pair, followed by the raw body
    /// without its `signature` pair, with nothing re-encoded.
    static func signedPayload(query: String, body: Data) -> [UInt8] {
        var payload: [UInt8] = []
        payload.reserveCapacity(query.utf8.count + body.count)
        func appendPairs(of bytes: some Collection<UInt8>) {
            var isFirst = true
            for pair in bytes.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: false)
            where !pair.starts(with: signaturePrefix) {
                if !isFirst { payload.append(UInt8(ascii: "&")) }
                payload.append(contentsOf: pair)
                isFirst = false
            }
        }
        appendPairs(of: query.utf8)
        appendPairs(of: body)
        return payload
    }

    private static let signaturePrefix = Array("signature=".utf8)

    /// Parameters every signed endpoint reads besides its own.
    static let signingParameters: Set<String> = ["timestamp", "recvWindow", "signature"]
}

/// The request time and the headers a handler adds to a successful response.
struct RequestContext {
    var time: Int64
    var headers: [String: String]
    /// Set by the `fill-before-cancel` fault: a cancel fills the open order it names before looking at it.
    var fillBeforeCancel = false
}
