import BinanceAPI
import Foundation
import Simulator

/// One request the reliability server received, with what it answered.
package struct ReceivedRequest: Sendable {
    /// Milliseconds since the Unix epoch when the request arrived.
    package var time: Int64
    package var method: String
    package var path: String
    /// Query string and form body as received (the signature included).
    package var query: String
    package var body: String
    package var headers: [String: String]
    /// Status sent back; 0 when the connection was dropped without an answer.
    package var status: Int
    /// Response headers (lower-cased names); empty when the connection was dropped.
    package var responseHeaders: [String: String]
    package var responseBody: Data
}

/// A loopback HTTP server (`LoopbackHTTPServer`, the socket code of `SimulatorServer`) in front of a
/// `SimulatedExchange`, whose reply to each request a test decides.
///
/// The default handler passes every request to the exchange (with its own fault plan). A test handler can
/// answer instead of the exchange, act on the request and then drop or mangle the answer, or do anything else a
/// network or gateway can. Every request is logged with its answer, so a test can check what reached the
/// exchange: weights used per window, requests sent during a ban, or a canary secret on the wire.
package final class ReliabilityServer: @unchecked Sendable {
    /// Decides the reply to one request; the second argument numbers requests from 1.
    package typealias Handler = @Sendable (HTTPRequest, Int, SimulatedExchange) async -> SimulatorReply

    package let exchange: SimulatedExchange
    private let server: LoopbackHTTPServer
    private let log: RequestLog

    package var port: UInt16 { server.port }
    package var url: String { server.url }

    /// Binds 127.0.0.1 on a free port and starts serving.
    package init(exchange: SimulatedExchange, handler: Handler? = nil) throws {
        self.exchange = exchange
        let handler = handler ?? { request, _, exchange in await exchange.serve(request) }
        let log = RequestLog()
        self.log = log
        server = try LoopbackHTTPServer.start { received, number in
            let arrived = Int64(Date().timeIntervalSince1970 * 1000)
            let request = SimulatorServer.httpRequest(received, method: HTTPMethod(rawValue: received.method) ?? .get)
            let reply = Self.blocking { await handler(request, number, exchange) }
            var entry = ReceivedRequest(
                time: arrived,
                method: received.method,
                path: received.path,
                query: received.query,
                body: String(decoding: received.body, as: UTF8.self),
                headers: received.headers,
                status: 0,
                responseHeaders: [:],
                responseBody: Data()
            )
            switch reply {
            case .response(let response), .truncated(let response, _):
                entry.status = response.status
                entry.responseHeaders = response.headers
                entry.responseBody = response.body
            case .dropConnection:
                break
            }
            log.append(entry)
            return LoopbackHTTPServer.Reply(reply)
        }
    }

    /// A simulated exchange with an in-memory account, signing key `apiKey` and HMAC `secret`.
    package static func makeExchange(
        apiKey: String = SimulatedExchange.paperAPIKey,
        secret: String = SimulatedExchange.paperSecret,
        rateLimits: SimulatorRateLimits = .binance,
        faults: SimulatorFaultPlan = .none
    ) throws -> SimulatedExchange {
        try SimulatedExchange(
            options: SimulatorOptions(
                databasePath: ":memory:",
                apiKey: apiKey,
                credential: .hmac(secret: Secret(secret)),
                rateLimits: rateLimits,
                faults: faults
            )
        )
    }

    deinit { stop() }

    /// Every request received so far, in order of its reply (a held request is logged when its hold ends).
    package var requests: [ReceivedRequest] { log.entries }

    /// Stops accepting and closes open connections.
    package func stop() {
        server.stop()
    }

    /// Runs async work to its end from a connection thread, which is not part of Swift's cooperative pool.
    private static func blocking<T: Sendable>(_ work: @escaping @Sendable () async -> T) -> T {
        let box = Box<T>()
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            box.value = await work()
            done.signal()
        }
        done.wait()
        return box.value!
    }

    private final class Box<T>: @unchecked Sendable {
        // Written once by the task before the semaphore is signalled, read after the wait.
        var value: T?
    }
}

/// The requests a `ReliabilityServer` received, appended to by connection threads.
private final class RequestLog: @unchecked Sendable {
    // The lock protects `log`.
    private let lock = NSLock()
    private var log: [ReceivedRequest] = []

    func append(_ entry: ReceivedRequest) { lock.withLock { log.append(entry) } }

    var entries: [ReceivedRequest] { lock.withLock { log } }
}
