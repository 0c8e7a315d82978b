import BinanceAPI
import Foundation
import Simulator
import Testing
import TestSupport
import Tools

/// What the product may report for the order placement under a fault.
enum PlacementReport: Sendable {
    /// The order is reported placed, directly or after reconciling by client order id.
    case placed
    /// The order is reported as not placed: a definite rejection.
    case rejected(type: String)
    /// The product reports the outcome as unknown (or the connection as failed) and names no false fact.
    case unknown
}

/// One row of the fault matrix: a fault injected into the order flow, with what must be true afterwards.
struct FaultCase: Sendable, CustomTestStringConvertible {
    var name: String
    /// Orders the exchange must hold afterwards with the flow's client order id.
    var expectedOrders: Int
    var report: PlacementReport
    /// Faults of the exchange's own plan (clock skew).
    var plan: SimulatorFaultPlan = .none
    /// Replaces the exchange's reply to the first `POST /api/v3/order`.
    var onPlacement: (@Sendable (HTTPRequest, SimulatedExchange) async -> SimulatorReply)?
    /// Replaces the exchange's reply to the first `GET /api/v3/order`.
    var onFirstQuery: (@Sendable (HTTPRequest, SimulatedExchange) async -> SimulatorReply)?
    /// Replaces the exchange's reply to the first `DELETE /api/v3/order`.
    var onCancel: (@Sendable (HTTPRequest, SimulatedExchange) async -> SimulatorReply)?
    /// For 429 and 418: the server asked for a pause of this many seconds, so nothing may arrive in it.
    var pauseSeconds: Int?
    /// Extra environment of the binary, such as a shorter request timeout.
    var environment: [String: String] = [:]
    /// The order's state after the cancel, on the exchange and in the product's reports, when it was placed.
    var finalStatus = "CANCELED"

    var testDescription: String { name }
}

/// Faults that change the exchange's reply, built from its real answer or instead of it.
enum Faults {
    static func status(_ status: Int, body: String = "") -> @Sendable (HTTPRequest, SimulatedExchange) async
        -> SimulatorReply
    {
        { _, _ in .response(HTTPResponse(status: status, headers: ["content-type": "text/html"], body: Data(body.utf8))) }
    }

    static func binanceError(_ status: Int, code: Int, message: String, afterProcessing: Bool)
        -> @Sendable (HTTPRequest, SimulatedExchange) async -> SimulatorReply
    {
        { request, exchange in
            if afterProcessing { _ = await exchange.serve(request) }
            let body = #"{"code":\#(code),"msg":"\#(message)"}"#
            return .response(HTTPResponse(status: status, headers: ["content-type": "application/json"], body: Data(body.utf8)))
        }
    }

    /// Processes the request, then replaces the 200 body.
    static func processedBody(_ body: Data) -> @Sendable (HTTPRequest, SimulatedExchange) async -> SimulatorReply {
        { request, exchange in
            _ = await exchange.serve(request)
            return .response(HTTPResponse(status: 200, headers: ["content-type": "application/json"], body: body))
        }
    }

    static let dropBeforeProcessing: @Sendable (HTTPRequest, SimulatedExchange) async -> SimulatorReply = { _, _ in
        .dropConnection
    }

    static let dropAfterProcessing: @Sendable (HTTPRequest, SimulatedExchange) async -> SimulatorReply = {
        request, exchange in
        _ = await exchange.serve(request)
        return .dropConnection
    }

    static let truncateAfterProcessing: @Sendable (HTTPRequest, SimulatedExchange) async -> SimulatorReply = {
        request, exchange in
        let response = await exchange.handle(request)
        return .truncated(response, keepBytes: response.body.count / 2)
    }

    static func pause(status: Int, seconds: Int) -> @Sendable (HTTPRequest, SimulatedExchange) async -> SimulatorReply {
        { _, _ in
            let message = status == 418
                ? "Way too much request weight used; IP banned until 0. Please use WebSocket Streams."
                : "Too much request weight used; current limit is 6000 request weight per 1 MINUTE."
            let body = #"{"code":-1003,"msg":"\#(message)"}"#
            return .response(
                HTTPResponse(status: status, headers: ["retry-after": String(seconds)], body: Data(body.utf8))
            )
        }
    }

    /// The client's request timeout in the rows that hold a request (`BINANCE_REQUEST_TIMEOUT`, in ms), short so
    /// the rows stay fast, but long enough for a busy machine to answer the requests that are not held.
    static let shortTimeout = ["BINANCE_REQUEST_TIMEOUT": "2500"]
    /// A hold well past that timeout.
    static let holdMilliseconds = 6_000
    /// A late commit: after the client gave up (2.5 s), before its last lookup by client order id (at least
    /// 2.5 + 3.5 s, the sum of the reconciliation pauses).
    static let lateCommitMilliseconds = 3_000

