@testable import BinanceAPI
import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Real HTTP over 127.0.0.1 through `CurlTransport`. libcurl must not go through a proxy, so the tests set no_proxy.
@Suite(.serialized) struct CurlTransportTests {
    init() {
        setenv("no_proxy", "127.0.0.1,localhost", 1)
        setenv("NO_PROXY", "127.0.0.1,localhost", 1)
    }

    static let secretQuery = "symbol=BTCUSDT&signature=deadbeef"

    func request(_ baseURL: String, method: HTTPMethod = .get, timeout: Duration = .seconds(5)) -> HTTPRequest {
        HTTPRequest(method: method, baseURL: baseURL, path: "/api/v3/order", query: Self.secretQuery, timeout: timeout)
    }

    func expectNoQuery(
        _ error: TransportError,
        label: String = "GET /api/v3/order",
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let text = "\(error)"
        #expect(!text.contains("signature"), sourceLocation: sourceLocation)
        #expect(!text.contains("deadbeef"), sourceLocation: sourceLocation)
        #expect(text.contains(label), sourceLocation: sourceLocation)
    }

    func sendExpectingFailure(
        _ request: HTTPRequest,
        on transport: CurlTransport = CurlTransport()
    ) async -> TransportError? {
        do {
            _ = try await transport.send(request)
            return nil
        } catch {
            return error
        }
    }

    // MARK: - Responses

