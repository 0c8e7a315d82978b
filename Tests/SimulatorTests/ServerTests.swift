import BinanceAPI
import Foundation
import Testing
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
}
