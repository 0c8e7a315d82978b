import BinanceAPI
import Foundation

/// How the simulator checks signatures of signed requests.
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

    package init(
        databasePath: String,
        apiKey: String = SimulatedExchange.paperAPIKey,
        credential: SimulatorCredential = .hmac(secret: Secret(SimulatedExchange.paperSecret)),
        seed: UInt64 = 1,
        startingBalances: [String: Decimal] = SimulatedExchange.defaultStartingBalances
    ) {
        self.databasePath = databasePath
        self.apiKey = apiKey
        self.credential = credential
        self.seed = seed
        self.startingBalances = startingBalances
    }
}

/// The simulated Binance exchange: answers the same HTTP requests Binance does.
package final class SimulatedExchange: Sendable {
    /// Built-in key of the in-process paper venue. It guards nothing: it exists so every request is signed.
    package static let paperAPIKey = "paperTradingKeyOfTheBuiltInSimulatorForLocalUseOnly0000000000000"
    package static let paperSecret = "paperTradingSecretOfTheBuiltInSimulatorForLocalUseOnly000000000"
    /// Balances of a new paper account.
    package static let defaultStartingBalances: [String: Decimal] = ["USDT": 10_000, "BTC": 0.1, "ETH": 1, "BNB": 5]

    package let options: SimulatorOptions

    package init(options: SimulatorOptions) throws {
        self.options = options
    }

    /// Answers one request as Binance would.
    package func handle(_ request: HTTPRequest) async -> HTTPResponse {
        // TODO: placeholder until the simulator lands; answers every request with Binance's unknown-error body.
        HTTPResponse(status: 500, body: Data(#"{"code":-1000,"msg":"Simulator not implemented."}"#.utf8))
    }
}

/// Reaches a `SimulatedExchange` in process, without sockets.
package struct InProcessTransport: HTTPTransport {
    package let exchange: SimulatedExchange

    package init(exchange: SimulatedExchange) { self.exchange = exchange }

    package func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
        await exchange.handle(request)
    }
}