    @Test func returnsStatusHeadersAndBodyOfAnyStatus() async throws {
        let server = try APILoopbackServer { _ in
            .http(status: 400, body: #"{"code":-1121,"msg":"Invalid symbol."}"#, headers: ["X-MBX-USED-WEIGHT-1M": "7"])
        }
        defer { server.stop() }

        let response = try await CurlTransport().send(request(server.baseURL))

        #expect(response.status == 400)
        #expect(response.header("x-mbx-used-weight-1m") == "7")
        #expect(response.header("Content-Type") == "application/json")
        #expect(String(decoding: response.body, as: UTF8.self) == #"{"code":-1121,"msg":"Invalid symbol."}"#)
        #expect(server.requests.first?.requestLine == "GET /api/v3/order?\(Self.secretQuery) HTTP/1.1")
    }

    @Test func repeatedHeaderFieldsAreJoined() async throws {
        let server = try APILoopbackServer { _ in
            let head = "HTTP/1.1 200 OK\r\nX-Note: first\r\nx-note:  second \r\nContent-Length: 2\r\n\r\n"
            return APILoopbackServer.Reply(bytes: Data((head + "{}").utf8))
        }
        defer { server.stop() }

        let response = try await CurlTransport().send(request(server.baseURL))

        #expect(response.header("X-Note") == "first, second")
        #expect(response.body == Data("{}".utf8))
    }

    @Test func interimResponseHeadersAreDropped() async throws {
        let server = try APILoopbackServer { _ in
            let interim = "HTTP/1.1 100 Continue\r\nX-Interim: yes\r\n\r\n"
            let final = "HTTP/1.1 201 Created\r\nX-Final: yes\r\nContent-Length: 2\r\n\r\n{}"
            return APILoopbackServer.Reply(bytes: Data((interim + final).utf8))
        }
        defer { server.stop() }

        let response = try await CurlTransport().send(request(server.baseURL))

        #expect(response.status == 201)
        #expect(response.header("x-interim") == nil)
        #expect(response.header("x-final") == "yes")
    }

    @Test func postSendsTheBodyAndHeaders() async throws {
        let server = try APILoopbackServer { _ in .http(body: "{}") }
        defer { server.stop() }
        var post = request(server.baseURL, method: .post)
        post.query = ""
        post.body = Data("symbol=BTCUSDT&signature=abc".utf8)
        post.headers = ["X-MBX-APIKEY": "key", "Content-Type": "application/x-www-form-urlencoded"]

        _ = try await CurlTransport().send(post)

        let received = try #require(server.requests.first)
        #expect(received.requestLine == "POST /api/v3/order HTTP/1.1")
        #expect(received.body == post.body)
        #expect(received.headers["x-mbx-apikey"] == "key")
        #expect(received.headers["content-type"] == "application/x-www-form-urlencoded")
        #expect(received.headers["content-length"] == String(post.body.count))
        #expect(received.headers["expect"] == nil)
        #expect(received.headers["user-agent"] == "binance-shell")
    }

    @Test(arguments: [HTTPMethod.put, .delete])
    func otherMethodsSendTheirNameQueryAndBody(_ method: HTTPMethod) async throws {
        let server = try APILoopbackServer { _ in .http(body: "{}") }
        defer { server.stop() }
        var other = request(server.baseURL, method: method)
        other.body = Data("listenKey=abc".utf8)

        _ = try await CurlTransport().send(other)

        let received = try #require(server.requests.first)
        #expect(received.requestLine == "\(method.rawValue) /api/v3/order?\(Self.secretQuery) HTTP/1.1")
        #expect(received.body == other.body)
    }

    @Test func deleteWithoutBodySendsNoBody() async throws {
        let server = try APILoopbackServer { _ in .http(body: "{}") }
        defer { server.stop() }

        let response = try await CurlTransport().send(request(server.baseURL, method: .delete))

        let received = try #require(server.requests.first)
        #expect(response.status == 200)
        #expect(received.requestLine == "DELETE /api/v3/order?\(Self.secretQuery) HTTP/1.1")
        #expect(received.body.isEmpty)
    }

    @Test func concurrentRequestsEachGetTheirOwnResponse() async throws {
        let server = try APILoopbackServer { received in
            .keepAlive(body: #"{"line":"\#(received.requestLine)"}"#)
        }
        defer { server.stop() }
        let transport = CurlTransport()

        let bodies = try await withThrowingTaskGroup(of: (Int, String).self) { group in
            for index in 0..<24 {
                group.addTask {
                    var read = HTTPRequest(method: .get, baseURL: server.baseURL, path: "/api/v3/ticker/price")
                    read.query = "index=\(index)"
                    let response = try await transport.send(read)
                    return (index, String(decoding: response.body, as: UTF8.self))
                }
            }
            var collected: [Int: String] = [:]
            for try await (index, body) in group { collected[index] = body }
            return collected
        }

        #expect(bodies.count == 24)
        for index in 0..<24 {
            #expect(bodies[index] == #"{"line":"GET /api/v3/ticker/price?index=\#(index) HTTP/1.1"}"#)
        }
    }

    /// Requests in flight together each return their response, and each can be cancelled while another waits.
    @Test func requestWhileAnotherWaitsIsAnsweredAndCancellable() async throws {
        let release = DispatchSemaphore(value: 0)
        let server = try APILoopbackServer { received in
            if received.requestLine.contains("slow=1") { _ = release.wait(timeout: .now() + 30) }
            return .keepAlive(body: #"{"line":"\#(received.requestLine)"}"#)
        }
        defer {
            release.signal()
            server.stop()
        }
        let transport = CurlTransport()
        var slow = request(server.baseURL, timeout: .seconds(20))
        slow.query = "slow=1"

        let first = Task { try await transport.send(slow) }
        try await waitUntil { server.requests.count == 1 }
        let quick = try await transport.send(request(server.baseURL))
        #expect(String(decoding: quick.body, as: UTF8.self).contains("signature=deadbeef"))

        let second = Task { try await transport.send(slow) }
        try await waitUntil { server.requests.count == 3 }
        second.cancel()
        let secondResult = await second.result
        first.cancel()
        let firstResult = await first.result

        for result in [firstResult, secondResult] {
            guard case .failure(let error) = result, error as? TransportError == .cancelled else {
                Issue.record("expected cancelled, got \(result)")
                continue
            }
        }
        // Both paths still send after the cancellations.
        let again = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<2 { group.addTask { try await transport.send(self.request(server.baseURL)).status } }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(again == [200, 200])
    }

    // MARK: - Failures

    @Test func refusedConnectionIsNotSent() async throws {
        let port = try APILoopbackServer.closedPort()

        let error = await sendExpectingFailure(request("http://127.0.0.1:\(port)"))

        guard case .notSent = error else {
            Issue.record("expected notSent, got \(String(describing: error))")
            return
        }
        expectNoQuery(error!)
    }

    @Test(arguments: ["127.0.0.1:1", "ftp://127.0.0.1:1", "file:///etc"])
    func baseURLOtherThanHTTPIsNotSent(_ baseURL: String) async throws {
        let error = await sendExpectingFailure(request(baseURL))

        guard case .notSent(let reason) = error else {
            Issue.record("expected notSent, got \(String(describing: error))")
            return
        }
        #expect(reason.contains("'\(baseURL)'"))
        expectNoQuery(error!)
    }

    @Test func missingLibcurlIsNotSent() async throws {
        let library = CurlLibrary.load(path: "libcurl-missing-for-test.so.4")
        let transport = CurlTransport(library: library, overallDeadline: .seconds(5), userAgent: "test")

        let error = await sendExpectingFailure(request("http://127.0.0.1:1"), on: transport)

        guard case .notSent(let reason) = error else {
            Issue.record("expected notSent, got \(String(describing: error))")
            return
        }
        #expect(reason.contains("'libcurl-missing-for-test.so.4' could not be loaded"))
        #expect(reason.contains("need the shared library libcurl.so.4"))
        #expect(reason.contains("'apt-get install libcurl4'"))
        #expect(!reason.contains("Scripts/install-packages"))
        #expect(!reason.lowercased().contains("check the network"))
        expectNoQuery(error!)
    }

    @Test func missingLibcurlMessageNamesFix() {
        let library = CurlLibrary.load(path: "libcurl-missing-for-test.so.4")

        guard case .failure(let error) = library else {
            Issue.record("expected the load to fail, got \(library)")
            return
        }
        #expect(error.message.hasPrefix(
            "libcurl could not be used: 'libcurl-missing-for-test.so.4' could not be loaded (libcurl-missing-for-test.so.4: "
        ))
        #expect(error.message.hasSuffix(
            "Requests to a network venue need the shared library libcurl.so.4: install it with 'apt-get install "
                + "libcurl4' on Debian or Ubuntu, or with your system's libcurl package. The simulated exchange, used "
                + "when no API key is set, works without it."
        ))
    }

    @Test func installedLibcurlHasNoProblem() {
        #expect(CurlTransport.libraryProblem() == nil)
    }

    @Test func slowServerIsAnUnknownOutcome() async throws {
        let server = try APILoopbackServer { _ in
            var reply = APILoopbackServer.Reply.http(body: "{}")
            reply.delay = 2
            return reply
        }
        defer { server.stop() }

        let error = await sendExpectingFailure(request(server.baseURL, timeout: .milliseconds(400)))

        guard case .outcomeUnknown(let reason) = error else {
            Issue.record("expected outcomeUnknown, got \(String(describing: error))")
            return
        }
        #expect(reason.contains("no complete response within 0.4 s"))
        expectNoQuery(error!)
    }

    @Test func overallDeadlineCapsTheRequestTimeout() async throws {
        let server = try APILoopbackServer { _ in
            var reply = APILoopbackServer.Reply.http(body: "{}")
            reply.delay = 2
            return reply
        }
        defer { server.stop() }
        let transport = CurlTransport(overallDeadline: .milliseconds(300))

        let error = await sendExpectingFailure(request(server.baseURL, timeout: .seconds(30)), on: transport)

        guard case .outcomeUnknown(let reason) = error else {
            Issue.record("expected outcomeUnknown, got \(String(describing: error))")
            return
        }
        #expect(reason.contains("no complete response within 0.3 s"))
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
        expectNoQuery(error!, label: "\(method.rawValue) /api/v3/order")
        #expect(server.requests.count == 1)
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

    /// libcurl reports a reply that is not HTTP with the same code as an unsupported URL scheme. The order was
    /// written before that reply came, so it must not be reported as not sent.
    @Test func replyThatIsNotHTTPIsAnUnknownOutcome() async throws {
        let server = try APILoopbackServer { _ in
            APILoopbackServer.Reply(bytes: Data("garbage that is not an HTTP status line\r\n\r\n".utf8))
        }
        defer { server.stop() }

        let error = await sendExpectingFailure(request(server.baseURL, method: .post))

        guard case .outcomeUnknown(let message) = error else {
            Issue.record("expected outcomeUnknown, got \(String(describing: error))")
            return
        }
        #expect(message.contains("not HTTP"))
        #expect(!message.contains("base URL"))
        #expect(server.requests.count == 1)
    }

    // MARK: - TLS

    @Test func httpsPeerWithUntrustedCertificateIsNotSent() async throws {
        let server = try LoopbackTLSServer()
        defer { server.stop() }
        let port = try await server.waitForPort()

        let error = await sendExpectingFailure(request("https://127.0.0.1:\(port)"))

        guard case .notSent(let reason) = error else {
            Issue.record("expected notSent, got \(String(describing: error))")
            return
        }
        #expect(reason.contains("the server's TLS certificate was not accepted"))
        expectNoQuery(error!)
    }

    @Test func httpsPeerWithTrustedCertificateAnswers() async throws {
        let server = try LoopbackTLSServer()
        defer { server.stop() }
        let port = try await server.waitForPort()
        let transport = CurlTransport(certificateAuthorityFile: server.certificatePath)

        let response = try await transport.send(request("https://127.0.0.1:\(port)"))

        #expect(response.status == 200)
        #expect(String(decoding: response.body, as: UTF8.self).contains("s_server"))
    }

    // MARK: - Connections

    @Test func readsReuseAKeptAliveConnection() async throws {
        let connections = ConnectionLog()
        let server = try APILoopbackServer { _ in
            connections.record()
            return .keepAlive(body: "{}")
        }
        defer { server.stop() }
        let transport = CurlTransport()

        _ = try await transport.send(request(server.baseURL))
        _ = try await transport.send(request(server.baseURL))

        let threads = connections.threads
        #expect(threads.count == 2)
        #expect(Set(threads).count == 1)
    }

    @Test(arguments: [HTTPMethod.post, .put, .delete])
    func stateChangeTakesAFreshConnection(_ method: HTTPMethod) async throws {
        let connections = ConnectionLog()
        let server = try APILoopbackServer { _ in
            connections.record()
            return .keepAlive(body: "{}")
        }
        defer { server.stop() }
        let transport = CurlTransport()

        _ = try await transport.send(request(server.baseURL))
        _ = try await transport.send(request(server.baseURL, method: method))
        _ = try await transport.send(request(server.baseURL))
        _ = try await transport.send(request(server.baseURL, method: method))

        let threads = connections.threads
        try #require(threads.count == 4)
        // Each state change arrived on a connection of its own while the reads kept theirs. A thread id may be
        // reused once its thread ends, so the two state changes may show the same one.
        #expect(threads[1] != threads[0])
        #expect(threads[2] == threads[0])
        #expect(threads[3] != threads[0])
    }

    /// libcurl resends a request by itself when a reused connection closes before any response byte. An order on
    /// such a connection would then reach the exchange twice, so the transport must report it unknown instead.
    @Test(arguments: [HTTPMethod.post, .delete])
    func stateChangeDroppedAfterAReadIsNotResent(_ method: HTTPMethod) async throws {
        let changes = RequestCounter()
        // The first state change is dropped unanswered, and a copy sent again would succeed.
        let server = try APILoopbackServer { received in
            if received.requestLine.hasPrefix("GET ") || changes.next() > 1 { return .keepAlive(body: "{}") }
            return APILoopbackServer.Reply(bytes: Data())
        }
        defer { server.stop() }
        let transport = CurlTransport()

        _ = try await transport.send(request(server.baseURL))
        _ = try await transport.send(request(server.baseURL))
        let error = await sendExpectingFailure(request(server.baseURL, method: method), on: transport)

        guard case .outcomeUnknown = error else {
            Issue.record("expected outcomeUnknown, got \(String(describing: error))")
            return
        }
        let sent = server.requests.filter { $0.requestLine.hasPrefix(method.rawValue + " ") }
        #expect(sent.count == 1)
    }

    /// The premise of the test above: a read whose reused connection closes before any response byte is sent
    /// again on a new connection, and succeeds.
    @Test func readDroppedOnAReusedConnectionIsSentAgain() async throws {
        let counter = RequestCounter()
        let server = try APILoopbackServer { _ in
            counter.next() == 2 ? APILoopbackServer.Reply(bytes: Data()) : .keepAlive(body: "{}")
        }
        defer { server.stop() }
        let transport = CurlTransport()

        _ = try await transport.send(request(server.baseURL))
        let response = try await transport.send(request(server.baseURL))

        #expect(response.status == 200)
        #expect(server.requests.count == 3)
    }

    // MARK: - Cancellation

    @Test func cancellingAnInFlightRequestReturnsCancelled() async throws {
        let release = DispatchSemaphore(value: 0)
        let server = try APILoopbackServer { _ in
            _ = release.wait(timeout: .now() + 30)
            return .http(body: "{}")
        }
        defer {
            release.signal()
            server.stop()
        }
        let transport = CurlTransport()
        let slow = request(server.baseURL, timeout: .seconds(20))

        let task = Task { try await transport.send(slow) }
        try await waitUntil { server.requests.count == 1 }
        task.cancel()
        let result = await task.result

        guard case .failure(let error) = result, error as? TransportError == .cancelled else {
            Issue.record("expected cancelled, got \(result)")
            return
        }
    }

    @Test func requestCancelledBeforeSendingIsNeverSent() async throws {
        let server = try APILoopbackServer { _ in .http(body: "{}") }
        defer { server.stop() }
        let transport = CurlTransport()
        let read = request(server.baseURL)

        let task = Task {
            while !Task.isCancelled { await Task.yield() }
            return try await transport.send(read)
        }
        task.cancel()
        let result = await task.result
        // A later request on the same transport still works, so the server has had time to log anything sent.
        _ = try await transport.send(read)

        guard case .failure(let error) = result, error as? TransportError == .cancelled else {
            Issue.record("expected cancelled, got \(result)")
            return
        }
        #expect(server.requests.count == 1)
    }

    // MARK: - Client

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
            transport: CurlTransport()
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

    /// Polls `condition` until it holds, failing after 10 s.
    func waitUntil(_ condition: () -> Bool, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while !condition() {
            guard ContinuousClock.now < deadline else {
                Issue.record("condition not met within 10 s", sourceLocation: sourceLocation)
                throw CancellationError()
            }
            try await Task.sleep(for: .milliseconds(5))
        }
    }
}

