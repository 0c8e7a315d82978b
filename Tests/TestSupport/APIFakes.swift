import BinanceAPI
import Foundation

/// An `HTTPTransport` that plays back queued responses or failures and records every request it gets.
///
/// When the queue is empty, the fallback handler responds. Without one, the request fails as not sent.
/// `@unchecked Sendable`: all mutable state is guarded by `lock`.
package final class ScriptedTransport: HTTPTransport, @unchecked Sendable {
    package enum Step: Sendable {
        case respond(HTTPResponse)
        case fail(TransportError)
        case handle(@Sendable (HTTPRequest) -> HTTPResponse)
    }

    private let lock = NSLock()
    private var steps: [Step]
    private var recorded: [HTTPRequest] = []
    private let fallback: (@Sendable (HTTPRequest) -> HTTPResponse)?

    package init(_ steps: [Step] = [], fallback: (@Sendable (HTTPRequest) -> HTTPResponse)? = nil) {
        self.steps = steps
        self.fallback = fallback
    }

    /// Appends steps to the end of the queue.
    package func enqueue(_ newSteps: Step...) {
        lock.withLock { steps.append(contentsOf: newSteps) }
    }

    /// Every request received so far, in order.
    package var requests: [HTTPRequest] { lock.withLock { recorded } }

    /// Requests received for `path`.
    package func requests(to path: String) -> [HTTPRequest] { requests.filter { $0.path == path } }

    package func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
        let step: Step? = lock.withLock {
            recorded.append(request)
            return steps.isEmpty ? nil : steps.removeFirst()
        }
        switch step {
        case .respond(let response): return response
        case .fail(let error): throw error
        case .handle(let handler): return handler(request)
        case nil:
            guard let fallback else {
                throw .notSent("no scripted response for \(request.method.rawValue) \(request.path)")
            }
            return fallback(request)
        }
    }
}

extension HTTPResponse {
    /// Builds a JSON response with `body` as its text.
    package static func json(_ body: String, status: Int = 200, headers: [String: String] = [:]) -> HTTPResponse {
        var allHeaders = headers
        allHeaders["Content-Type"] = "application/json;charset=UTF-8"
        return HTTPResponse(status: status, headers: allHeaders, body: Data(body.utf8))
    }

    /// A Binance error body `{"code":…,"msg":…}`.
    package static func binanceError(_ code: Int, _ message: String, status: Int = 400, headers: [String: String] = [:])
        -> HTTPResponse
    {
        let escaped = message.replacingOccurrences(of: "\"", with: "\\\"")
        return json(#"{"code":\#(code),"msg":"\#(escaped)"}"#, status: status, headers: headers)
    }
}

extension HTTPRequest {
    /// The parameters as sent, query first, then body, percent-decoded.
    package var sentParameters: [(name: String, value: String)] {
        let text = [query, String(decoding: body, as: UTF8.self)].filter { !$0.isEmpty }.joined(separator: "&")
        guard !text.isEmpty else { return [] }
        return text.split(separator: "&", omittingEmptySubsequences: false).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(parts[0]).removingPercentEncoding ?? String(parts[0])
            let value = parts.count > 1 ? (String(parts[1]).removingPercentEncoding ?? String(parts[1])) : ""
            return (name, value)
        }
    }

    /// Returns the first sent value of `name`, percent-decoded.
    package func sentValue(_ name: String) -> String? {
        sentParameters.first { $0.name == name }?.value
    }

    /// The bytes a server verifies: the raw query without its `signature` pair, followed by the raw body
    /// without it.
    package var signedPayload: [UInt8] {
        func strip(_ text: String) -> String {
            text.split(separator: "&", omittingEmptySubsequences: false)
                .filter { !$0.hasPrefix("signature=") }
                .joined(separator: "&")
        }
        return Array(strip(query).utf8) + Array(strip(String(decoding: body, as: UTF8.self)).utf8)
    }
}

/// A clock for `BinanceClient` tests: time moves only when the client sleeps or the test advances it.
/// `@unchecked Sendable`: all mutable state is guarded by `lock`.
package final class ClientTestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Int64
    private var recordedSleeps: [Int64] = []

    /// - Parameter start: milliseconds since the Unix epoch; the default lies 30 s into a minute.
    package init(start: Int64 = 1_767_225_630_000) { current = start }

    package var now: Int64 { lock.withLock { current } }

    /// Every sleep the client asked for, in milliseconds.
    package var sleeps: [Int64] { lock.withLock { recordedSleeps } }

    package func advance(milliseconds: Int64) {
        lock.withLock { current += milliseconds }
    }

    /// The `ClientClock` to pass to `BinanceClient`; its sleeps return at once after advancing time.
    package var clientClock: ClientClock {
        ClientClock(
            now: { self.now },
            sleep: { milliseconds in
                self.lock.withLock {
                    self.recordedSleeps.append(milliseconds)
                    self.current += max(0, milliseconds)
                }
            }
        )
    }
}

/// Credentials and configurations for client tests.
package enum APITestSetup {
    /// The API key and secret of Binance's published HMAC example.
    package static let apiKey = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A"
    package static let secret = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j"

    package static var hmacCredentials: Credentials {
        Credentials(apiKey: Secret(apiKey), signer: HMACSigner(secret: Secret(secret)))
    }

    /// A configuration aimed at `baseURL` (never a real exchange) with the HMAC example credentials.
    package static func configuration(
        baseURL: String = "http://127.0.0.1:9",
        credentials: Credentials? = hmacCredentials,
        sharedLimitStatePath: String? = nil
    ) -> ClientConfiguration {
        ClientConfiguration(
            spotBaseURL: baseURL,
            futuresBaseURL: baseURL,
            credentials: credentials,
            clientOrderIDPrefix: "bst",
            sharedLimitStatePath: sharedLimitStatePath
        )
    }
}
