import BinanceAPI
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A small HTTP/1.1 server on a loopback address, with one thread per connection and a handler that decides each
/// reply. `SimulatorServer` puts a `SimulatedExchange` behind it; tests put fault injectors and scripted bytes.
///
/// It supports keep-alive and `Content-Length` bodies (no chunked uploads), replies to `Expect: 100-continue`, and
/// writes each response's header and body in one `send`, so Nagle's algorithm adds no delay. The handler runs on
/// the connection's own thread, never on Swift's cooperative pool, so it may block (to hold a request, for example).
package final class LoopbackHTTPServer: @unchecked Sendable {
    /// One request as read from the socket.
    package struct Request: Sendable {
        package var method: String
        package var path: String
        /// The query string without `?`; empty when there is none.
        package var query: String
        /// Header names in lower case.
        package var headers: [String: String]
        package var body: Data
        /// The request line as received, such as `GET /api/v3/time HTTP/1.1`.
        package var requestLine: String
        /// Whether the client allows the connection to stay open (HTTP/1.1 without `Connection: close`).
        package var keepAlive: Bool
    }

    /// Handler that turns one request into its response.
    package enum Reply: Sendable {
        /// A complete response; the connection stays open when the client allows it.
        case response(HTTPResponse)
        /// The status line and headers, then only the first `keepBytes` bytes of the body, then the connection closes.
        case truncated(HTTPResponse, keepBytes: Int)
        /// Close the connection without a response.
        case dropConnection
        /// These bytes exactly as given (status line, headers and body), then close the connection unless
        /// `closesConnection` is false.
        case raw(Data, closesConnection: Bool)
    }

    /// Decides the reply to one request; the second argument numbers requests from 1 across all connections.
    package typealias Handler = @Sendable (Request, Int) -> Reply

    /// The bound port, read back from the socket (useful when started with port 0).
    package let port: UInt16
    package let host: String
    private let listener: Int32
    private let handler: Handler
    private let logger: Logger
    private let state = ServerState()

    /// Base URL of the server, such as `http://127.0.0.1:43123`.
    package var url: String { "http://\(host):\(port)" }

    private init(host: String, port: UInt16, listener: Int32, logger: Logger, handler: @escaping Handler) {
        self.host = host
        self.port = port
        self.listener = listener
        self.logger = logger
        self.handler = handler
    }

    /// Binds `host:port` (port 0 picks a free port) and starts accepting connections on a background thread.
    /// - Throws: `SimulatorServerError.notLoopback` for any address outside 127.0.0.0/8, `.bindFailed` when the
    ///   address cannot be bound (such as a port in use), or `.socket` when another socket call fails.
    package static func start(
        host: String = "127.0.0.1",
        port: UInt16 = 0,
        logger: Logger = .disabled,
        handler: @escaping Handler
    ) throws -> LoopbackHTTPServer {
        var address = in_addr()
        guard inet_pton(AF_INET, host, &address) == 1, (UInt32(bigEndian: address.s_addr) >> 24) == 127 else {
            throw SimulatorServerError.notLoopback(host)
        }
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw SimulatorServerError.socket(call: "socket", errno: errno) }
        var reuse: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))

        var socketAddress = sockaddr_in()
        socketAddress.sin_family = sa_family_t(AF_INET)
        socketAddress.sin_port = port.bigEndian
        socketAddress.sin_addr = address
        let bound = withUnsafePointer(to: &socketAddress) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else {
            let number = errno
            close(descriptor)
            throw SimulatorServerError.bindFailed(host: host, port: port, errno: number)
        }
        guard listen(descriptor, 256) == 0 else {
            let number = errno
            close(descriptor)
            throw SimulatorServerError.socket(call: "listen", errno: number)
        }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        let server = LoopbackHTTPServer(
            host: host,
            port: UInt16(bigEndian: actual.sin_port),
            listener: descriptor,
            logger: logger,
            handler: handler
        )
        let thread = Thread { server.acceptLoop() }
        thread.name = "loopback-http-accept"
        thread.start()
        return server
    }

    /// Stops accepting connections and shuts the open ones down. Safe to call more than once.
    package func stop() {
        guard state.markStopped() else { return }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
        for connection in state.takeConnections() {
            shutdown(connection, Int32(SHUT_RDWR))
        }
    }

    deinit { stop() }

    private func acceptLoop() {
        while !state.isStopped {
            let connection = accept(listener, nil, nil)
            if connection < 0 {
                let number = errno
                if number == EINTR { continue }
                if !state.isStopped { logger.error("Loopback server stopped accepting connections", ["errno": String(number)]) }
                return
            }
            var noDelay: Int32 = 1
            setsockopt(connection, Int32(IPPROTO_TCP), TCP_NODELAY, &noDelay, socklen_t(MemoryLayout<Int32>.size))
            guard state.add(connection) else {
                close(connection)
                return
            }
            let thread = Thread { [self] in
                serve(connection)
                state.remove(connection)
                close(connection)
            }
            thread.name = "loopback-http-connection"
            thread.start()
        }
    }

    /// Serves requests on one connection until the client closes it, sends `Connection: close`, or sends garbage.
    private func serve(_ connection: Int32) {
        var reader = ConnectionReader(descriptor: connection)
        while !state.isStopped {
            let parsed: ParsedHTTPRequest
            switch reader.nextRequest() {
            case .request(let request): parsed = request
            case .closed: return
            case .malformed(let reason):
                logger.warning("Rejected a malformed HTTP request", ["reason": reason])
                let body = Data(#"{"code":-1000,"msg":"\#(reason)"}"#.utf8)
                _ = Self.write(connection, HTTPResponse(status: 400, body: body), keepAlive: false, truncateTo: nil)
                return
            }
            let request = Request(
                method: parsed.method,
                path: parsed.path,
                query: parsed.query,
                headers: parsed.headers,
                body: parsed.body,
                requestLine: parsed.requestLine,
                keepAlive: parsed.keepAlive
            )
            switch handler(request, state.nextRequestNumber()) {
            case .response(let response):
                guard Self.write(connection, response, keepAlive: parsed.keepAlive, truncateTo: nil), parsed.keepAlive
                else { return }
            case .truncated(let response, let keepBytes):
                _ = Self.write(connection, response, keepAlive: false, truncateTo: keepBytes)
                return
            case .dropConnection:
                return
            case .raw(let bytes, let closesConnection):
                guard Self.send(connection, Array(bytes)), !closesConnection else { return }
            }
        }
    }

    /// Writes the response in one buffer; returns false when the peer is gone.
    private static func write(_ connection: Int32, _ response: HTTPResponse, keepAlive: Bool, truncateTo: Int?) -> Bool {
        var headers = response.headers
        if headers["content-type"] == nil { headers["content-type"] = "application/json;charset=UTF-8" }
        headers["content-length"] = String(response.body.count)
        headers["connection"] = keepAlive ? "keep-alive" : "close"
        // The head is built as bytes, which costs less per request than concatenating strings.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(512 + response.body.count)
        bytes.append(contentsOf: "HTTP/1.1 \(response.status) \(reason(response.status))\r\n".utf8)
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) {
            appendCanonicalName(name, to: &bytes)
            bytes.append(UInt8(ascii: ":"))
            bytes.append(UInt8(ascii: " "))
            bytes.append(contentsOf: value.utf8)
            bytes.append(13)
            bytes.append(10)
        }
        bytes.append(13)
        bytes.append(10)
        let headLength = bytes.count
        bytes.append(contentsOf: response.body)
        if let truncateTo {
            bytes.removeSubrange((headLength + max(0, min(truncateTo, response.body.count)))...)
        }
        return send(connection, bytes)
    }

    /// Sends every byte, retrying on EINTR; returns false when the peer is gone. MSG_NOSIGNAL keeps a client that
    /// already hung up from raising SIGPIPE.
    private static func send(_ connection: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { buffer in
                Glibc.send(connection, buffer.baseAddress! + offset, buffer.count - offset, Int32(MSG_NOSIGNAL))
            }
            if sent < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += sent
        }
        return true
    }

    /// Appends `canonicalName(name)` as UTF-8, without making a string for ASCII names.
    static func appendCanonicalName(_ name: String, to bytes: inout [UInt8]) {
        guard name.utf8.allSatisfy({ $0 < 0x80 }) else {
            bytes.append(contentsOf: canonicalName(name).utf8)
            return
        }
        let upperAll = name.hasPrefix("x-mbx-") || name.hasPrefix("x-sapi-")
        var previous = UInt8(ascii: "-")
        for byte in name.utf8 {
            let upper = upperAll || previous == UInt8(ascii: "-")
            bytes.append(upper && byte >= 97 && byte <= 122 ? byte - 32 : byte)
            previous = byte
        }
    }

    /// `x-mbx-used-weight-1m` → `X-MBX-USED-WEIGHT-1M`, `content-type` → `Content-Type`, as Binance writes them.
    static func canonicalName(_ name: String) -> String {
        if name.utf8.allSatisfy({ $0 < 0x80 }) {
            let upperAll = name.hasPrefix("x-mbx-") || name.hasPrefix("x-sapi-")
            var previous: UInt8 = UInt8(ascii: "-")
            let bytes = name.utf8.map { byte -> UInt8 in
                defer { previous = byte }
                let upper = upperAll || previous == UInt8(ascii: "-")
                return upper && byte >= 97 && byte <= 122 ? byte - 32 : byte
            }
            return String(decoding: bytes, as: UTF8.self)
        }
        if name.hasPrefix("x-mbx-") || name.hasPrefix("x-sapi-") { return name.uppercased() }
        return name.split(separator: "-", omittingEmptySubsequences: false)
            .map { $0.prefix(1).uppercased() + $0.dropFirst() }
            .joined(separator: "-")
    }

    static func reason(_ status: Int) -> String {
        switch status {
        case 200: return "OK"
        case 400: return "Bad Request"
        case 401: return "Unauthorized"
        case 403: return "Forbidden"
        case 404: return "Not Found"
        case 405: return "Method Not Allowed"
        case 408: return "Request Timeout"
        case 418: return "I'm a teapot"
        case 429: return "Too Many Requests"
        case 500: return "Internal Server Error"
        case 502: return "Bad Gateway"
        case 503: return "Service Unavailable"
        case 504: return "Gateway Timeout"
        default: return "Status"
        }
    }
}

/// Open connections, the request counter and the stopped flag, shared by the accept thread, connection threads
/// and `stop()`.
private final class ServerState: @unchecked Sendable {
    // The lock protects every stored property.
    private let lock = NSLock()
    private var stopped = false
    private var connections = Set<Int32>()
    private var requestCount = 0

    var isStopped: Bool { lock.withLock { stopped } }

    func markStopped() -> Bool {
        lock.withLock {
            if stopped { return false }
            stopped = true
            return true
        }
    }

    func add(_ connection: Int32) -> Bool {
        lock.withLock {
            if stopped { return false }
            connections.insert(connection)
            return true
        }
    }

    func remove(_ connection: Int32) { lock.withLock { _ = connections.remove(connection) } }

    func takeConnections() -> Set<Int32> {
        lock.withLock {
            let open = connections
            connections.removeAll()
            return open
        }
    }

    func nextRequestNumber() -> Int {
        lock.withLock {
            requestCount += 1
            return requestCount
        }
    }
}