extension APILoopbackServer.Reply {
    /// Builds a complete response that leaves the connection open for the next request.
    fileprivate static func keepAlive(body: String) -> Self {
        let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n"
        return Self(bytes: Data((head + body).utf8), closesConnection: false)
    }
}

/// The server thread that handled each request, in order. `APILoopbackServer` serves each connection on a thread
/// of its own, so requests with the same thread came over the same connection.
private final class ConnectionLog: @unchecked Sendable {
    // The lock protects `entries`.
    private let lock = NSLock()
    private var entries: [pthread_t] = []

    func record() {
        let thread = pthread_self()
        lock.withLock { entries.append(thread) }
    }

    var threads: [pthread_t] { lock.withLock { entries } }
}

/// Numbers requests from 1 across the connection threads of a server.
private final class RequestCounter: @unchecked Sendable {
    // The lock protects `count`.
    private let lock = NSLock()
    private var count = 0

    func next() -> Int {
        lock.withLock {
            count += 1
            return count
        }
    }
}

/// `openssl s_server` on 127.0.0.1 with a fresh self-signed certificate for that address. It sends its status
/// page (`-www`) to one connection, then exits.
private final class LoopbackTLSServer: @unchecked Sendable {
    let certificatePath: String
    private let directory: URL
    private let outputPath: String
    private let process = Process()

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        certificatePath = directory.appendingPathComponent("certificate.pem").path
        let keyPath = directory.appendingPathComponent("key.pem").path
        outputPath = directory.appendingPathComponent("server.out").path

