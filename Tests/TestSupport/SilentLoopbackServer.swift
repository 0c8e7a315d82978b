import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A TCP server on 127.0.0.1 that accepts every connection, reads what arrives and never responds: an exchange
/// that hangs. It counts connections and request lines, so a test can check what a client sent before it gave up.
package final class SilentLoopbackServer: @unchecked Sendable {
    package let port: UInt16
    private let listener: Int32
    // The lock protects `connections`, `requestLines` and `isStopped`, which the accept and reader threads change.
    private let lock = NSLock()
    private var connections: [Int32] = []
    private var requestLines: [String] = []
    private var isStopped = false

    /// Binds a free port on 127.0.0.1 and starts accepting.
    package init() throws {
        (listener, port) = try Self.bindLoopbackPort(listens: true)
        Thread { [self] in acceptLoop() }.start()
    }

    deinit { stop() }

    /// The base URL of this server, such as `http://127.0.0.1:40123`.
    package var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Connections accepted so far.
    package var connectionCount: Int { lock.withLock { connections.count } }

    /// Request lines seen so far, such as `GET /api/v3/ticker/price?symbol=BTCUSDT HTTP/1.1`.
    package var requests: [String] { lock.withLock { requestLines } }

    /// Stops accepting and closes every connection. Safe to call more than once.
    package func stop() {
        let open: [Int32] = lock.withLock {
            guard !isStopped else { return [] }
            isStopped = true
            return connections + [listener]
        }
        for descriptor in open {
            shutdown(descriptor, Int32(SHUT_RDWR))
            close(descriptor)
        }
    }

    private func acceptLoop() {
        while true {
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { return }
            let isOpen: Bool = lock.withLock {
                guard !isStopped else { return false }
                connections.append(connection)
                return true
            }
            guard isOpen else {
                close(connection)
                return
            }
            Thread { [self] in readLoop(connection) }.start()
        }
    }

    /// Reads until the peer closes, noting each request line; never writes.
    private func readLoop(_ connection: Int32) {
        var buffer = [UInt8](repeating: 0, count: 4096)
        var pending = ""
        while true {
            let count = buffer.withUnsafeMutableBytes { read(connection, $0.baseAddress, $0.count) }
            guard count > 0 else { return }
            pending += String(decoding: buffer[0..<count], as: UTF8.self)
            while let end = pending.range(of: "\r\n") {
                let line = String(pending[..<end.lowerBound])
                pending.removeSubrange(..<end.upperBound)
                let methods = ["GET ", "POST ", "PUT ", "DELETE "]
                if methods.contains(where: line.hasPrefix) { lock.withLock { requestLines.append(line) } }
            }
        }
    }
}

extension SilentLoopbackServer {
    /// Binds a TCP socket to a free port on 127.0.0.1 and returns it with the port. With `listens` false, connections
    /// to the port are refused while the socket stays open.
    static func bindLoopbackPort(listens: Bool) throws -> (socket: Int32, port: UInt16) {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw SilentServerError.socketFailed(errno) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(socket, generic, length) == 0 && (!listens || listen(socket, 64) == 0)
                    && getsockname(socket, generic, &length) == 0
            }
        }
        guard bound else {
            close(socket)
            throw SilentServerError.socketFailed(errno)
        }
        return (socket, UInt16(bigEndian: address.sin_port))
    }
}

package enum SilentServerError: Error {
    case socketFailed(Int32)
}
