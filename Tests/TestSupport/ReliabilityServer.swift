import BinanceAPI
import Foundation
import Simulator

#if canImport(Glibc)
import Glibc
#endif

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

/// A loopback HTTP server in front of a `SimulatedExchange` whose reply to each request a test decides.
///
/// The default handler passes every request to the exchange (with its own fault plan). A test handler can
/// answer instead of the exchange, act on the request and then drop or mangle the answer, or do anything else a
/// network or gateway can. Every request is logged with its answer, so a test can check what reached the
/// exchange: weights used per window, requests sent during a ban, or a canary secret on the wire.
package final class ReliabilityServer: @unchecked Sendable {
    /// Decides the reply to one request; the second argument numbers requests from 1.
    package typealias Handler = @Sendable (HTTPRequest, Int, SimulatedExchange) async -> SimulatorReply

    package let exchange: SimulatedExchange
    package let port: UInt16
    package var url: String { "http://127.0.0.1:\(port)" }

    private let listener: Int32
    private let handler: Handler
    // The lock protects `log`, `connections`, `isStopped` and `sequence`, which connection threads share.
    private let lock = NSLock()
    private var log: [ReceivedRequest] = []
    private var connections = Set<Int32>()
    private var isStopped = false
    private var sequence = 0

    /// Binds 127.0.0.1 on a free port and starts serving.
    package init(exchange: SimulatedExchange, handler: Handler? = nil) throws {
        self.exchange = exchange
        self.handler = handler ?? { request, _, exchange in await exchange.serve(request) }
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw ReliabilityServerError.socket("socket") }
        var reuse: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(descriptor, 256) == 0 else {
            close(descriptor)
            throw ReliabilityServerError.socket("bind")
        }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        listener = descriptor
        port = UInt16(bigEndian: actual.sin_port)
        let thread = Thread { [self] in acceptLoop() }
        thread.name = "reliability-accept"
        thread.start()
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

    /// Every request received so far, in order of arrival.
    package var requests: [ReceivedRequest] { lock.withLock { log } }

    /// Stops accepting and closes open connections.
    package func stop() {
        let open: Set<Int32>? = lock.withLock {
            if isStopped { return nil }
            isStopped = true
            let open = connections
            connections.removeAll()
            return open
        }
        guard let open else { return }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
        for connection in open { shutdown(connection, Int32(SHUT_RDWR)) }
    }

    // MARK: - Serving

    private func acceptLoop() {
        while true {
            let connection = accept(listener, nil, nil)
            if connection < 0 {
                if errno == EINTR { continue }
                return
            }
            var noDelay: Int32 = 1
            setsockopt(connection, Int32(IPPROTO_TCP), TCP_NODELAY, &noDelay, socklen_t(MemoryLayout<Int32>.size))
            let accepted = lock.withLock {
                if isStopped { return false }
                connections.insert(connection)
                return true
            }
            guard accepted else {
                close(connection)
                return
            }
            let thread = Thread { [self] in
                serve(connection)
                lock.withLock { _ = connections.remove(connection) }
                close(connection)
            }
            thread.start()
        }
    }

    private func serve(_ connection: Int32) {
        var buffer = [UInt8]()
        while let parsed = Self.readRequest(connection, buffer: &buffer) {
            let arrived = Int64(Date().timeIntervalSince1970 * 1000)
            let number = lock.withLock {
                sequence += 1
                return sequence
            }
            let request = HTTPRequest(
                method: HTTPMethod(rawValue: parsed.method) ?? .get,
                baseURL: url,
                path: parsed.path,
                query: parsed.query,
                headers: parsed.headers,
                body: parsed.body
            )
            let handler = self.handler
            let exchange = self.exchange
            let reply = Self.blocking { await handler(request, number, exchange) }
            var entry = ReceivedRequest(
                time: arrived,
                method: parsed.method,
                path: parsed.path,
                query: parsed.query,
                body: String(decoding: parsed.body, as: UTF8.self),
                headers: parsed.headers,
                status: 0,
                responseHeaders: [:],
                responseBody: Data()
            )
            var keepOpen = false
            switch reply {
            case .response(let response):
                entry.status = response.status
                entry.responseHeaders = response.headers
                entry.responseBody = response.body
                keepOpen = Self.write(connection, response, keep: nil)
            case .truncated(let response, let keepBytes):
                entry.status = response.status
                entry.responseHeaders = response.headers
                entry.responseBody = response.body
                _ = Self.write(connection, response, keep: keepBytes)
            case .dropConnection:
                break
            }
            lock.withLock { log.append(entry) }
            guard keepOpen else { return }
        }
    }

    private struct Parsed {
        var method: String
        var path: String
        var query: String
        var headers: [String: String]
        var body: Data
    }

    private static func readRequest(_ connection: Int32, buffer: inout [UInt8]) -> Parsed? {
        let separator: [UInt8] = [13, 10, 13, 10]
        var headerEnd: Int?
        while headerEnd == nil {
            if buffer.count >= 4 {
                headerEnd = (0...(buffer.count - 4)).first { Array(buffer[$0..<($0 + 4)]) == separator }
            }
            if headerEnd == nil, !fill(connection, &buffer) { return nil }
        }
        guard let headerEnd else { return nil }
        let head = String(decoding: buffer[0..<headerEnd], as: UTF8.self).components(separatedBy: "\r\n")
        let requestLine = head[0].split(separator: " ")
        guard requestLine.count == 3 else { return nil }
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let length = Int(headers["content-length"] ?? "0") ?? 0
        while buffer.count < headerEnd + 4 + length {
            guard fill(connection, &buffer) else { return nil }
        }
        let body = Data(buffer[(headerEnd + 4)..<(headerEnd + 4 + length)])
        buffer.removeFirst(headerEnd + 4 + length)
        let target = String(requestLine[1])
        let parts = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        return Parsed(
            method: String(requestLine[0]),
            path: String(parts[0]),
            query: parts.count > 1 ? String(parts[1]) : "",
            headers: headers,
            body: body
        )
    }

    private static func fill(_ connection: Int32, _ buffer: inout [UInt8]) -> Bool {
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(connection, $0.baseAddress, $0.count, 0) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { return false }
            buffer.append(contentsOf: chunk[0..<count])
            return true
        }
    }

    /// Writes the response; with `keep` set, only that many body bytes, then the connection is closed.
    private static func write(_ connection: Int32, _ response: HTTPResponse, keep: Int?) -> Bool {
        var head = "HTTP/1.1 \(response.status) Status\r\n"
        for (name, value) in response.headers where name != "content-length" && name != "connection" {
            head += "\(name): \(value)\r\n"
        }
        head += "content-length: \(response.body.count)\r\n"
        head += keep == nil ? "connection: keep-alive\r\n\r\n" : "connection: close\r\n\r\n"
        var bytes = Array(head.utf8)
        bytes += keep.map { Array(response.body.prefix($0)) } ?? Array(response.body)
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes {
                send(connection, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL))
            }
            if sent < 0, errno == EINTR { continue }
            guard sent > 0 else { return false }
            offset += sent
        }
        return keep == nil
    }

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

package enum ReliabilityServerError: Error {
    case socket(String)
}