        let generate = Process()
        generate.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        generate.arguments = [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", keyPath, "-out", certificatePath, "-subj", "/CN=127.0.0.1",
            "-addext", "subjectAltName=IP:127.0.0.1", "-days", "1",
        ]
        generate.standardOutput = FileHandle.nullDevice
        generate.standardError = FileHandle.nullDevice
        try generate.run()
        generate.waitUntilExit()
        guard generate.terminationStatus == 0 else {
            throw TLSServerError("openssl req exited with status \(generate.terminationStatus)")
        }

        guard FileManager.default.createFile(atPath: outputPath, contents: nil) else {
            throw TLSServerError("could not create '\(outputPath)'")
        }
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = [
            "s_server", "-accept", "127.0.0.1:0", "-cert", certificatePath, "-key", keyPath, "-www", "-naccept", "1",
        ]
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    /// Waits up to 10 s for the `ACCEPT 127.0.0.1:PORT` line s_server prints once it listens.
    func waitForPort() async throws -> UInt16 {
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
            if let line = output.split(separator: "\n").first(where: { $0.hasPrefix("ACCEPT 127.0.0.1:") }),
                let port = UInt16(line.dropFirst("ACCEPT 127.0.0.1:".count))
            {
                return port
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw TLSServerError("openssl s_server printed no ACCEPT line within 10 s")
    }

    func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: directory)
    }
}

private struct TLSServerError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) { self.description = description }
}
