import BinanceAPI
import Foundation
import Simulator
import Tools

/// Builds tool engines for tests, on the scripted fake exchange or the in-process simulator.
package enum ToolsTestEngine {
    /// Builds an engine whose requests go to `transport`, configured from `environment` alone (no `.env` file).
    ///
    /// Unless `environment` says otherwise, the audit log and trading state go to a new temporary directory,
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
        return try ToolEngine.make(configuration: configuration, transport: transport, credentials: credentials, logger: .disabled)
    }

    /// Builds an engine on a fresh in-memory simulated exchange.
    package static func simulated(seed: UInt64 = 1) throws -> ToolEngine {
        let exchange = try SimulatedExchange(options: SimulatorOptions(databasePath: ":memory:", seed: seed))
        return try make(transport: InProcessTransport(exchange: exchange))
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
