import BinanceAPI
import Foundation
import Shell
import Simulator
import Tools

/// The engine and session hooks for the configured venue.
struct Wiring {
    var engine: ToolEngine
    var hooks: SessionHooks
    /// Limits the venue publishes, known without a request (the paper exchange's); nil for network venues,
    /// whose limits the client learns from exchangeInfo.
    var exchangeLimits: [RateLimitRule]? = nil

    /// Makes the client start from the venue's own limits instead of Binance's defaults, so that limits raised
    /// with BINANCE_SIM_RATE_LIMITS apply from the first request, without fetching exchangeInfo at start.
    func adoptExchangeLimits() async {
        guard let exchangeLimits else { return }
        await engine.services.client.adoptLimits(exchangeLimits)
    }

    /// Builds the transport and engine: the in-process simulator with the built-in paper key for `sim`, the
    /// network with `credentials` otherwise.
    /// - Throws: `ToolError` of type `configuration_error` when the venue cannot be reached as configured.
    static func make(
        configuration: Configuration,
        credentials: Credentials?,
        logger: Logger
    ) throws(ToolError) -> Wiring {
        switch configuration.venue {
        case .sim:
            let paper = try PaperVenue(home: configuration.home)
            let credentials = Credentials(
                apiKey: Secret(SimulatedExchange.paperAPIKey),
                signer: HMACSigner(secret: Secret(SimulatedExchange.paperSecret))
            )
            let engine = try ToolEngine.make(
                configuration: configuration,
                transport: paper,
                credentials: credentials,
                logger: logger
            )
            let hooks = SessionHooks(
                resetPaper: { balances throws(ToolError) in try paper.reset(balances: balances) },
                listSymbols: { () throws(ToolError) in try paper.symbolListing() }
            )
            return Wiring(engine: engine, hooks: hooks, exchangeLimits: paper.rateLimits.publishedRules)
        case .testnet, .live, .custom:
            guard let credentials else {
                throw ToolError(
                    .configurationError,
                    "The \(configuration.venue.rawValue) venue needs BINANCE_API_KEY: set it in the environment or .env."
                )
            }
            if let problem = CurlTransport.libraryProblem() { throw ToolError(.configurationError, problem) }
            let engine = try ToolEngine.make(
                configuration: configuration,
                transport: CurlTransport(certificateAuthorityFile: configuration.certificateAuthorityFile),
                credentials: credentials,
                logger: logger
            )
            return Wiring(engine: engine, hooks: SessionHooks())
        }
    }
}

/// The paper venue: a simulated exchange reached in process, replaced by a fresh one on `reset-paper`.
final class PaperVenue: HTTPTransport, @unchecked Sendable {
    // The lock protects `exchange`, which the first request or reset opens while others may be in flight.
    private let lock = NSLock()
    /// Opened on first use: parsing the simulator's exchangeInfo snapshot costs about 0.3 s of CPU and
    /// 90 MiB, which an MCP session that only lists tools never needs.
    private var exchange: SimulatedExchange?
    private let databasePath: String
    /// Failures to inject, from `BINANCE_SIM_FAULTS` (tests use it to make requests slow or fail).
    private let faults: SimulatorFaultPlan
    /// Limits of the paper exchange, from `BINANCE_SIM_RATE_LIMITS`.
    let rateLimits: SimulatorRateLimits
    /// The paper exchange's clock: fixed at `BINANCE_SIM_CLOCK` when set (tests compare runs with it), else the
    /// system clock.
    private let clock: SimulatorClock

    init(home: String) throws(ToolError) {
        do {
            try FileManager.default.createDirectory(
                atPath: home,
                withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700]
            )
        } catch {
            throw ToolError(.configurationError, "Cannot create BINANCE_SHELL_HOME '\(home)': \(error.localizedDescription)")
        }
        databasePath = home + "/paper.sqlite"
        do {
            faults = try SimulatorFaultPlan.fromEnvironment() ?? .none
        } catch {
            throw ToolError(.configurationError, "Invalid \(SimulatorFaultPlan.environmentVariable): \(error)")
        }
        rateLimits = try Self.rateLimits()
        do {
            clock = try SimulatorClock.fromEnvironment() ?? SimulatorClock()
        } catch {
            throw ToolError(.configurationError, error.description)
        }
    }

    func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
        let current: SimulatedExchange
        do {
            current = try openedExchange()
        } catch {
            throw .notSent(error.message)
        }
        return try await InProcessTransport(exchange: current).send(request)
    }

    /// Returns the paper exchange, opening it on the first call.
    private func openedExchange() throws(ToolError) -> SimulatedExchange {
        lock.lock()
        defer { lock.unlock() }
        if let exchange { return exchange }
        let opened = try Self.open(SimulatorOptions(
            databasePath: databasePath,
            clock: clock,
            rateLimits: rateLimits,
            faults: faults
        ))
        exchange = opened
        return opened
    }

    /// Lists the paper exchange's symbols from its catalogue, opening it when needed; each symbol's filter steps
    /// are read when the shell first looks them up.
    func symbolListing() throws(ToolError) -> SymbolListing {
        let exchange = try openedExchange()
        return SymbolListing(names: exchange.symbolNames(), steps: { symbol in exchange.filterSteps(of: symbol) })
    }

    /// Replaces the paper account with a new one holding `balances` (the defaults when empty).
    func reset(balances: [String: Decimal]) throws(ToolError) -> String {
        let startingBalances = balances.isEmpty ? SimulatedExchange.defaultStartingBalances : balances
        let current = try openedExchange()
        if let unknown = current.unknownAssets(startingBalances.keys).first {
            throw ToolError(
                .validationError,
                "Invalid asset '\(unknown)': the paper exchange lists no symbol trading \(unknown); expected an asset "
                    + "such as USDT, BTC, ETH or BNB.",
                hint: "The base and quote assets of the symbols get_available_assets lists are valid."
            )
        }
        do {
            // Resetting in place keeps the open database, so requests in flight never see a deleted file.
            try current.resetAccount(balances: startingBalances)
        } catch {
            throw ToolError(.internalError, "Cannot reset the paper account '\(databasePath)': \(error)")
        }
        let listed = startingBalances.keys.sorted().map { "\($0)=\(DecimalText.format(startingBalances[$0]!))" }
        return "New paper account: " + listed.joined(separator: " ") + "."
    }

    /// Limits of `BINANCE_SIM_RATE_LIMITS`: Binance's by default, `unlimited` for benchmarks.
    private static func rateLimits() throws(ToolError) -> SimulatorRateLimits {
        do {
            return try SimulatorRateLimits.fromEnvironment()
        } catch {
            throw ToolError(.configurationError, error.description)
        }
    }

    private static func open(_ options: SimulatorOptions) throws(ToolError) -> SimulatedExchange {
        do {
            return try SimulatedExchange(options: options)
        } catch {
            throw ToolError(.configurationError, "Cannot open the paper account '\(options.databasePath)': \(error)")
        }
    }
}
