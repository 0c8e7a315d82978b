import BinanceAPI
import Foundation
import Simulator

/// Sends hand-built, signed requests straight to a `SimulatedExchange`, the way a Binance client would.
package struct SimTestClient: Sendable {
    package let exchange: SimulatedExchange
    package let apiKey: String
    package let secret: String
    package let clock: SimulatorClock

    /// A fixed time inside the range the tests use: 2026-06-01 00:00:00 UTC.
    package static let startTime: Int64 = 1_780_272_000_000

    /// A client for a fresh in-memory exchange on a manual clock.
    package static func make(
        seed: UInt64 = 1,
        balances: [String: Decimal] = SimulatedExchange.defaultStartingBalances,
        rateLimits: SimulatorRateLimits = .binance,
        faults: SimulatorFaultPlan = .none,
        extraSymbols: [String] = [],
        databasePath: String = ":memory:"
    ) throws -> SimTestClient {
        let clock = SimulatorClock(fixedAt: startTime)
        let options = SimulatorOptions(
            databasePath: databasePath,
            seed: seed,
            startingBalances: balances,
            clock: clock,
            rateLimits: rateLimits,
            faults: faults,
            extraSymbols: extraSymbols
        )
        return SimTestClient(
            exchange: try SimulatedExchange(options: options),
            apiKey: SimulatedExchange.paperAPIKey,
            secret: SimulatedExchange.paperSecret,
            clock: clock
        )
    }

    package init(exchange: SimulatedExchange, apiKey: String, secret: String, clock: SimulatorClock) {
        self.exchange = exchange
        self.apiKey = apiKey
        self.secret = secret
        self.clock = clock
    }

    /// Percent-encodes a parameter value as Binance clients do (RFC 3986 unreserved characters kept).
    package static func encode(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-_.~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }

    package static func query(_ parameters: [(String, String)]) -> String {
        parameters.map { "\($0.0)=\(encode($0.1))" }.joined(separator: "&")
    }

    /// HMAC-SHA256 hex signature of `payload` under this client's secret.
    package func sign(_ payload: String) -> String {
        HexEncoding.encode(HMACSigner.mac(key: Array(secret.utf8), message: Array(payload.utf8)))
    }

    /// Sends a public request.
    package func get(_ path: String, _ parameters: [(String, String)] = []) async -> HTTPResponse {
        await exchange.handle(HTTPRequest(method: .get, baseURL: "http://sim", path: path, query: Self.query(parameters)))
    }

    /// Sends a signed request with `timestamp` (now, unless given) and `signature` added to the query.
    package func signed(
        _ method: HTTPMethod,
        _ path: String,
        _ parameters: [(String, String)] = [],
        timestamp: Int64? = nil,
        inBody: Bool = false
    ) async -> HTTPResponse {
        var all = parameters
        all.append(("timestamp", String(timestamp ?? clock.now)))
        let text = Self.query(all)
        let signature = sign(text)
        let signedText = text + "&signature=" + signature
        let request = HTTPRequest(
            method: method,
            baseURL: "http://sim",
            path: path,
            query: inBody ? "" : signedText,
            headers: ["X-MBX-APIKEY": apiKey, "Content-Type": "application/x-www-form-urlencoded"],
            body: inBody ? Data(signedText.utf8) : Data()
        )
        return await exchange.handle(request)
    }

    /// Decodes a JSON response body into plain Foundation values (strings stay strings).
    package static func json(_ response: HTTPResponse) -> Any? {
        try? JSONSerialization.jsonObject(with: response.body, options: [.fragmentsAllowed])
    }

    /// The `{"code","msg"}` of an error body.
    package static func error(_ response: HTTPResponse) -> (code: Int, message: String)? {
        guard let object = json(response) as? [String: Any],
              let code = object["code"] as? Int,
              let message = object["msg"] as? String
        else { return nil }
        return (code, message)
    }
}
