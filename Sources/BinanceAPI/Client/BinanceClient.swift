import Foundation

/// Sends Binance REST requests through an `HTTPTransport`: encoding, signing with server-adjusted time, and
/// mapping of responses to `BinanceError`.
///
/// The same client talks to Binance, its testnet and the simulator; it cannot tell them apart.
package actor BinanceClient {
    package let configuration: ClientConfiguration
    private let transport: any HTTPTransport
    private let logger: Logger
    /// Server time minus local time, in milliseconds, measured with `GET /api/v3/time`.
    private var clockOffsetMilliseconds: Int64 = 0

    package init(configuration: ClientConfiguration, transport: any HTTPTransport, logger: Logger = .disabled) {
        self.configuration = configuration
        self.transport = transport
        self.logger = logger
    }

    /// The measured offset of the exchange's clock from the local clock, in milliseconds.
    package var clockOffset: Int64 { clockOffsetMilliseconds }

    /// Sends one request and returns the 2xx response.
    ///
    /// Signed endpoints get `timestamp` and `recvWindow` appended, then `signature` last.
    /// - Throws: `BinanceError` for every non-2xx answer and transport failure.
    package func send(_ endpoint: Endpoint, _ parameters: RequestParameters = RequestParameters()) async throws(BinanceError)
        -> HTTPResponse
    {
        let request = try buildRequest(endpoint, parameters)
        let response: HTTPResponse
        do {
            response = try await transport.send(request)
        } catch {
            switch error {
            case .notSent(let reason): throw .notSent(reason)
            case .outcomeUnknown(let reason): throw .outcomeUnknown(reason)
            case .cancelled: throw .cancelled
            }
        }
        try Self.check(response, endpoint: endpoint)
        return response
    }

    /// Sends one request and decodes its JSON body.
    package func send<Response: Decodable>(
        _ endpoint: Endpoint,
        _ parameters: RequestParameters = RequestParameters(),
        as type: Response.Type
    ) async throws(BinanceError) -> Response {
        let response = try await send(endpoint, parameters)
        do {
            return try JSONDecoder().decode(Response.self, from: response.body)
        } catch {
            throw .decoding("Unexpected response from \(endpoint): \(error)")
        }
    }

    /// Measures the clock offset with `GET /api/v3/time`.
    package func synchronizeClock() async throws(BinanceError) {
        struct ServerTime: Decodable { let serverTime: Int64 }
        let sent = Self.nowMilliseconds()
        let time = try await send(.time, as: ServerTime.self)
        let received = Self.nowMilliseconds()
        clockOffsetMilliseconds = time.serverTime - (sent + received) / 2
    }

    // MARK: - Building requests

    func buildRequest(_ endpoint: Endpoint, _ parameters: RequestParameters) throws(BinanceError) -> HTTPRequest {
        guard Endpoint.catalogue.contains(endpoint) else {
            throw .invalidRequest("Endpoint \(endpoint) is not in the allowed catalogue.")
        }
        var parameters = parameters
        var headers: [String: String] = [:]
        if endpoint.security == .signed {
            guard let credentials = configuration.credentials else {
                throw .invalidRequest("Endpoint \(endpoint) needs an API key; none is configured.")
            }
            parameters.set("recvWindow", String(configuration.recvWindowMilliseconds))
            parameters.set("timestamp", String(Self.nowMilliseconds() + clockOffsetMilliseconds))
            let payload = Array(parameters.encoded.utf8)
            let signature = try credentials.signer.signature(for: payload)
            parameters.set("signature", signature)
            headers["X-MBX-APIKEY"] = credentials.apiKey.textForRedaction
        }

        var request = HTTPRequest(
            method: endpoint.method,
            baseURL: configuration.baseURL(for: endpoint.market),
            path: endpoint.path,
            headers: headers,
            timeout: configuration.requestTimeout
        )
        // All parameters go in the query string, so the signed bytes are exactly the bytes sent.
        request.query = parameters.encoded
        return request
    }

    // MARK: - Responses

    static func check(_ response: HTTPResponse, endpoint: Endpoint) throws(BinanceError) {
        switch response.status {
        case 200..<300:
            return
        case 418:
            let seconds = Int(response.header("Retry-After") ?? "") ?? 120
            throw .banned(until: Date().addingTimeInterval(TimeInterval(seconds)))
        case 429:
            let seconds = Int(response.header("Retry-After") ?? "") ?? 60
            throw .rateLimited(retryAfterSeconds: seconds, message: errorBody(response)?.msg ?? "Too many requests.")
        case 500...:
            throw .outcomeUnknown("HTTP \(response.status) from \(endpoint)")
        default:
            if let body = errorBody(response) {
                if body.code == -1006 || body.code == -1007 {
                    throw .outcomeUnknown("Binance error \(body.code): \(body.msg)")
                }
                throw .rejected(status: response.status, code: body.code, message: body.msg)
            }
            throw .rejected(status: response.status, code: 0, message: "HTTP \(response.status) from \(endpoint)")
        }
    }

    struct ErrorBody: Decodable {
        let code: Int
        let msg: String
    }

    static func errorBody(_ response: HTTPResponse) -> ErrorBody? {
        try? JSONDecoder().decode(ErrorBody.self, from: response.body)
    }

    static func nowMilliseconds() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1000).rounded())
    }
}
