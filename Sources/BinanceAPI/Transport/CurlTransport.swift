import CCurl
import Foundation

/// Sends requests over HTTP(S) with libcurl. A request sent from the thread of a `CurlEventLoop` runs on that
/// loop, and any other on one multi handle driven by a thread of its own (see `CurlMultiDriver`).
///
/// Failures are split by what they prove. A refused connection, failed name resolution or failed TLS handshake
/// means nothing was sent. A timeout, lost connection or short body means the request may have been processed.
/// Error messages name only the method and path, never the query string, which contains the signature.
///
/// libcurl honours `http_proxy`, `https_proxy` and `no_proxy` from the environment, even for 127.0.0.1. It verifies
/// TLS peers against the system's certificate store, follows no redirects and keeps no cookies.
///
/// Reads (GET) reuse the kept-alive connections of the multi handle they run on. Every other request opens a new
/// connection and closes it afterwards. The reason is that libcurl sends a request again by itself when a reused
/// connection closes before any response byte. The exchange may already have acted on the first copy, so an order
/// or cancel must never ride on a reused connection.
///
/// libcurl itself is loaded on the first transport made (see `CurlLibrary`). When it is missing, every request
/// fails with `.notSent`.
package final class CurlTransport: HTTPTransport {
    /// The library and the driver of its multi handle, or why libcurl could not be loaded.
    private let loaded: Result<(library: CurlLibrary, driver: CurlMultiDriver), CurlLibraryError>
    /// Maximum time for the whole exchange of one request, even when `HTTPRequest.timeout` is longer.
    private let overallDeadline: Duration
    private let userAgent: String
    private let certificateAuthorityFile: String?

    /// - Parameters:
    ///   - overallDeadline: the upper bound of one exchange, on top of each request's own timeout.
    ///   - userAgent: the `User-Agent` header of every request that does not set one.
    ///   - certificateAuthorityFile: a PEM file of the certificate authorities that TLS peers must chain to. When it
    ///     is nil, the system's store is used.
    package convenience init(
        overallDeadline: Duration = .seconds(30),
        userAgent: String = "binance-shell",
        certificateAuthorityFile: String? = nil
    ) {
        self.init(
            library: CurlLibrary.shared,
            overallDeadline: overallDeadline,
            userAgent: userAgent,
            certificateAuthorityFile: certificateAuthorityFile
        )
    }

    /// Sends with `library`, or fails every request with `.notSent` when it could not be loaded.
    init(
        library: Result<CurlLibrary, CurlLibraryError>,
        overallDeadline: Duration,
        userAgent: String,
        certificateAuthorityFile: String? = nil
    ) {
        loaded = library.map { (library: $0, driver: CurlMultiDriver(library: $0)) }
        self.overallDeadline = overallDeadline
        self.userAgent = userAgent
        self.certificateAuthorityFile = certificateAuthorityFile
    }

    deinit {
        if case .success(let loaded) = loaded { loaded.driver.stop() }
    }

    package func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
        let label = "\(request.method.rawValue) \(request.path)"
        guard request.baseURL.hasPrefix("http://") || request.baseURL.hasPrefix("https://") else {
            throw .notSent("\(label): the base URL '\(request.baseURL)' is not valid: expected http:// or https://.")
        }
        let library: CurlLibrary
        let driver: CurlMultiDriver
        switch loaded {
        case .success(let loaded): (library, driver) = loaded
        case .failure(let error):
            throw .notSent("\(label): \(error.message)")
        }
        let deadline = min(request.timeout, overallDeadline)
        let exchange = try CurlExchange(
            request,
            library: library,
            timeoutMilliseconds: Self.milliseconds(deadline),
            userAgent: userAgent,
            certificateAuthorityFile: certificateAuthorityFile,
            label: label
        )

        // On the thread of an event loop, the loop runs the transfer and resumes this task on the same thread.
        if let loop = CurlEventLoop.current {
            let outcome = await withTaskCancellationHandler {
                await withCheckedContinuation { continuation in
                    loop.submit(exchange, library: library, continuation: continuation)
                }
            } onCancel: {
                loop.cancel(exchange)
            }
            return try outcome.get()
        }
        let outcome = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                driver.submit(exchange, continuation: continuation)
            }
        } onCancel: {
            driver.cancel(exchange)
        }
        return try outcome.get()
    }

    /// Rounds up, so a deadline under one millisecond still allows one, because libcurl reads 0 as no timeout.
    private static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        let fraction = (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        // A day bounds the multiplication, and no request waits that long.
        return max(1, Int(min(seconds, 86_400)) * 1000 + Int(fraction))
    }
}
