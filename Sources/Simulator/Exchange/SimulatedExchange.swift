import BinanceAPI
import Foundation

/// Key material the simulator verifies signed requests with.
package enum SimulatorCredential: Sendable {
    /// HMAC-SHA256 with this secret.
    case hmac(secret: Secret)
    /// Ed25519 or RSA: the PEM text of the public key (or of the private key, whose public half is used).
    case publicKeyPEM(Secret)
}

/// Settings of one simulated exchange. Only configuration builds these; no tool or MCP message reaches them.
package struct SimulatorOptions: Sendable {
    /// SQLite file of the paper account, or `:memory:`.
    package var databasePath: String
    /// The one account's API key.
    package var apiKey: String
    package var credential: SimulatorCredential
    /// Seed of price replay and fault draws; the same seed and start time give the same market.
    package var seed: UInt64
    /// Balances of a new paper account, by asset.
    package var startingBalances: [String: Decimal]
    /// Source of the exchange's time; tests use a manual clock.
    package var clock: SimulatorClock
    /// Request-weight and order-count limits; benchmarks raise them.
    package var rateLimits: SimulatorRateLimits
    /// Injected failures; empty by default.
    package var faults: SimulatorFaultPlan
    /// Maker and taker commission rates of the paper account (Binance's default is 0.1 %).
    package var makerCommission: Decimal
    package var takerCommission: Decimal
    /// USDT wallet balance of a new futures account.
    package var futuresStartingBalance: Decimal
    /// Extra exchangeInfo symbol objects (JSON text) added to, or replacing, the recorded ones.
    package var extraSymbols: [String]
    /// Receives injected faults and failures of the paper account's database.
    package var logger: Logger

    package init(
        databasePath: String,
        apiKey: String = SimulatedExchange.paperAPIKey,
        credential: SimulatorCredential = .hmac(secret: Secret(SimulatedExchange.paperSecret)),
        seed: UInt64 = 1,
        startingBalances: [String: Decimal] = SimulatedExchange.defaultStartingBalances,
        clock: SimulatorClock = SimulatorClock(),
        rateLimits: SimulatorRateLimits = .binance,
        faults: SimulatorFaultPlan = .none,
        makerCommission: Decimal = Decimal(string: "0.001")!,
        takerCommission: Decimal = Decimal(string: "0.001")!,
        futuresStartingBalance: Decimal = 1_000,
        extraSymbols: [String] = [],
        logger: Logger = .disabled
    ) {
        self.databasePath = databasePath
        self.apiKey = apiKey
        self.credential = credential
        self.seed = seed
        self.startingBalances = startingBalances
        self.clock = clock
        self.rateLimits = rateLimits
        self.faults = faults
        self.makerCommission = makerCommission
        self.takerCommission = takerCommission
        self.futuresStartingBalance = futuresStartingBalance
        self.extraSymbols = extraSymbols
        self.logger = logger
    }
}

/// The exchange's clock in milliseconds since 1970: the system clock, or a manual clock for tests.
package final class SimulatorClock: @unchecked Sendable {
    private let lock = NSLock()
    private var manualTime: Int64?

    /// The system clock.
    package init() {}

    /// A manual clock that stays at `milliseconds` until advanced.
    package init(fixedAt milliseconds: Int64) { manualTime = milliseconds }

    package var now: Int64 {
        lock.withLock {
            if let manualTime { return manualTime }
            return Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
        }
    }

    /// Moves a manual clock forward; does nothing to the system clock.
    package func advance(milliseconds: Int64) {
        lock.withLock {
            if let current = manualTime { manualTime = current + milliseconds }
        }
    }
}

/// The outcome of one request: a response, or a failure of the kind a network or gateway produces.
package enum SimulatorReply: Sendable, Equatable {
    case response(HTTPResponse)
    /// Close the connection without a response.
    case dropConnection
    /// Send the status line and headers, then only the first `keepBytes` bytes of the body, then close.
    case truncated(HTTPResponse, keepBytes: Int)
}

