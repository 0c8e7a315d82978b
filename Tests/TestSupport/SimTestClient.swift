import BinanceAPI
import Foundation
import Simulator

/// Sends hand-built, signed requests straight to a `SimulatedExchange`, the way a Binance client would.
package struct SimTestClient: Sendable {
    package let exchange: SimulatedExchange
    package let apiKey: String
    package let secret: String
    package let clock: SimulatorClock
    /// Signs a payload; HMAC-SHA256 with `secret` unless another signer is given.
    package let signer: (any RequestSigner)?

    /// A fixed time inside the range the tests use: 2026-06-01 00:00:00 UTC.
    package static let startTime: Int64 = 1_780_272_000_000

    /// A client for a fresh in-memory exchange on a manual clock.
    package static func make(
        seed: UInt64 = 1,
        balances: [String: Decimal] = SimulatedExchange.defaultStartingBalances,
        rateLimits: SimulatorRateLimits = .binance,
        faults: SimulatorFaultPlan = .none,
        extraSymbols: [String] = [],
        databasePath: String = ":memory:",
        credential: SimulatorCredential? = nil,
        signer: (any RequestSigner)? = nil
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
        var configured = options
        if let credential { configured.credential = credential }
        return SimTestClient(
            exchange: try SimulatedExchange(options: configured),
            apiKey: SimulatedExchange.paperAPIKey,
            secret: SimulatedExchange.paperSecret,
            clock: clock,
            signer: signer
        )
    }

    package init(
        exchange: SimulatedExchange,
        apiKey: String,
        secret: String,
        clock: SimulatorClock,
        signer: (any RequestSigner)? = nil
    ) {
        self.exchange = exchange
        self.apiKey = apiKey
        self.secret = secret
        self.clock = clock
        self.signer = signer
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

    /// Signs `payload` with the client's signer, or HMAC-SHA256 hex under its secret.
    package func sign(_ payload: String) -> String {
        if let signer, let signature = try? signer.signature(for: Array(payload.utf8)) { return signature }
        return HexEncoding.encode(HMACSigner.mac(key: Array(secret.utf8), message: Array(payload.utf8)))
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
        let signature = Self.encode(sign(text))
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

    /// Sends a request whose query and body are given as raw text, with the API key header.
    package func raw(_ method: HTTPMethod, _ path: String, query: String, body: String = "", apiKey: String? = nil) async -> HTTPResponse {
        var headers = ["Content-Type": "application/x-www-form-urlencoded"]
        if let key = apiKey ?? Optional(self.apiKey), !key.isEmpty { headers["X-MBX-APIKEY"] = key }
        return await exchange.handle(HTTPRequest(
            method: method, baseURL: "http://sim", path: path, query: query, headers: headers, body: Data(body.utf8)
        ))
    }

    /// Decodes a JSON response body into plain Foundation values (strings stay strings).
    package static func json(_ response: HTTPResponse) -> Any? {
        try? JSONSerialization.jsonObject(with: response.body, options: [.fragmentsAllowed])
    }

    /// Returns the `{"code","msg"}` of an error body.
    package static func error(_ response: HTTPResponse) -> (code: Int, message: String)? {
        guard let object = json(response) as? [String: Any],
              let code = object["code"] as? Int,
              let message = object["msg"] as? String
        else { return nil }
        return (code, message)
    }
}
