import BinanceAPI
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

@testable import Simulator

/// The loopback server splits and trims request heads as bytes. These tests pin the results to what the
/// earlier Foundation string handling gave.
@Suite struct HeaderParsingTests {
    @Test func headLinesSplitAtEachCRLF() {
        let head = Array("GET /a?b=1 HTTP/1.1\r\nHost: x\r\n\r\nX-A:\t v \t".utf8)
        let lines = ConnectionReader.lines(head[...]).map { String(decoding: head[$0], as: UTF8.self) }
        #expect(lines == ["GET /a?b=1 HTTP/1.1", "Host: x", "", "X-A:\t v \t"])
        #expect(ConnectionReader.lines([][...]).count == 1)
    }

    @Test(arguments: ["  a b ", "\tvalue\t", "", "   ", "x", "é ", " \u{00A0}ok"])
    func trimmingMatchesFoundationForSpacesAndTabs(_ text: String) {
        let bytes = Array(text.utf8)
        let trimmed = String(decoding: ConnectionReader.trimmed(bytes[...]), as: UTF8.self)
        #expect(trimmed == text.trimmingCharacters(in: CharacterSet(charactersIn: " \t")))
    }

    @Test(arguments: ["Content-Length", "X-MBX-APIKEY", "content-type", "Ünïcode-Name", "a1-B2"])
    func namesAreLoweredAsFoundationLowersThem(_ name: String) {
        #expect(ConnectionReader.lowercased(Array(name.utf8)[...]) == name.lowercased())
    }

    @Test(arguments: [
        ("content-type", "Content-Type"), ("x-mbx-used-weight-1m", "X-MBX-USED-WEIGHT-1M"),
        ("x-sapi-used-ip-weight-1m", "X-SAPI-USED-IP-WEIGHT-1M"), ("retry-after", "Retry-After"),
        ("-odd--name-", "-Odd--Name-"), ("", ""), ("ünï-code", "Ünï-Code"),
    ])
    func responseNamesAreCapitalizedPerWord(_ name: String, _ expected: String) {
        #expect(LoopbackHTTPServer.canonicalName(name) == expected)
    }

    @Test func headersReachTheHandlerLoweredAndTrimmed() async throws {
        let seen = SeenHeaders()
        let server = try LoopbackHTTPServer.start { request, _ in
            seen.set(request.headers)
            return .response(HTTPResponse(status: 200, body: Data("{}".utf8)))
        }
        defer { server.stop() }
        let answer = try RawExchange.send(
            "GET /x HTTP/1.1\r\nHOST:  example \r\nX-MBX-APIKEY:\tkey value\t\r\nConnection: close\r\n\r\n",
            port: server.port
        )
        #expect(answer.hasPrefix("HTTP/1.1 200 OK\r\n"))
        #expect(seen.get() == ["host": "example", "x-mbx-apikey": "key value", "connection": "close"])
    }
}

private final class SeenHeaders: @unchecked Sendable {
    // The lock protects `headers`.
    private let lock = NSLock()
    private var headers: [String: String] = [:]
    func set(_ value: [String: String]) { lock.withLock { headers = value } }
    func get() -> [String: String] { lock.withLock { headers } }
}

/// Sends raw bytes to a loopback port and reads until the server closes the connection.
private enum RawExchange {
    static func send(_ text: String, port: UInt16) throws -> String {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(descriptor >= 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        try #require(connected == 0)
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, 0) }
        var received = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count <= 0 { break }
            received += chunk[0..<count]
        }
        return String(decoding: received, as: UTF8.self)
    }
}
