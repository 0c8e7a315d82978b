import Foundation
import Simulator

/// An HTTP/1.1 server on 127.0.0.1 that responds with scripted raw bytes, for testing how `CurlTransport`
/// classifies slow, cut-short and refused exchanges. It runs on `LoopbackHTTPServer`, the socket code of the
/// simulator's own server, with one thread per connection.
package final class APILoopbackServer: @unchecked Sendable {
    /// What the server does with one request.
    package struct Reply: Sendable {
        /// Bytes written as the response (status line, headers and body, as given).
        package var bytes: Data
        /// Seconds to wait before writing.
        package var delay: Double
        /// Whether to close the connection after writing.
        package var closesConnection: Bool

        package init(bytes: Data, delay: Double = 0, closesConnection: Bool = true) {
            self.bytes = bytes
            self.delay = delay
            self.closesConnection = closesConnection
        }

        /// Builds a complete response with a correct `Content-Length`.
        package static func http(status: Int = 200, body: String, headers: [String: String] = [:]) -> Reply {
            var head = "HTTP/1.1 \(status) Status\r\nContent-Type: application/json\r\n"
            for (name, value) in headers { head += "\(name): \(value)\r\n" }
            head += "Content-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n"
            return Reply(bytes: Data((head + body).utf8))
        }
    }

    /// A request as the server read it.
    package struct Received: Sendable {
        package var requestLine: String
        /// Header names in lower case.
        package var headers: [String: String]
        package var body: Data
    }

    private let server: LoopbackHTTPServer
    private let log: ReceivedLog

    package var port: UInt16 { server.port }

    package init(handler: @escaping @Sendable (Received) -> Reply) throws {
        let log = ReceivedLog()
        self.log = log
        server = try LoopbackHTTPServer.start { request, _ in
            let received = Received(requestLine: request.requestLine, headers: request.headers, body: request.body)
            log.append(received)
            let reply = handler(received)
            if reply.delay > 0 { Thread.sleep(forTimeInterval: reply.delay) }
            return .raw(reply.bytes, closesConnection: reply.closesConnection)
        }
    }

    deinit { stop() }

    /// The base URL of this server, such as `http://127.0.0.1:40123`.
    package var baseURL: String { server.url }

    /// Requests received so far.
    package var requests: [Received] { log.entries }

    /// Stops accepting connections and shuts the open ones down. Safe to call more than once.
    package func stop() {
        server.stop()
    }

    /// Returns a port on 127.0.0.1 that nothing listens on.
    ///
    /// The port stays bound, without listening, until the test process exits, so connections to it are refused
    /// and no other test's server can take it meanwhile (a freed port could be handed out again at once).
    package static func closedPort() throws -> UInt16 {
        try SilentLoopbackServer.bindLoopbackPort(listens: false).port
    }
}

/// The requests an `APILoopbackServer` received, appended to by connection threads.
private final class ReceivedLog: @unchecked Sendable {
    // The lock protects `received`.
    private let lock = NSLock()
    private var received: [APILoopbackServer.Received] = []

    func append(_ request: APILoopbackServer.Received) { lock.withLock { received.append(request) } }

    var entries: [APILoopbackServer.Received] { lock.withLock { received } }
}
