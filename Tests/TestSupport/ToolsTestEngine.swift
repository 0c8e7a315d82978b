import BinanceAPI
import Foundation
import Simulator
import Tools

/// Builds tool engines for tests, on the scripted fake exchange or the in-process simulator.
package enum ToolsTestEngine {
    /// Builds an engine whose requests go to `transport`, configured from `environment` alone (no `.env` file).
    ///
    /// Unless `environment` sets them, the audit log and trading state go to a new temporary directory,
    /// security events are not echoed to stderr, and the invocation rate limit is off.
    package static func make(transport: any HTTPTransport, environment: [String: String] = [:]) throws -> ToolEngine {
        var settings = ["MCP_LOG_SECURITY": "false", "MCP_RATE_LIMIT_ENABLED": "false"]
        if environment["BINANCE_SHELL_HOME"] == nil { settings["BINANCE_SHELL_HOME"] = try BinaryRunner.temporaryHome() }
        settings.merge(environment) { _, given in given }
        let configuration = try Configuration.load(environment: settings, envFileText: nil)
        let credentials = Credentials(
            apiKey: Secret(SimulatedExchange.paperAPIKey),
            signer: HMACSigner(secret: Secret(SimulatedExchange.paperSecret))
        )
        return try ToolEngine.make(
            configuration: configuration,
            transport: transport,
            credentials: credentials,
            logger: .disabled,
            clock: instantWaits
        )
    }

    /// The system time with waits that return at once, so retries and order lookups do not slow tests down.
    package static let instantWaits = ClientClock(now: ClientClock.system.now, sleep: { _ in })

    /// Builds an engine on a fresh in-memory simulated exchange whose clock stays at `clock`.
    ///
    /// Two engines made with the same seed and clock see the same market and the same new account, so the
    /// same calls give the same results. The engine signs with the largest `recvWindow` (60000 ms), so the
    /// simulator accepts its requests from 5 seconds before `clock` until 56 seconds after it, in real time.
    /// - Parameter clock: milliseconds since 1970; `simulatorClock()` gives a suitable value.
    package static func simulated(seed: UInt64 = 1, clock: Int64) throws -> ToolEngine {
        let options = SimulatorOptions(databasePath: ":memory:", seed: seed, clock: SimulatorClock(fixedAt: clock))
        return try make(
            transport: InProcessTransport(exchange: try SimulatedExchange(options: options)),
            environment: ["BINANCE_RECV_WINDOW": "60000"]
        )
    }

    /// Returns a simulator time 55 seconds after now, in milliseconds, which keeps the requests of a test that
    /// lasts under a minute inside the window `simulated(seed:clock:)` describes.
    package static func simulatorClock() -> Int64 {
        Int64(Date().timeIntervalSince1970 * 1000) + 55_000
    }

    /// Returns an invocation from `origin` whose confirmer accepts every order.
    package static func invocation(_ origin: Origin = .script, requestID: String = "1") -> Invocation {
        Invocation(origin: origin, requestID: requestID, waitPolicy: .failFast, confirmer: AcceptingConfirmer())
    }

    /// Shell-style arguments: every value a string, as the shell's parser produces them.
    package static func shellArguments(_ values: [String: String]) -> [String: JSONValue] {
        values.mapValues { .string($0) }
    }
}

/// Accepts every confirmation request.
package struct AcceptingConfirmer: OrderConfirmer {
    package init() {}

    package func confirm(_ request: ConfirmationRequest) async -> ConfirmationDecision { .accepted }
}