/// The simulated Binance exchange: serves the same HTTP requests Binance does.
///
/// A new paper account holds `SimulatedExchange.defaultStartingBalances` (10,000 USDT, 0.1 BTC, 1 ETH and
/// 5 BNB) unless `SimulatorOptions.startingBalances` says otherwise, plus a futures wallet of
/// `SimulatorOptions.futuresStartingBalance` USDT with two small positions. The account is kept in SQLite at
/// `SimulatorOptions.databasePath` and reloaded when an exchange opens the same file again.
package final class SimulatedExchange: Sendable {
    /// Built-in key of the in-process paper venue. It guards nothing: it exists so every request is signed.
    package static let paperAPIKey = "paperTradingKeyOfTheBuiltInSimulatorForLocalUseOnly0000000000000"
    package static let paperSecret = "paperTradingSecretOfTheBuiltInSimulatorForLocalUseOnly000000000"
    /// Balances of a new paper account.
    package static let defaultStartingBalances: [String: Decimal] = ["USDT": 10_000, "BTC": 0.1, "ETH": 1, "BNB": 5]

    package let options: SimulatorOptions
    let engine: ExchangeEngine

    /// Opens (or creates) the paper account at `options.databasePath`.
    /// - Throws: when the database cannot be opened or the key PEM cannot be loaded.
    package init(options: SimulatorOptions) throws {
        self.options = options
        engine = try ExchangeEngine(options: options)
    }

    /// Answers one request as Binance would. A fault that drops the connection answers 502 with an empty body
    /// here; `serve(_:)` reports it as `.dropConnection` instead.
    package func handle(_ request: HTTPRequest) async -> HTTPResponse {
        switch await serve(request) {
        case .response(let response): return response
        case .truncated(let response, let keepBytes):
            var cut = response
            cut.body = Data(response.body.prefix(keepBytes))
            return cut
        case .dropConnection: return HTTPResponse(status: 502)
        }
    }

    /// Answers one request, applying the fault plan.
    package func serve(_ request: HTTPRequest) async -> SimulatorReply {
        let fault = engine.faults.draw(path: request.path, method: request.method.rawValue)
        if fault.millisecondsBeforeProcessing > 0 {
            try? await Task.sleep(for: .milliseconds(fault.millisecondsBeforeProcessing))
        }
        if let early = engine.failBeforeProcessing(fault.kind, request: request) { return early }
        if fault.dropsAfterHolding { return .dropConnection }
        let response = engine.process(request, fillBeforeCancel: fault.fillsBeforeCancel)
        if fault.millisecondsAfterProcessing > 0 {
            try? await Task.sleep(for: .milliseconds(fault.millisecondsAfterProcessing))
        }
        return engine.failAfterProcessing(fault.kind, response: response)
    }

    /// Processes one request on the calling thread, sleeping for injected latency. `SimulatorServer` calls this,
    /// so its connection threads do not depend on Swift's cooperative thread pool.
    func serveBlocking(_ request: HTTPRequest) -> SimulatorReply {
        let fault = engine.faults.draw(path: request.path, method: request.method.rawValue)
        if fault.millisecondsBeforeProcessing > 0 {
            Thread.sleep(forTimeInterval: Double(fault.millisecondsBeforeProcessing) / 1000)
        }
        if let early = engine.failBeforeProcessing(fault.kind, request: request) { return early }
        if fault.dropsAfterHolding { return .dropConnection }
        let response = engine.process(request, fillBeforeCancel: fault.fillsBeforeCancel)
        if fault.millisecondsAfterProcessing > 0 {
            Thread.sleep(forTimeInterval: Double(fault.millisecondsAfterProcessing) / 1000)
        }
        return engine.failAfterProcessing(fault.kind, response: response)
    }

    /// Replaces the paper account with a new one holding `balances`: all orders and trades are removed.
    package func resetAccount(balances: [String: Decimal]) throws {
        try engine.resetAccount(balances: balances)
    }

    /// Number of orders ever accepted with this client order id (ground truth for reconciliation tests).
    package func orderCount(clientOrderId: String) -> Int {
        engine.orderCount(clientOrderId: clientOrderId)
    }

    /// Free and locked amounts of `asset` in the paper account.
    package func balance(of asset: String) -> (free: Decimal, locked: Decimal) {
        engine.balance(of: asset)
    }

    /// Number of open orders, over all symbols.
    package var openOrderCount: Int { engine.openOrderCount }
}

/// Reaches a `SimulatedExchange` in process, without sockets.
package struct InProcessTransport: HTTPTransport {
    package let exchange: SimulatedExchange

    package init(exchange: SimulatedExchange) { self.exchange = exchange }

    package func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
        switch await exchange.serve(request) {
        case .response(let response):
            return response
        case .dropConnection:
            throw .outcomeUnknown("The simulated connection was closed before a response arrived.")
        case .truncated:
            throw .outcomeUnknown("The simulated response body was cut short.")
        }
    }
}
