import BinanceAPI
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif
import TestSupport
@testable import Simulator

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

@Suite struct ServerTests {
    init() { setenv("no_proxy", "127.0.0.1,localhost", 1) }

    private func fetch(_ request: URLRequest) async throws -> (Int, Data, HTTPURLResponse) {
        let session = URLSession(configuration: .ephemeral)
        let (data, response) = try await session.data(for: request)
        let http = try #require(response as? HTTPURLResponse)
        return (http.statusCode, data, http)
    }

    @Test func serverBindsFreeLoopbackPort() async throws {
        let client = try SimTestClient.make()
        let server = try SimulatorServer.start(exchange: client.exchange)
        defer { server.stop() }
        #expect(server.port > 0)
        #expect(server.url == "http://127.0.0.1:\(server.port)")
        let (status, data, response) = try await fetch(URLRequest(url: URL(string: server.url + "/api/v3/time")!))
        #expect(status == 200)
        #expect(String(decoding: data, as: UTF8.self) == #"{"serverTime":\#(SimTestClient.startTime)}"#)
        #expect(response.value(forHTTPHeaderField: "x-mbx-used-weight-1m") == "1")
    }

    @Test func serverRejectsNonLoopbackHost() throws {
        let client = try SimTestClient.make()
        #expect(throws: SimulatorServerError.notLoopback("0.0.0.0")) {
            try SimulatorServer.start(exchange: client.exchange, host: "0.0.0.0")
        }
        #expect(throws: SimulatorServerError.notLoopback("192.168.1.10")) {
            try SimulatorServer.start(exchange: client.exchange, host: "192.168.1.10")
        }
        #expect(throws: SimulatorServerError.notLoopback("localhost")) {
            try SimulatorServer.start(exchange: client.exchange, host: "localhost")
        }
    }

    @Test func busyPortNamesAddressAndFix() throws {
        let client = try SimTestClient.make()
        let first = try SimulatorServer.start(exchange: client.exchange)
        defer { first.stop() }

        #expect(throws: SimulatorServerError.bindFailed(host: "127.0.0.1", port: first.port, errno: EADDRINUSE)) {
            try SimulatorServer.start(exchange: client.exchange, port: first.port)
        }
        let error = SimulatorServerError.bindFailed(host: "127.0.0.1", port: 18555, errno: EADDRINUSE)
        #expect(
            error.description
                == "The address 127.0.0.1:18555 is already in use by another process: stop that process, choose another "
                + "port such as --serve-sim 127.0.0.1:18556, or give no port, as in --serve-sim 127.0.0.1, to let the "
                + "system pick a free one."
        )
    }

    @Test func privilegedPortFailureSaysWhy() {
        let error = SimulatorServerError.bindFailed(host: "127.0.0.1", port: 80, errno: EACCES)

        #expect(
            error.description
                == "Binding 127.0.0.1:80 was not permitted, because ports below 1024 need extra privileges: choose a "
                + "port from 1024 to 65535, or give no port, as in --serve-sim 127.0.0.1, to let the system pick a free "
                + "one."
        )
    }

    @Test func serverPassesRawSignedBodyToExchange() async throws {
        let client = try SimTestClient.make()
        let server = try SimulatorServer.start(exchange: client.exchange)
        defer { server.stop() }
        let text = "symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.001&timestamp=\(SimTestClient.startTime)"
        let body = text + "&signature=" + client.sign(text)
        var request = URLRequest(url: URL(string: server.url + "/api/v3/order")!)
        request.httpMethod = "POST"
        request.httpBody = Data(body.utf8)
        request.setValue(client.apiKey, forHTTPHeaderField: "X-MBX-APIKEY")
        request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
        let (status, data, response) = try await fetch(request)
        #expect(status == 200, "\(String(decoding: data, as: UTF8.self))")
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["status"] as? String == "FILLED")
        #expect(response.value(forHTTPHeaderField: "X-MBX-ORDER-COUNT-10S") == "1")
    }

    @Test func serverKeepsConnectionAlive() async throws {
        let client = try SimTestClient.make()
        let server = try SimulatorServer.start(exchange: client.exchange)
        defer { server.stop() }
        let session = URLSession(configuration: .ephemeral)
        for _ in 0..<20 {
            let (data, response) = try await session.data(from: URL(string: server.url + "/api/v3/ping")!)
            #expect((response as? HTTPURLResponse)?.statusCode == 200)
            #expect(String(decoding: data, as: UTF8.self) == "{}")
        }
    }

    @Test func droppedConnectionReachesClientAsError() async throws {
        let plan = SimulatorFaultPlan(rules: [SimulatorFault(.dropAfterCommit, pathPrefix: "/api/v3/order")])
        let client = try SimTestClient.make(faults: plan)
        let server = try SimulatorServer.start(exchange: client.exchange)
        defer { server.stop() }
        let text = "symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.001&newClientOrderId=drop1&timestamp=\(SimTestClient.startTime)"
        var request = URLRequest(url: URL(string: server.url + "/api/v3/order?" + text + "&signature=" + client.sign(text))!)
        request.httpMethod = "POST"
        request.setValue(client.apiKey, forHTTPHeaderField: "X-MBX-APIKEY")
        await #expect(throws: (any Error).self) { try await fetch(request) }
        #expect(client.exchange.orderCount(clientOrderId: "drop1") == 1)
    }

    /// Sends `text` on a fresh connection and returns everything the server writes before closing. With
    /// `thenSend`, the first chunk the server writes is read before that second text is sent.
    private func exchangeRaw(_ text: String, thenSend second: String? = nil, port: UInt16) throws -> String {
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
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, 0) }
        var received = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 4096)
        if let second {
            let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count > 0 { received += chunk[0..<count] }
            let secondBytes = Array(second.utf8)
            _ = secondBytes.withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, 0) }
        }
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count <= 0 { break }
            received += chunk[0..<count]
        }
        return String(decoding: received, as: UTF8.self)
    }

    @Test func malformedRequestGets400AndClose() async throws {
        let client = try SimTestClient.make()
        let server = try SimulatorServer.start(exchange: client.exchange)
        defer { server.stop() }
        let answer = try exchangeRaw("NONSENSE\r\n\r\n", port: server.port)
        #expect(answer.hasPrefix("HTTP/1.1 400 Bad Request\r\n"))
        #expect(answer.contains("Connection: close\r\n"))
    }

    @Test func unsupportedMethodGets405() async throws {
        let client = try SimTestClient.make()
        let server = try SimulatorServer.start(exchange: client.exchange)
        defer { server.stop() }
        let answer = try exchangeRaw("PATCH /api/v3/ping HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", port: server.port)
        #expect(answer.hasPrefix("HTTP/1.1 405 Method Not Allowed\r\n"))
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() async throws {
        let client = try SimTestClient.make()
        let server = try SimulatorServer.start(exchange: client.exchange)
        defer { server.stop() }
        let requests = "GET /api/v3/ping HTTP/1.1\r\nHost: x\r\n\r\n"
            + "GET /api/v3/time HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        let answer = try exchangeRaw(requests, port: server.port)
        let ping = try #require(answer.range(of: "\r\n\r\n{}"))
        let time = try #require(answer.range(of: "{\"serverTime\":"))
        #expect(ping.lowerBound < time.lowerBound)
        #expect(answer.components(separatedBy: "HTTP/1.1 200 OK").count == 3)
    }

    @Test func expectContinueGetsInterimResponse() async throws {
        let client = try SimTestClient.make()
        let server = try SimulatorServer.start(exchange: client.exchange)
        defer { server.stop() }
        let text = "symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.001&timestamp=\(SimTestClient.startTime)"
        let body = text + "&signature=" + client.sign(text)
        let head = "POST /api/v3/order/test HTTP/1.1\r\nHost: x\r\nX-MBX-APIKEY: \(client.apiKey)\r\n"
            + "Expect: 100-continue\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n"
        let answer = try exchangeRaw(head, thenSend: body, port: server.port)
        #expect(answer.hasPrefix("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n"), "\(answer)")
        #expect(answer.hasSuffix("\r\n\r\n{}"))
    }
}
