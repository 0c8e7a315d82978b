import BinanceAPI
import Foundation
import TestSupport
import Testing

/// Checks the time budget of one tool call: request timeouts capped at the time left, no request or retry once it is
/// used up, and a fresh budget for looking up an order whose outcome is unknown.
@Suite struct CallTimeBudgetTests {
    private static func client(baseURL: String, transport: any HTTPTransport) -> BinanceClient {
        BinanceClient(configuration: APITestSetup.configuration(baseURL: baseURL), transport: transport)
    }

    /// Against a server that accepts and never responds, the read's single request times out when the budget
    /// does, not after the 10 s request timeout, and no retry follows.
    @Test func readAgainstSilentServerStopsAtBudget() async throws {
        let server = try SilentLoopbackServer()
        defer { server.stop() }
        let client = Self.client(baseURL: server.baseURL, transport: CurlTransport())
        let budget = CallTimeBudget(limit: .milliseconds(600))

        let error = await CallTimeBudget.$current.withValue(budget) {
            await catchError { _ = try await client.send(.tickerPrice, ["symbol": "BTCUSDT"]) }
        }

        #expect(error == .outcomeUnknown("GET /api/v3/ticker/price: no complete response within 0.6 s."))
        #expect(budget.hasRunOut)
        #expect(server.requests.count == 1, "\(server.requests)")
    }

    /// A call that finds another call's rate-limit lookup in progress waits for it only as long as its own budget
    /// allows, so against a silent server it ends before the call that started the lookup.
    @Test func sharedLimitLookupWaitIsBounded() async throws {
        let server = try SilentLoopbackServer()
        defer { server.stop() }
        var configuration = APITestSetup.configuration(baseURL: server.baseURL)
        configuration.shouldFetchLimitsBeforeFirstRequest = true
        let client = BinanceClient(configuration: configuration, transport: CurlTransport())
        let finished = FinishOrder()

        let first = Task {
            await CallTimeBudget.$current.withValue(CallTimeBudget(limit: .seconds(4))) {
                _ = try? await client.send(.tickerPrice, ["symbol": "BTCUSDT"])
            }
            finished.record("first")
        }
        // The second call starts once the first one's lookup is on the wire.
        try await waitUntil { server.requests.contains { $0.contains("exchangeInfo") } }
        let budget = CallTimeBudget(limit: .milliseconds(300))
        let error = await CallTimeBudget.$current.withValue(budget) {
            await catchError { _ = try await client.send(.tickerPrice, ["symbol": "BTCUSDT"]) }
        }
        finished.record("second")
        await first.value

        #expect(finished.names == ["second", "first"])
        #expect(error == .notSent("GET /api/v3/ticker/price: the call's time limit ran out before this request was sent."))
        #expect(budget.hasRunOut)
    }

    @Test func usedUpBudgetSendsNothing() async {
        let transport = ScriptedTransport()
        let client = Self.client(baseURL: "http://127.0.0.1:9", transport: transport)
        let budget = CallTimeBudget(limit: .milliseconds(100))
        budget.spend(.milliseconds(100))

        let error = await CallTimeBudget.$current.withValue(budget) {
            await catchError { _ = try await client.send(.tickerPrice, ["symbol": "BTCUSDT"]) }
        }

        #expect(error == .notSent("GET /api/v3/ticker/price: the call's time limit ran out before this request was sent."))
        #expect(transport.requests.isEmpty)
    }

    @Test func retryTooLateForBudgetIsSkipped() async {
        let transport = ScriptedTransport([.fail(.outcomeUnknown("GET /api/v3/ticker/price: timed out."))])
        let client = Self.client(baseURL: "http://127.0.0.1:9", transport: transport)
        // The first retry waits 200 ms, more than the budget has.
        let budget = CallTimeBudget(limit: .milliseconds(150))

        let error = await CallTimeBudget.$current.withValue(budget) {
            await catchError { _ = try await client.send(.tickerPrice, ["symbol": "BTCUSDT"]) }
        }

        #expect(error == .outcomeUnknown("GET /api/v3/ticker/price: timed out."))
        #expect(transport.requests.count == 1)
        #expect(budget.hasRunOut)
    }

    @Test func requestTimeoutIsCappedAtTimeLeft() async throws {
        let transport = ScriptedTransport(fallback: { _ in .json(#"{"symbol":"BTCUSDT","price":"1.00"}"#) })
        let client = Self.client(baseURL: "http://127.0.0.1:9", transport: transport)
        let budget = CallTimeBudget(limit: .seconds(3))

        _ = try await CallTimeBudget.$current.withValue(budget) {
            try await client.send(.tickerPrice, ["symbol": "BTCUSDT"])
        }
        _ = try await client.send(.tickerPrice, ["symbol": "BTCUSDT"])

        let timeouts = transport.requests.map(\.timeout)
        #expect(timeouts.count == 2)
        #expect(timeouts[0] <= .seconds(3))
        #expect(timeouts[1] == .seconds(10))
        #expect(!budget.hasRunOut)
    }

    /// An order sent when the budget ran out is still looked up by its client order id, with a fresh budget,
    /// and found.
    @Test func orderIsLookedUpAfterBudgetRunsOut() async throws {
        let budget = CallTimeBudget(limit: .seconds(5))
        let transport = ScriptedTransport()
        transport.enqueue(
            .handle { _ in
                // The order request uses up the call's time and gets no usable response.
                budget.spend(.seconds(5))
                return HTTPResponse(status: 200, body: Data("{\"symbol\":".utf8))
            },
            .handle { request in
                .json(OrderReconciliationTests.orderJSON(clientOrderID: request.sentValue("origClientOrderId") ?? ""))
            }
        )
        let client = BinanceClient(
            configuration: APITestSetup.configuration(),
            transport: transport,
            clock: ClientTestClock().clientClock
        )

        let placement = try await CallTimeBudget.$current.withValue(budget) {
            try await client.placeOrder(OrderReconciliationTests.parameters)
        }

        let posts = transport.requests.filter { $0.method == .post }
        let queries = transport.requests.filter { $0.method == .get }
        #expect(posts.count == 1)
        #expect(queries.count == 1)
        #expect(budget.hasRunOut)
        guard case .placed(let order) = placement else {
            Issue.record("expected the lookup to find the order, got \(placement)")
            return
        }
        #expect(order.clientOrderId == posts.first?.sentValue("newClientOrderId"))
    }
}

/// The order in which tasks finished.
private final class FinishOrder: @unchecked Sendable {
    // The lock protects `recorded`, which concurrent tasks append to.
    private let lock = NSLock()
    private var recorded: [String] = []

    var names: [String] { lock.withLock { recorded } }

    func record(_ name: String) {
        lock.withLock { recorded.append(name) }
    }
}

/// Polls `condition` every 10 ms for up to 30 s.
private func waitUntil(_ condition: () -> Bool) async throws {
    let deadline = ContinuousClock.now + .seconds(30)
    while !condition() {
        guard ContinuousClock.now < deadline else { throw CancellationError() }
        try await Task.sleep(for: .milliseconds(10))
    }
}
