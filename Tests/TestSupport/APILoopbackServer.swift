import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A minimal HTTP/1.1 server on 127.0.0.1 that responds with scripted raw bytes, for testing how
/// `URLSessionTransport` classifies slow, cut-short and refused exchanges. One thread per connection.
///
/// `@unchecked Sendable`: the listening socket is immutable after `init`, and `received` is guarded by `lock`.
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
        package var headers: [String: String]
        package var body: Data
    }

    package let port: UInt16
    private let listener: Int32
    private let handler: @Sendable (Received) -> Reply
    private let lock = NSLock()
    private var receivedRequests: [Received] = []
    private var isStopped = false

    package init(handler: @escaping @Sendable (Received) -> Reply) throws {
        let socketDescriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketDescriptor >= 0 else { throw POSIXError(.EIO) }
        var reuse: Int32 = 1
        setsockopt(socketDescriptor, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(socketDescriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(socketDescriptor, 16) == 0 else {
            close(socketDescriptor)
            throw POSIXError(.EADDRINUSE)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socketDescriptor, $0, &length) }
        }
        port = UInt16(bigEndian: address.sin_port)
        listener = socketDescriptor
        self.handler = handler
        let listenerCopy = socketDescriptor
        Thread { [weak self] in self?.acceptLoop(listenerCopy) }.start()
    }

    deinit { stop() }

    /// The base URL of this server, such as `http://127.0.0.1:40123`.
    package var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Requests received so far.
    package var requests: [Received] { lock.withLock { receivedRequests } }

    /// Closes the listening socket once; connections in progress finish on their own.
    package func stop() {
        // Closing twice could close an unrelated descriptor that reused the number.
        let shouldClose = lock.withLock {
            defer { isStopped = true }
            return !isStopped
        }
        guard shouldClose else { return }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    /// Returns a port on 127.0.0.1 that nothing listens on (bound, then closed at once).
    package static func closedPort() throws -> UInt16 {
        let server = try APILoopbackServer { _ in Reply(bytes: Data()) }
        let port = server.port
        server.stop()
        return port
    }

    private func acceptLoop(_ listener: Int32) {
        while true {
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { return }
            Thread { [weak self] in self?.serve(connection) }.start()
        }
    }

    private func serve(_ connection: Int32) {
        defer { close(connection) }
        var buffer = Data()
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            guard let headerEnd = buffer.range(of: Data("\r\n\r\n".utf8)) else {
                let count = read(connection, &chunk, chunk.count)
                guard count > 0 else { return }
                buffer.append(contentsOf: chunk.prefix(count))
                continue
            }
            let head = String(decoding: buffer[..<headerEnd.lowerBound], as: UTF8.self)
            var lines = head.components(separatedBy: "\r\n")
            let requestLine = lines.removeFirst()
            var headers: [String: String] = [:]
            for line in lines {
                guard let colon = line.firstIndex(of: ":") else { continue }
                headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(
                    in: .whitespaces
                )
            }
            let bodyLength = Int(headers["content-length"] ?? "0") ?? 0
            while buffer.count - headerEnd.upperBound < bodyLength {
                let count = read(connection, &chunk, chunk.count)
                guard count > 0 else { return }
                buffer.append(contentsOf: chunk.prefix(count))
            }
            let bodyStart = headerEnd.upperBound
            let body = buffer.subdata(in: bodyStart..<(bodyStart + bodyLength))
            buffer.removeSubrange(..<(bodyStart + bodyLength))

            let received = Received(requestLine: requestLine, headers: headers, body: body)
            lock.withLock { receivedRequests.append(received) }
            let reply = handler(received)
            if reply.delay > 0 { Thread.sleep(forTimeInterval: reply.delay) }
            // MSG_NOSIGNAL: a client that already hung up must not raise SIGPIPE in the test process.
            let written = reply.bytes.withUnsafeBytes {
                Glibc.send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            guard written >= 0, !reply.closesConnection else { return }
        }
    }
}