    /// Builds a plan that holds the first `/api/v3/order` request of `method`.
    static func hold(_ kind: SimulatorFaultKind, method: String) -> SimulatorFaultPlan {
        SimulatorFaultPlan(rules: [SimulatorFault(kind, trigger: .requests([1]), pathPrefix: "/api/v3/order", method: method)])
    }

    /// A second copy of the cancel reaches the exchange first, as when the order is cancelled while this cancel
    /// is on its way. The original then gets -2011.
    static let cancelRace: @Sendable (HTTPRequest, SimulatedExchange) async -> SimulatorReply = { request, exchange in
        _ = await exchange.serve(request)
        return await exchange.serve(request)
    }
}

@Suite("Fault matrix through the binary")
struct FaultMatrixTests {
    static let symbol = "BTCUSDT"

    static let cases: [FaultCase] = [
        FaultCase(name: "connection closed before the exchange reads the order", expectedOrders: 0, report: .unknown,
                  onPlacement: Faults.dropBeforeProcessing),
        FaultCase(name: "connection dropped after the order is committed", expectedOrders: 1, report: .placed,
                  onPlacement: Faults.dropAfterProcessing),
        FaultCase(name: "HTTP 500 without processing", expectedOrders: 0, report: .unknown,
                  onPlacement: Faults.status(500)),
        FaultCase(name: "HTTP 502 without processing", expectedOrders: 0, report: .unknown,
                  onPlacement: Faults.status(502)),
        FaultCase(name: "HTTP 503 without processing", expectedOrders: 0, report: .unknown,
                  onPlacement: Faults.status(503)),
        FaultCase(name: "HTTP 504 without processing", expectedOrders: 0, report: .unknown,
                  onPlacement: Faults.status(504)),
        FaultCase(name: "HTTP 503 after the order is committed", expectedOrders: 1, report: .placed,
                  onPlacement: Faults.binanceError(503, code: -1001, message: "Unknown error, please check your request or try again later.", afterProcessing: true)),
        FaultCase(name: "-1006 after the order is committed", expectedOrders: 1, report: .placed,
                  onPlacement: Faults.binanceError(400, code: -1006, message: "An unexpected response was received from the message bus. Execution status unknown.", afterProcessing: true)),
        FaultCase(name: "-1006 without processing", expectedOrders: 0, report: .unknown,
                  onPlacement: Faults.binanceError(400, code: -1006, message: "An unexpected response was received from the message bus. Execution status unknown.", afterProcessing: false)),
        FaultCase(name: "-1007 after the order is committed", expectedOrders: 1, report: .placed,
                  onPlacement: Faults.binanceError(408, code: -1007, message: "Timeout waiting for response from backend server. Send status unknown; execution status unknown.", afterProcessing: true)),
        FaultCase(name: "-1007 without processing", expectedOrders: 0, report: .unknown,
                  onPlacement: Faults.binanceError(408, code: -1007, message: "Timeout waiting for response from backend server. Send status unknown; execution status unknown.", afterProcessing: false)),
        FaultCase(name: "status 200 with a truncated body", expectedOrders: 1, report: .placed,
                  onPlacement: Faults.truncateAfterProcessing),
        FaultCase(name: "status 200 with an HTML body", expectedOrders: 1, report: .placed,
                  onPlacement: Faults.processedBody(Data("<html><body>upstream error</body></html>".utf8))),
        FaultCase(name: "status 200 with braces around invalid JSON", expectedOrders: 1, report: .placed,
                  onPlacement: Faults.processedBody(Data(#"{"symbol":"BTCUSDT","orderId":}"#.utf8))),
        FaultCase(name: "status 200 with invalid UTF-8", expectedOrders: 1, report: .placed,
                  onPlacement: Faults.processedBody(Data([0x7B, 0x22, 0xFF, 0xFE, 0x22, 0x3A, 0x31, 0x7D]))),
        FaultCase(name: "429 with Retry-After", expectedOrders: 0, report: .rejected(type: "rate_limit_exceeded"),
                  onPlacement: Faults.pause(status: 429, seconds: 8), pauseSeconds: 8),
        FaultCase(name: "418 ban", expectedOrders: 0, report: .rejected(type: "rate_limit_exceeded"),
                  onPlacement: Faults.pause(status: 418, seconds: 120), pauseSeconds: 120),
        FaultCase(name: "exchange clock 2 s ahead", expectedOrders: 1, report: .placed,
                  plan: SimulatorFaultPlan(clockSkewMilliseconds: 2_000)),
        FaultCase(name: "exchange clock 2 s behind (-1021)", expectedOrders: 1, report: .placed,
                  plan: SimulatorFaultPlan(clockSkewMilliseconds: -2_000)),
        FaultCase(name: "exchange clock 10 min ahead (-1021)", expectedOrders: 1, report: .placed,
                  plan: SimulatorFaultPlan(clockSkewMilliseconds: 600_000)),
        FaultCase(name: "exchange clock 10 min behind (-1021)", expectedOrders: 1, report: .placed,
                  plan: SimulatorFaultPlan(clockSkewMilliseconds: -600_000)),
        FaultCase(name: "HTTP 503 on the first order query", expectedOrders: 1, report: .placed,
                  onFirstQuery: Faults.status(503)),
        FaultCase(name: "connection dropped on the cancel after it is committed", expectedOrders: 1, report: .placed,
                  onCancel: Faults.dropAfterProcessing),
        FaultCase(name: "cancel racing another cancel (-2011)", expectedOrders: 1, report: .placed,
                  onCancel: Faults.cancelRace),
        FaultCase(name: "cancel racing a fill (-2011)", expectedOrders: 1, report: .placed,
                  plan: SimulatorFaultPlan(rules: [
                      SimulatorFault(.fillBeforeCancel, trigger: .requests([1]), pathPrefix: "/api/v3/order", method: "DELETE"),
                  ]),
                  finalStatus: "FILLED"),
        FaultCase(name: "order held past the client timeout, never processed", expectedOrders: 0, report: .unknown,
                  plan: Faults.hold(.holdBeforeCommit(milliseconds: Faults.holdMilliseconds), method: "POST"),
                  environment: Faults.shortTimeout),
        FaultCase(name: "order held past the client timeout, then processed", expectedOrders: 1, report: .placed,
                  plan: Faults.hold(.lateCommit(milliseconds: Faults.lateCommitMilliseconds), method: "POST"),
                  environment: Faults.shortTimeout),
        FaultCase(name: "order committed, answer held past the client timeout", expectedOrders: 1, report: .placed,
                  plan: Faults.hold(.holdAfterCommit(milliseconds: Faults.holdMilliseconds), method: "POST"),
                  environment: Faults.shortTimeout),
        FaultCase(name: "first order query held past the client timeout", expectedOrders: 1, report: .placed,
                  plan: Faults.hold(.holdAfterCommit(milliseconds: Faults.holdMilliseconds), method: "GET"),
                  environment: Faults.shortTimeout),
        FaultCase(name: "cancel committed, answer held past the client timeout", expectedOrders: 1, report: .placed,
                  plan: Faults.hold(.holdAfterCommit(milliseconds: Faults.holdMilliseconds), method: "DELETE"),
                  environment: Faults.shortTimeout),
    ]

    @Test(arguments: cases)
    func orderFlowKeepsExchangeTruth(_ fault: FaultCase) async throws {
        let exchange = try ReliabilityHarness.canaryExchange(faults: fault.plan)
        let balancesBefore = (usdt: exchange.balance(of: "USDT"), btc: exchange.balance(of: "BTC"))
        let counter = RequestCounter()
        let server = try ReliabilityServer(exchange: exchange) { request, _, exchange in
            if request.path == "/api/v3/order" {
                let nth = counter.next(request.method.rawValue)
                switch (request.method, nth) {
                case (.post, 1): if let handler = fault.onPlacement { return await handler(request, exchange) }
                case (.get, 1): if let handler = fault.onFirstQuery { return await handler(request, exchange) }
                case (.delete, 1): if let handler = fault.onCancel { return await handler(request, exchange) }
                default: break
                }
            }
            return await exchange.serve(request)
        }
        defer { server.stop() }
        let home = try BinaryRunner.temporaryHome()
        let id = "rel-" + String(UUID().uuidString.prefix(8))

        let run = try await ReliabilityHarness.runScript(
            [
                "create_order symbol=\(Self.symbol) side=BUY order_type=LIMIT quantity=0.001 price=50000 client_order_id=\(id)",
                "get_order symbol=\(Self.symbol) client_order_id=\(id)",
                "cancel_order symbol=\(Self.symbol) client_order_id=\(id)",
                "get_order symbol=\(Self.symbol) client_order_id=\(id)",
            ],
            server: server,
            home: home,
            extra: fault.environment
        )
        #expect(!run.output.timedOut)
        #expect(run.results.count == 4, "stdout: \(run.output.stdout) stderr: \(run.output.stderr)")
        // A held request is logged when its hold ends; only then can the exchange's record be final.
        let settled = await ReliabilityHarness.waitUntil(timeout: .seconds(60)) {
            server.requests.contains { $0.method == "POST" && $0.path == "/api/v3/order" }
        }
        #expect(settled, "the placement never reached the server's log")

        // Exchange-side truth: the intended order exists exactly as often as the fault allows, never twice.
        #expect(exchange.orderCount(clientOrderId: id) == fault.expectedOrders)

        let placement = run.result(1)
        switch fault.report {
        case .placed:
            #expect(placement.isSuccess, "create_order: \(placement.serialized())")
            #expect(placement["data"]?["placed"]?["clientOrderId"]?.stringValue == id)
        case .rejected(let type):
            #expect(placement.errorType == type, "create_order: \(placement.serialized())")
        case .unknown:
            #expect(!placement.isSuccess, "create_order: \(placement.serialized())")
            #expect(["order_status_unknown", "network_error"].contains(placement.errorType ?? ""))
            #expect(placement.serialized().contains(id), "an unknown outcome names the client order id")
        }

        if let pause = fault.pauseSeconds {
            try await checkPauseObeyed(server: server, seconds: pause, home: home, run: run)
            return
        }

        // The product's later reports agree with the exchange.
        let query = run.result(2)
        let finalQuery = run.result(4)
        if fault.expectedOrders == 1 {
            #expect(query["data"]?["order"]?["clientOrderId"]?.stringValue == id, "get_order: \(query.serialized())")
            #expect(finalQuery["data"]?["order"]?["status"]?.stringValue == fault.finalStatus, "\(finalQuery.serialized())")
            #expect(exchange.openOrderCount == 0)
        } else {
            #expect(query.errorCode == -2013, "get_order: \(query.serialized())")
            #expect(finalQuery.errorCode == -2013)
        }
        let cancel = run.result(3)
        if fault.finalStatus != "CANCELED" {
            // The client follows the -2011 with one query and reports the state it finds.
            #expect(cancel.isSuccess, "cancel_order: \(cancel.serialized())")
            #expect(cancel["data"]?["canceled"]?.boolValue == false, "cancel_order: \(cancel.serialized())")
            let cancels = server.requests.filter { $0.method == "DELETE" && $0.path == "/api/v3/order" }
            #expect(cancels.count == 1, "the cancel is sent once")
        }
        if cancel.isSuccess {
            #expect(cancel["data"]?["status"]?.stringValue == fault.finalStatus, "cancel_order: \(cancel.serialized())")
        }
        // Balances moved once for a fill (0.001 BTC bought at 50000 USDT, 0.1 % maker commission in BTC) and not
        // at all otherwise.
        let usdt = exchange.balance(of: "USDT")
        let btc = exchange.balance(of: "BTC")
        let filled = fault.expectedOrders == 1 && fault.finalStatus == "FILLED"
        #expect(usdt.free + usdt.locked == balancesBefore.usdt.free + balancesBefore.usdt.locked - (filled ? 50 : 0))
        #expect(usdt.locked == balancesBefore.usdt.locked)
        #expect(btc.free == balancesBefore.btc.free + (filled ? Decimal(string: "0.000999")! : 0))
        // A signed request rejected for its timestamp is re-sent at most once per run.
        let skewRejections = server.requests.filter { String(decoding: $0.responseBody, as: UTF8.self).contains("-1021") }
        #expect(skewRejections.count <= 1)
    }

    /// After a 429 or 418, nothing reaches the exchange until the pause ends, from this process or another
    /// one sharing the same home (and so the same key).
    private func checkPauseObeyed(server: ReliabilityServer, seconds: Int, home: String, run: ScriptRun) async throws {
        let requests = server.requests
        let paused = try #require(requests.firstIndex { $0.status == 429 || $0.status == 418 })
        let until = requests[paused].time + Int64(seconds) * 1000
        let during = requests[(paused + 1)...].filter { $0.time < until }
        #expect(during.isEmpty, "requests during the pause: \(during.map { "\($0.method) \($0.path)" })")
        // The next command either refuses at once or waits for the pause to end and finds no order.
        let query = run.result(2)
        #expect(query.errorType == "rate_limit_exceeded" || query.errorCode == -2013, "\(query.serialized())")

        // A second process is started during the pause only for the two-minute ban; `LoadTests` checks a
        // second process against a 429 pause.
        guard seconds >= 60 else { return }
        let before = server.requests.count
        let second = try await ReliabilityHarness.runScript(
            ["get_order symbol=\(Self.symbol) client_order_id=any", "price \(Self.symbol)"],
            server: server,
            home: home
        )
        let afterSecond = server.requests.filter { $0.time < until }.count
        #expect(afterSecond == before, "a second process sent requests during the pause")
        // The second process either refuses at once or waits for the pause to end; it never sends into it.
        for line in 1...2 where !second.result(line).isSuccess {
            #expect(second.result(line).errorType == "rate_limit_exceeded", "\(second.output.stdout)")
        }
    }
}

/// Counts requests per method, for faults that fire on the n-th one.
final class RequestCounter: @unchecked Sendable {
    // The lock protects `counts`, which connection threads update.
    private let lock = NSLock()
    private var counts: [String: Int] = [:]

    func next(_ key: String) -> Int {
        lock.withLock {
            counts[key, default: 0] += 1
            return counts[key]!
        }
    }
}
