import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Sends requests over HTTP(S) with Foundation's `URLSession` (libcurl on Linux).
///
/// Failures are split by what they prove. A refused connection or failed name resolution means nothing was
/// sent. A timeout, lost connection or short body means the request may have been processed. Error messages name
/// only the method and path, never the query string, which holds the signature.
///
/// On Linux, libcurl honours `http_proxy` and `no_proxy` from the environment, even for 127.0.0.1.
///
/// Reads (GET) share one session and its kept-alive connections. Every other request gets a session of its own
/// and so a new connection: libcurl sends a request again by itself when a reused connection closes before any
/// response byte, and the exchange may already have acted on the first copy (seen with the simulator's
/// `dropBeforeCommit` fault), so an order or cancel must never ride on a reused connection.
package final class URLSessionTransport: HTTPTransport {
    private let session: URLSession
    private let configuration: URLSessionConfiguration
    /// Maximum time for the whole exchange of one request, even when `HTTPRequest.timeout` is longer.
    private let overallDeadline: Duration

    /// - Parameter overallDeadline: the upper bound of one exchange, on top of each request's own timeout
    ///   (which also limits how long the connection may stay idle).
    package init(overallDeadline: Duration = .seconds(30)) {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForResource = Self.seconds(overallDeadline)
        configuration.httpCookieStorage = nil
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        session = URLSession(configuration: configuration)
        self.configuration = configuration
        self.overallDeadline = overallDeadline
    }

    deinit { session.finishTasksAndInvalidate() }

    package func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
        let label = "\(request.method.rawValue) \(request.path)"
        guard let url = URL(string: request.baseURL + request.target) else {
            throw .notSent("\(label): the base URL '\(request.baseURL)' is not a valid URL.")
        }
        var urlRequest = URLRequest(url: url)
        urlRequest.httpMethod = request.method.rawValue
        let deadline = min(request.timeout, overallDeadline)
        // swift-corelibs-foundation truncates this to whole seconds, and a value under one second made
        // requests time out at once (measured with Swift 6.3 on Linux), so it is at least 1 s here and
        // `exchange` enforces the exact deadline.
        urlRequest.timeoutInterval = max(1, Self.seconds(deadline).rounded(.up))
        for (name, value) in request.headers {
            urlRequest.setValue(value, forHTTPHeaderField: name)
        }
        if !request.body.isEmpty { urlRequest.httpBody = request.body }

        let isRead = request.method == .get
        let session = isRead ? self.session : URLSession(configuration: configuration)
        defer { if !isRead { session.finishTasksAndInvalidate() } }
        let (data, response) = try await exchange(urlRequest, on: session, deadline: deadline, label: label)
        guard let http = response as? HTTPURLResponse else {
            throw .outcomeUnknown("\(label): the server's response is not HTTP.")
        }
        var headers: [String: String] = [:]
        for (name, value) in http.allHeaderFields {
            headers[String(describing: name)] = String(describing: value)
        }
        let result = HTTPResponse(status: http.statusCode, headers: headers, body: data)
        if let expected = result.header("Content-Length").flatMap({ Int($0) }), data.count < expected {
            throw .outcomeUnknown("\(label): the response body ended after \(data.count) of \(expected) bytes.")
        }
        return result
    }

    /// Runs the request and enforces `deadline` over the whole exchange, because URLSession's own timeout
    /// only limits idle time between packets.
    private func exchange(
        _ request: URLRequest,
        on session: URLSession,
        deadline: Duration,
        label: String
    ) async throws(TransportError) -> (Data, URLResponse) {
        do {
            return try await withThrowingTaskGroup(of: (Data, URLResponse)?.self) { group in
                group.addTask { try await session.data(for: request) }
                group.addTask {
                    try await Task.sleep(for: deadline)
                    return nil
                }
                defer { group.cancelAll() }
                guard let first = try await group.next(), let result = first else {
                    throw DeadlineExceeded()
                }
                return result
            }
        } catch is DeadlineExceeded {
            throw .outcomeUnknown("\(label): no complete response within \(Self.seconds(deadline)) s.")
        } catch {
            throw Self.classify(error, label: label)
        }
    }

    private struct DeadlineExceeded: Error {}

    /// Maps a URLSession error to what it proves about the request.
    static func classify(_ error: any Error, label: String) -> TransportError {
        if error is CancellationError { return .cancelled }
        guard let urlError = error as? URLError else {
            return .outcomeUnknown("\(label): the request failed (\(type(of: error))).")
        }
        switch urlError.code {
        case .cancelled:
            return .cancelled
        case .cannotConnectToHost, .cannotFindHost, .dnsLookupFailed, .notConnectedToInternet, .badURL,
            .unsupportedURL, .secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate,
            .serverCertificateNotYetValid, .serverCertificateHasUnknownRoot, .clientCertificateRejected,
            .clientCertificateRequired, .internationalRoamingOff, .dataNotAllowed, .callIsActive:
            return .notSent("\(label): \(describe(urlError.code)) (URLError \(urlError.code.rawValue)).")
        default:
            return .outcomeUnknown("\(label): \(describe(urlError.code)) (URLError \(urlError.code.rawValue)).")
        }
    }

    /// Returns a fixed description of an error code, because URLError's own text may contain the URL with its query.
    private static func describe(_ code: URLError.Code) -> String {
        switch code {
        case .cannotConnectToHost: "could not connect to the server"
        case .cannotFindHost, .dnsLookupFailed: "the host name could not be resolved"
        case .notConnectedToInternet: "no network connection"
        case .secureConnectionFailed: "the TLS handshake failed"
        case .serverCertificateUntrusted, .serverCertificateHasBadDate, .serverCertificateNotYetValid,
            .serverCertificateHasUnknownRoot:
            "the server's TLS certificate was not accepted"
        case .timedOut: "timed out waiting for the server"
        case .networkConnectionLost: "the connection was lost before the response was complete"
        case .badServerResponse, .cannotParseResponse: "the server's response could not be read"
        default: "the request failed"
        }
    }

    private static func seconds(_ duration: Duration) -> TimeInterval {
        let (seconds, attoseconds) = duration.components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}
