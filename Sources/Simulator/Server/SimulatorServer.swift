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
    /// Binding `host:port` failed with the C error number `errno`, such as EADDRINUSE for a port in use.
    case bindFailed(host: String, port: UInt16, errno: Int32)

    package var description: String {
        switch self {
        case .notLoopback(let host):
            return "Invalid simulator host '\(host)': expected a loopback address such as 127.0.0.1."
        case .socket(let call, let number):
            return "Simulator server failed: \(call) returned error \(number) (\(String(cString: strerror(number))))."
        case .bindFailed(let host, let port, let number):
            return Self.bindFailure(host: host, port: port, errno: number)
        }
    }

    /// Describes a failed bind with the address and the next step.
    private static func bindFailure(host: String, port: UInt16, errno number: Int32) -> String {
        let address = "\(host):\(port)"
        let pickFreePort = "or give no port, as in --serve-sim \(host), to let the system pick a free one"
        switch number {
        case EADDRINUSE:
            let next = port == UInt16.max ? port - 1 : port + 1
            return "The address \(address) is already in use by another process: stop that process, choose another "
                + "port such as --serve-sim \(host):\(next), \(pickFreePort)."
        case EACCES:
            return "Binding \(address) was not permitted, because ports below 1024 need extra privileges: choose a "
                + "port from 1024 to 65535, \(pickFreePort)."
        default:
            return "Binding \(address) failed with error \(number) (\(String(cString: strerror(number)))): choose "
                + "another address, \(pickFreePort)."
        }
    }
}

/// A small HTTP/1.1 server on 127.0.0.1 that passes each request to a `SimulatedExchange`, on a
/// `LoopbackHTTPServer`.
package final class SimulatorServer: @unchecked Sendable {
    package let exchange: SimulatedExchange
    private let server: LoopbackHTTPServer

    /// The bound port, read back from the socket (useful when started with port 0).
    package var port: UInt16 { server.port }
    package var host: String { server.host }
    /// Base URL of the server, such as `http://127.0.0.1:43123`.
    package var url: String { server.url }

    private init(exchange: SimulatedExchange, server: LoopbackHTTPServer) {
        self.exchange = exchange
        self.server = server
    }

    /// Binds `host:port` (port 0 picks a free port) and starts accepting connections on a background thread.
    /// - Throws: `SimulatorServerError.notLoopback` for any address outside 127.0.0.0/8, or `.socket` when a socket call fails.
    package static func start(
        exchange: SimulatedExchange,
        host: String = "127.0.0.1",
        port: UInt16 = 0,
        logger: Logger = .disabled
    ) throws -> SimulatorServer {
        let server = try LoopbackHTTPServer.start(host: host, port: port, logger: logger) { request, _ in
            reply(to: request, exchange: exchange)
        }
        return SimulatorServer(exchange: exchange, server: server)
    }

    /// Returns the exchange's reply to `request` as a server reply: 405 for an HTTP method Binance does not use.
    package static func reply(to request: LoopbackHTTPServer.Request, exchange: SimulatedExchange) -> LoopbackHTTPServer.Reply {
        guard let method = HTTPMethod(rawValue: request.method) else {
            let body = Data(#"{"code":-1000,"msg":"Unsupported HTTP method '\#(request.method)'."}"#.utf8)
            return .response(HTTPResponse(status: 405, body: body))
        }
        return LoopbackHTTPServer.Reply(exchange.serveBlocking(httpRequest(request, method: method)))
    }

    /// Builds the request the exchange takes. `baseURL` stays empty, because the exchange reads only the path,
    /// query, headers and body.
    package static func httpRequest(_ request: LoopbackHTTPServer.Request, method: HTTPMethod) -> HTTPRequest {
        HTTPRequest(
            method: method,
            baseURL: "",
            path: request.path,
            query: request.query,
            headers: request.headers,
            body: request.body
        )
    }

    /// Stops accepting connections and closes the open ones. Safe to call more than once.
    package func stop() {
        server.stop()
    }

    deinit { stop() }
}

extension LoopbackHTTPServer.Reply {
    /// Creates the server reply that carries out an exchange's reply.
    package init(_ reply: SimulatorReply) {
        switch reply {
        case .response(let response): self = .response(response)
        case .truncated(let response, let keepBytes): self = .truncated(response, keepBytes: keepBytes)
        case .dropConnection: self = .dropConnection
        }
    }
}

struct ParsedHTTPRequest {
    var requestLine: String
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
    private var chunk = [UInt8](repeating: 0, count: 16 * 1024)
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
        // The head is split and trimmed as bytes: Foundation's `components(separatedBy:)` and
        // `trimmingCharacters(in:)` took about a third of the simulator's time per request.
        let lines = Self.lines(buffer[0..<headerEnd])
        let firstLine = String(decoding: buffer[lines[0]], as: UTF8.self)
        // Method, target and version, split at runs of spaces as bytes.
        let requestLine = buffer[lines[0]].split(separator: UInt8(ascii: " "))
        guard requestLine.count == 3 else { return .malformed("Malformed request line.") }
        // The slices share the buffer's storage, so they are read before the buffer changes.
        let method = String(decoding: requestLine[0], as: UTF8.self)
        let target = requestLine[1]
        let path: String
        let query: String
        if let mark = target.firstIndex(of: UInt8(ascii: "?")) {
            path = String(decoding: target[..<mark], as: UTF8.self)
            query = String(decoding: target[(mark + 1)...], as: UTF8.self)
        } else {
            path = String(decoding: target, as: UTF8.self)
            query = ""
        }
        let isVersion10 = requestLine[2].elementsEqual("HTTP/1.0".utf8)
        var headers = [String: String]()
        for line in lines.dropFirst() where !line.isEmpty {
            guard let colon = buffer[line].firstIndex(of: UInt8(ascii: ":")) else {
                return .malformed("Malformed header line.")
            }
            let name = Self.trimmed(buffer[line.lowerBound..<colon])
            let value = Self.trimmed(buffer[(colon + 1)..<line.upperBound])
            headers[Self.lowercased(name)] = String(decoding: value, as: UTF8.self)
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

        let connectionHeader = headers["connection"]?.lowercased() ?? ""
        let keepAlive = isVersion10 ? connectionHeader == "keep-alive" : connectionHeader != "close"
        return .request(
            ParsedHTTPRequest(
                requestLine: firstLine,
                method: method,
                path: path,
                query: query,
                headers: headers,
                body: body,
                keepAlive: keepAlive
            )
        )
    }

    /// Returns the ranges of the lines of `head`, split at each CR LF.
    static func lines(_ head: ArraySlice<UInt8>) -> [Range<Int>] {
        var lines = [Range<Int>]()
        var start = head.startIndex
        var index = head.startIndex
        while index + 1 < head.endIndex {
            if head[index] == 13, head[index + 1] == 10 {
                lines.append(start..<index)
                index += 2
                start = index
            } else {
                index += 1
            }
        }
        lines.append(start..<head.endIndex)
        return lines
    }

    /// Drops spaces and tabs at both ends.
    static func trimmed(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var slice = bytes
        while let first = slice.first, first == 32 || first == 9 { slice.removeFirst() }
        while let last = slice.last, last == 32 || last == 9 { slice.removeLast() }
        return slice
    }

    /// Returns a header name in lower case. ASCII names (all real ones) are lowered byte by byte.
    static func lowercased(_ name: ArraySlice<UInt8>) -> String {
        if name.contains(where: { $0 >= 0x80 }) { return String(decoding: name, as: UTF8.self).lowercased() }
        return String(decoding: name.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }, as: UTF8.self)
    }

    private mutating func fill() -> Bool {
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
