import BinanceAPI
import Foundation
import Simulator
import Tools

/// Forwards to the in-process simulator and adds up the time spent inside it, so a benchmark can subtract
/// the simulator's share from a whole tool call.
final class TimedTransport: HTTPTransport, @unchecked Sendable {
    private let inner: InProcessTransport
    private let lock = NSLock()
    private var spent: Duration = .zero

    init(exchange: SimulatedExchange) { inner = InProcessTransport(exchange: exchange) }

    func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
        let started = ContinuousClock.now
        defer {
            let elapsed = ContinuousClock.now - started
            lock.withLock { spent += elapsed }
        }
        return try await inner.send(request)
    }

    /// Returns the time spent in the simulator since the last call, and starts counting again.
    func takeSpent() -> Duration {
        lock.withLock {
            let value = spent
            spent = .zero
            return value
        }
    }
}

/// Confirms every order, as `--yes` does for scripts.
struct AcceptingConfirmer: OrderConfirmer {
    func confirm(_ request: ConfirmationRequest) async -> ConfirmationDecision { .accepted }
}

/// A tool engine on the paper venue over an in-process exchange kept in memory, with the exchange's limits
/// raised so that no benchmark reaches them.
struct BenchVenue {
    let exchange: SimulatedExchange
    let transport: TimedTransport
    let engine: ToolEngine
    let home: String

    /// - Parameter environment: extra configuration, such as `MCP_MAX_REQUESTS_PER_MINUTE`.
    init(startingBalances: [String: Decimal] = SimulatedExchange.defaultStartingBalances,
         environment: [String: String] = [:]) throws {
        home = NSTemporaryDirectory() + "binance-shell-bench-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        exchange = try SimulatedExchange(
            options: SimulatorOptions(
                databasePath: ":memory:",
                startingBalances: startingBalances,
                rateLimits: .unlimited
            )
        )
        transport = TimedTransport(exchange: exchange)
        var settings = ["BINANCE_SHELL_HOME": home, "MCP_LOG_SECURITY": "false"]
        settings.merge(environment) { _, new in new }
        let configuration = try Configuration.load(environment: settings, envFileText: nil)
        let credentials = Credentials(
            apiKey: Secret(SimulatedExchange.paperAPIKey),
            signer: HMACSigner(secret: Secret(SimulatedExchange.paperSecret))
        )
        engine = try ToolEngine.make(
            configuration: configuration,
            transport: transport,
            credentials: credentials,
            logger: .disabled
        )
    }

    /// Makes the client use the exchange's raised limits, as the executable does for the paper venue.
    func adoptExchangeLimits() async {
        await engine.services.client.adoptLimits(SimulatorRateLimits.unlimited.publishedRules)
    }

    /// Runs one tool call from `origin` and fails the benchmark when the call fails.
    @discardableResult
    func call(_ tool: String, _ arguments: [String: JSONValue], origin: Origin = .mcp) async throws -> ToolResult {
        let invocation = Invocation(
            origin: origin,
            requestID: "bench",
            waitPolicy: .failFast,
            confirmer: AcceptingConfirmer()
        )
        let result = await engine.invoke(tool, arguments: arguments, invocation: invocation)
        guard result.isSuccess else {
            throw BenchError("\(tool) failed: \(result.structured["error"].map { "\($0)" } ?? "no error object")")
        }
        return result
    }

    func removeHome() { try? FileManager.default.removeItem(atPath: home) }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
