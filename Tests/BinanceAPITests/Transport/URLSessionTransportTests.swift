import BinanceAPI
import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Real HTTP over 127.0.0.1 through `URLSessionTransport`; libcurl must not go through a proxy.
@Suite(.serialized) struct URLSessionTransportTests {
    init() {
        setenv("no_proxy", "127.0.0.1,localhost", 1)
        setenv("NO_PROXY", "127.0.0.1,localhost", 1)
    }

    static let secretQuery = "symbol=BTCUSDT&signature=deadbeef"

    func request(_ baseURL: String, method: HTTPMethod = .get, timeout: Duration = .seconds(5)) -> HTTPRequest {
        HTTPRequest(method: method, baseURL: baseURL, path: "/api/v3/order", query: Self.secretQuery, timeout: timeout)
    }

    func expectNoQuery(_ error: TransportError, sourceLocation: SourceLocation = #_sourceLocation) {
        let text = "\(error)"
        #expect(!text.contains("signature"), sourceLocation: sourceLocation)
        #expect(!text.contains("deadbeef"), sourceLocation: sourceLocation)
        #expect(text.contains("GET /api/v3/order"), sourceLocation: sourceLocation)
    }

    func sendExpectingFailure(_ request: HTTPRequest) async -> TransportError? {
        do {
            _ = try await URLSessionTransport().send(request)
            return nil
        } catch {
            return error
        }
    }

    @Test func returnsStatusHeadersAndBodyOfAnyStatus() async throws {
        let server = try APILoopbackServer { _ in
            .http(status: 400, body: #"{"code":-1121,"msg":"Invalid symbol."}"#, headers: ["X-MBX-USED-WEIGHT-1M": "7"])
        }
        defer { server.stop() }

        let response = try await URLSessionTransport().send(request(server.baseURL))

        #expect(response.status == 400)
        #expect(response.header("x-mbx-used-weight-1m") == "7")
        #expect(String(decoding: response.body, as: UTF8.self) == #"{"code":-1121,"msg":"Invalid symbol."}"#)
        #expect(server.requests.first?.requestLine == "GET /api/v3/order?\(Self.secretQuery) HTTP/1.1")
    }

    @Test func postSendsTheBodyAndHeaders() async throws {
        let server = try APILoopbackServer { _ in .http(body: "{}") }
        defer { server.stop() }
        var post = request(server.baseURL, method: .post)
        post.query = ""
        post.body = Data("symbol=BTCUSDT&signature=abc".utf8)
        post.headers = ["X-MBX-APIKEY": "key", "Content-Type": "application/x-www-form-urlencoded"]

        _ = try await URLSessionTransport().send(post)

        let received = try #require(server.requests.first)
        #expect(received.requestLine == "POST /api/v3/order HTTP/1.1")
        #expect(received.body == post.body)
        #expect(received.headers["x-mbx-apikey"] == "key")
        #expect(received.headers["content-type"] == "application/x-www-form-urlencoded")
    }

    @Test func refusedConnectionIsNotSent() async throws {
        let port = try APILoopbackServer.closedPort()

        let error = await sendExpectingFailure(request("http://127.0.0.1:\(port)"))

        guard case .notSent = error else {
            Issue.record("expected notSent, got \(String(describing: error))")
            return
        }
        expectNoQuery(error!)
    }

    @Test func slowServerIsAnUnknownOutcome() async throws {
        let server = try APILoopbackServer { _ in
            var reply = APILoopbackServer.Reply.http(body: "{}")
            reply.delay = 2
            return reply
        }
        defer { server.stop() }

        let error = await sendExpectingFailure(request(server.baseURL, timeout: .milliseconds(400)))

        guard case .outcomeUnknown = error else {
            Issue.record("expected outcomeUnknown, got \(String(describing: error))")
            return
        }
        expectNoQuery(error!)
    }

    @Test(arguments: [HTTPMethod.post, .delete])
    func slowServerTimesOutStateChangingRequest(_ method: HTTPMethod) async throws {
        let server = try APILoopbackServer { _ in
            var reply = APILoopbackServer.Reply.http(body: "{}")
            reply.delay = 3
            return reply
        }
        defer { server.stop() }
        var slow = request(server.baseURL, method: method, timeout: .milliseconds(400))
        slow.body = Data("quantity=1".utf8)

        let error = await sendExpectingFailure(slow)

        guard case .outcomeUnknown = error else {
            Issue.record("expected outcomeUnknown, got \(String(describing: error))")
            return
        }
    }

    @Test func bodyCutShortIsAnUnknownOutcome() async throws {
        let server = try APILoopbackServer { _ in
            let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n"
            return APILoopbackServer.Reply(bytes: Data((head + #"{"symbol":"BT"#).utf8))
        }
        defer { server.stop() }

        let error = await sendExpectingFailure(request(server.baseURL))

        guard case .outcomeUnknown = error else {
            Issue.record("expected outcomeUnknown, got \(String(describing: error))")
            return
        }
        expectNoQuery(error!)
    }

    @Test func connectionClosedWithoutResponseIsAnUnknownOutcome() async throws {
        let server = try APILoopbackServer { _ in APILoopbackServer.Reply(bytes: Data()) }
        defer { server.stop() }

        let error = await sendExpectingFailure(request(server.baseURL))

        guard case .outcomeUnknown = error else {
            Issue.record("expected outcomeUnknown, got \(String(describing: error))")
            return
        }
        expectNoQuery(error!)
    }

    @Test func clientSignsRequestsAServerVerifiesOverHTTP() async throws {
        let verifier = SignatureVerifier.hmac(secret: Secret(APITestSetup.secret))
        let server = try APILoopbackServer { received in
            let target = received.requestLine.split(separator: " ")[1]
            let query = target.split(separator: "?", maxSplits: 1).dropFirst().first.map(String.init) ?? ""
            var request = HTTPRequest(method: .get, baseURL: "", path: "", query: query, body: received.body)
            request.headers = received.headers
            guard let signature = request.sentValue("signature"),
                verifier.verify(payload: request.signedPayload, signature: signature),
                received.headers["x-mbx-apikey"] == APITestSetup.apiKey
            else {
                return .http(status: 400, body: #"{"code":-1022,"msg":"Signature for this request is not valid."}"#)
            }
            return .http(body: #"{"symbol":"BTCUSDT","orderId":3,"clientOrderId":"a b","status":"NEW"}"#)
        }
        defer { server.stop() }
        let client = BinanceClient(
            configuration: APITestSetup.configuration(baseURL: server.baseURL),
            transport: URLSessionTransport()
        )

        let placement = try await client.placeOrder([
            "symbol": "BTCUSDT", "side": "BUY", "type": "MARKET", "quantity": "0.5",
        ])
        let order = try await client.send(
            .queryOrder,
            ["symbol": "BTCUSDT", "origClientOrderId": "a b"],
            as: Order.self
        )

        guard case .placed(let placed) = placement else {
            Issue.record("expected placed, got \(placement)")
            return
        }
        #expect(placed.orderId == 3)
        #expect(order.orderId == 3)
        #expect(server.requests.count == 2)
    }
}
