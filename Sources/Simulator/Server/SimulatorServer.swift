import BinanceAPI
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Errors of starting the loopback simulator server.
package enum SimulatorServerError: Error, CustomStringConvertible, Equatable {
    /// The host is not a loopback IPv4 address; the simulator serves only this machine.
    case notLoopback(String)
    /// A socket call failed; `call` names it and `errno` is the C error number.
    case socket(call: String, errno: Int32)

    package var description: String {
        switch self {
        case .notLoopback(let host):
            return "Invalid simulator host '\(host)': expected a loopback address such as 127.0.0.1."
        case .socket(let call, let number):
            return "Simulator server failed: \(call) returned error \(number) (\(String(cString: strerror(number))))."
        }
    }
}

/// A small HTTP/1.1 server on 127.0.0.1 that passes each request to a `SimulatedExchange`.
///
/// It supports keep-alive and `Content-Length` bodies (no chunked uploads), runs one thread per connection,
/// and writes each response's header and body in one `send` so Nagle's algorithm adds no delay.
package final class SimulatorServer: @unchecked Sendable {
    package let exchange: SimulatedExchange
    /// The bound port, read back from the socket (useful when started with port 0).
    package let port: UInt16
    package let host: String
    private let listener: Int32
    private let logger: Logger
    private let state = ServerState()

    /// Base URL of the server, such as `http://127.0.0.1:43123`.
    package var url: String { "http://\(host):\(port)" }

    private init(exchange: SimulatedExchange, host: String, port: UInt16, listener: Int32, logger: Logger) {
        self.exchange = exchange
        self.host = host
        self.port = port
        self.listener = listener
        self.logger = logger
    }

    /// Binds `host:port` (port 0 picks a free port) and starts accepting connections on a background thread.
    /// - Throws: `SimulatorServerError.notLoopback` for any address outside 127.0.0.0/8, or `.socket` when a socket call fails.
    package static func start(
        exchange: SimulatedExchange,
        host: String = "127.0.0.1",
        port: UInt16 = 0,
        logger: Logger = .disabled
    ) throws -> SimulatorServer {
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
            throw SimulatorServerError.socket(call: "bind", errno: number)
        }
        guard listen(descriptor, 128) == 0 else {
            let number = errno
            close(descriptor)
            throw SimulatorServerError.socket(call: "listen", errno: number)
        }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        let server = SimulatorServer(
            exchange: exchange,
            host: host,
            port: UInt16(bigEndian: actual.sin_port),
            listener: descriptor,
            logger: logger
        )
        let thread = Thread { server.acceptLoop() }
        thread.name = "simulator-accept"
        thread.start()
        return server
    }

    /// Stops accepting connections and closes the open ones. Safe to call more than once.
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
                if !state.isStopped { logger.error("Simulator stopped accepting connections", ["errno": String(number)]) }
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
            thread.name = "simulator-connection"
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
                _ = write(connection, HTTPResponse(status: 400, body: body), keepAlive: false, truncateTo: nil)
                return
            }
            let request = HTTPRequest(
                method: HTTPMethod(rawValue: parsed.method) ?? .get,
                baseURL: url,
                path: parsed.path,
                query: parsed.query,
                headers: parsed.headers,
                body: parsed.body
            )
            let reply: SimulatorReply
            if HTTPMethod(rawValue: parsed.method) == nil {
                let body = Data(#"{"code":-1000,"msg":"Unsupported HTTP method '\#(parsed.method)'."}"#.utf8)
                reply = .response(HTTPResponse(status: 405, body: body))
            } else {
                reply = exchange.serveBlocking(request)
            }
            let keepAlive = parsed.keepAlive
            switch reply {
            case .response(let response):
                guard write(connection, response, keepAlive: keepAlive, truncateTo: nil), keepAlive else { return }
            case .truncated(let response, let keepBytes):
                _ = write(connection, response, keepAlive: false, truncateTo: keepBytes)
                return
            case .dropConnection:
                return
            }
        }
    }

    /// Writes the response in one buffer; returns false when the peer is gone.
    private func write(_ connection: Int32, _ response: HTTPResponse, keepAlive: Bool, truncateTo: Int?) -> Bool {
        var head = "HTTP/1.1 \(response.status) \(Self.reason(response.status))\r\n"
        var headers = response.headers
        if headers["content-type"] == nil { headers["content-type"] = "application/json;charset=UTF-8" }
        headers["content-length"] = String(response.body.count)
        headers["connection"] = keepAlive ? "keep-alive" : "close"
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) {
            head += "\(Self.canonicalName(name)): \(value)\r\n"
        }
        head += "\r\n"
        var bytes = [UInt8](head.utf8)
        bytes.append(contentsOf: response.body)
        if let truncateTo { bytes = Array(bytes.prefix(head.utf8.count + max(0, min(truncateTo, response.body.count)))) }
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { buffer in
                send(connection, buffer.baseAddress! + offset, buffer.count - offset, Int32(MSG_NOSIGNAL))
            }
            if sent < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += sent
        }
        return true
    }

    /// `x-mbx-used-weight-1m` → `X-MBX-USED-WEIGHT-1M`, `content-type` → `Content-Type`, as Binance writes them.
    static func canonicalName(_ name: String) -> String {
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

/// Open connections and the stopped flag, shared by the accept thread, connection threads and `stop()`.
private final class ServerState: @unchecked Sendable {
    private let lock = NSLock()
    private var stopped = false
    private var connections = Set<Int32>()

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
}

struct ParsedHTTPRequest {
    var method: String
    var path: String
    var query: String
    var headers: [String: String]
    var body: Data
    var keepAlive: Bool
}

/// Reads HTTP/1.1 requests from a socket, keeping bytes that arrive beyond one request for the next.
struct ConnectionReader {
    enum Outcome {
        case request(ParsedHTTPRequest)
        case closed
        case malformed(String)
    }

    let descriptor: Int32
    private var buffer = [UInt8]()
    private static let maxHeaderBytes = 64 * 1024
    private static let maxBodyBytes = 8 * 1024 * 1024

    init(descriptor: Int32) { self.descriptor = descriptor }

    mutating func nextRequest() -> Outcome {
        var headerEnd: Int?
        while true {
            if let end = Self.findHeaderEnd(buffer) {
                headerEnd = end
                break
            }
            if buffer.count > Self.maxHeaderBytes { return .malformed("Request header too large.") }
            guard fill() else { return .closed }
        }
        guard let headerEnd else { return .closed }
        let headText = String(decoding: buffer[0..<headerEnd], as: UTF8.self)
        var lines = headText.components(separatedBy: "\r\n")
        let requestLine = lines.removeFirst().split(separator: " ")
        guard requestLine.count == 3 else { return .malformed("Malformed request line.") }
        var headers = [String: String]()
        for line in lines where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else { return .malformed("Malformed header line.") }
            let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            headers[name] = value
        }
        if headers["transfer-encoding"] != nil { return .malformed("Chunked request bodies are not supported.") }
        let length = Int(headers["content-length"] ?? "0") ?? -1
        guard length >= 0, length <= Self.maxBodyBytes else { return .malformed("Invalid Content-Length.") }
        let bodyStart = headerEnd + 4
        if length > 0, buffer.count < bodyStart + length, headers["expect"]?.lowercased() == "100-continue" {
            // libcurl waits up to a second for this before sending a large body.
            let interim = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)
            _ = interim.withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        }
        while buffer.count < bodyStart + length {
            guard fill() else { return .closed }
        }
        let body = Data(buffer[bodyStart..<(bodyStart + length)])
        buffer.removeFirst(bodyStart + length)

        let target = String(requestLine[1])
        let path: String
        let query: String
        if let mark = target.firstIndex(of: "?") {
            path = String(target[..<mark])
            query = String(target[target.index(after: mark)...])
        } else {
            path = target
            query = ""
        }
        let version = requestLine[2]
        let connectionHeader = headers["connection"]?.lowercased() ?? ""
        let keepAlive = version == "HTTP/1.0" ? connectionHeader == "keep-alive" : connectionHeader != "close"
        return .request(
            ParsedHTTPRequest(
                method: String(requestLine[0]),
                path: path,
                query: query,
                headers: headers,
                body: body,
                keepAlive: keepAlive
            )
        )
    }

    private mutating func fill() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { return false }
            buffer.append(contentsOf: chunk[0..<count])
            return true
        }
    }

    private static func findHeaderEnd(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for index in 0...(bytes.count - 4)
        where bytes[index] == 13 && bytes[index + 1] == 10 && bytes[index + 2] == 13 && bytes[index + 3] == 10 {
            return index
        }
        return nil
    }
}
