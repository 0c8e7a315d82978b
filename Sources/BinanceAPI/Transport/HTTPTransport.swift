import Foundation

/// HTTP methods used by Binance's REST API.
package enum HTTPMethod: String, Sendable, Hashable {
    case get = "GET"
    case post = "POST"
    case put = "PUT"
    case delete = "DELETE"
}

/// One HTTP request as it goes on the wire: the query and body bytes are final (already encoded and signed).
package struct HTTPRequest: Sendable, Equatable {
    package var method: HTTPMethod
    /// Scheme, host and port, without a trailing slash, such as `https://api.binance.com`.
    package var baseURL: String
    /// Path starting with `/`, such as `/api/v3/order`.
    package var path: String
    /// Percent-encoded query string without the leading `?`; empty when there is none.
    package var query: String
    /// Header fields; names as sent.
    package var headers: [String: String]
    /// Body bytes (`application/x-www-form-urlencoded` for Binance); empty when there is none.
    package var body: Data
    /// Time allowed for the whole exchange, from sending to the last byte of the response.
    package var timeout: Duration

    package init(
        method: HTTPMethod,
        baseURL: String,
        path: String,
        query: String = "",
        headers: [String: String] = [:],
        body: Data = Data(),
        timeout: Duration = .seconds(10)
    ) {
        self.method = method
        self.baseURL = baseURL
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }

    /// The request target (`path?query`) as it appears in the request line.
    package var target: String { query.isEmpty ? path : path + "?" + query }
}

/// One HTTP response. Header names are lower-cased so lookups ignore case.
package struct HTTPResponse: Sendable, Equatable {
    package var status: Int
    package var headers: [String: String]
    package var body: Data

    package init(status: Int, headers: [String: String] = [:], body: Data = Data()) {
        self.status = status
        self.headers = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { _, last in last })
        self.body = body
    }

    /// Returns the value of a header field, ignoring the case of its name.
    package func header(_ name: String) -> String? { headers[name.lowercased()] }
}

/// Transport failures, split by what they prove about the request.
package enum TransportError: Error, Sendable, Equatable {
    /// Nothing reached the server (connection refused, name not resolved), so the request had no effect.
    case notSent(String)
    /// The request may have reached the server (timeout, connection lost, body cut short): its outcome is unknown.
    case outcomeUnknown(String)
    /// The caller cancelled the request.
    case cancelled
}

/// Sends HTTP requests to a venue: Binance over the network, the loopback simulator, or the simulator in process.
package protocol HTTPTransport: Sendable {
    /// Sends one request and returns the response, whatever its status code.
    /// - Throws: `TransportError` when no complete response arrived.
    func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse
}
