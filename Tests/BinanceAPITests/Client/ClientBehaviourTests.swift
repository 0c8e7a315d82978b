import BinanceAPI
import Foundation
import TestSupport
import Testing

/// Shared setup: a client over a scripted transport with a manual clock.
struct ClientHarness {
    let transport: ScriptedTransport
    let clock: ClientTestClock
    let client: BinanceClient

    init(_ steps: [ScriptedTransport.Step] = [], sharedLimitStatePath: String? = nil) {
        transport = ScriptedTransport(steps)
        clock = ClientTestClock()
        client = BinanceClient(
            configuration: APITestSetup.configuration(sharedLimitStatePath: sharedLimitStatePath),
            transport: transport,
            clock: clock.clientClock
        )
    }
}

/// Asserts that no error text carries the API key, a signature or a query string.
func expectNoSecrets(_ error: BinanceError, sourceLocation: SourceLocation = #_sourceLocation) {
    let text = "\(error)"
    #expect(!text.contains(APITestSetup.apiKey), sourceLocation: sourceLocation)
    #expect(!text.contains(APITestSetup.secret), sourceLocation: sourceLocation)
    #expect(!text.contains("signature="), sourceLocation: sourceLocation)
    #expect(!text.contains("timestamp="), sourceLocation: sourceLocation)
    #expect(!text.contains("?"), sourceLocation: sourceLocation)
}

/// Runs `body` and returns the `BinanceError` it throws, or nil when it succeeds.
func catchError(_ body: () async throws -> Void) async -> BinanceError? {
    do {
        try await body()
        return nil
    } catch let error as BinanceError {
        expectNoSecrets(error)
        return error
    } catch {
        Issue.record("unexpected error type: \(error)")
        return nil
    }
}

@Suite struct ClockTests {
    @Test func synchronizeClockMeasuresOffsetAndAdjustsTimestamps() async throws {
        let harness = ClientHarness()
        let serverTime = harness.clock.now + 4321
        harness.transport.enqueue(.respond(.json(#"{"serverTime":\#(serverTime)}"#)), .respond(.json("{}")))

        try await harness.client.synchronizeClock()
        _ = try await harness.client.send(.account)

        #expect(await harness.client.clockOffset == 4321)
        #expect(harness.transport.requests[1].sentValue("timestamp") == String(harness.clock.now + 4321))
        let status = await harness.client.status()
        #expect(status.clockOffsetMilliseconds == 4321)
        #expect(status.isClockSynchronized)
    }

    @Test func timestampRejectionIsRetriedOnceWithFreshTimeAndSameOrderID() async throws {
        let harness = ClientHarness()
        let serverTime = harness.clock.now - 7000
        harness.transport.enqueue(
            .respond(.binanceError(-1021, "Timestamp for this request is outside of the recvWindow.")),
            .respond(.json(#"{"serverTime":\#(serverTime)}"#)),
            .respond(.json(Self.orderJSON))
        )
        let parameters: RequestParameters = [
            "symbol": "BTCUSDT", "side": "BUY", "type": "MARKET", "quantity": "0.001", "newClientOrderId": "keep-me",
        ]

        let placement = try await harness.client.placeOrder(parameters)

        let orders = harness.transport.requests(to: "/api/v3/order")
        #expect(orders.count == 2)
        #expect(harness.transport.requests(to: "/api/v3/time").count == 1)
        #expect(orders.map { $0.sentValue("newClientOrderId") } == ["keep-me", "keep-me"])
        #expect(orders[1].sentValue("timestamp") == String(harness.clock.now - 7000))
        let first = orders[0].sentParameters.filter { $0.name != "timestamp" && $0.name != "signature" }
        let second = orders[1].sentParameters.filter { $0.name != "timestamp" && $0.name != "signature" }
        #expect(first.map(\.name) == second.map(\.name))
        #expect(first.map(\.value) == second.map(\.value))
        guard case .placed(let order) = placement else {
            Issue.record("expected a placed order, got \(placement)")
            return
        }
        #expect(order.orderId == 42)
    }

    @Test func secondTimestampRejectionIsReported() async {
        let harness = ClientHarness()
        let rejection = HTTPResponse.binanceError(
            -1021,
            "Timestamp for this request was 1000ms ahead of the server's time."
        )
        harness.transport.enqueue(
            .respond(rejection),
            .respond(.json(#"{"serverTime":\#(harness.clock.now)}"#)),
            .respond(rejection)
        )

        let error = await catchError { _ = try await harness.client.send(.account) }

        #expect(
            error
                == .rejected(
                    status: 400,
                    code: -1021,
                    message: "Timestamp for this request was 1000ms ahead of the server's time."
                )
        )
        #expect(error?.hint?.contains("BINANCE_RECV_WINDOW") == true)
        #expect(harness.transport.requests.count == 3)
    }

    static let orderJSON = """
        {"symbol":"BTCUSDT","orderId":42,"orderListId":-1,"clientOrderId":"keep-me","transactTime":1,
         "price":"0.00000000","origQty":"0.00100000","executedQty":"0.00100000","cummulativeQuoteQty":"65.00000000",
         "status":"FILLED","timeInForce":"GTC","type":"MARKET","side":"BUY","fills":[]}
        """
}

@Suite struct LimitBehaviourTests {
    @Test func usedWeightHeaderMakesTheNextRequestWait() async throws {
        let harness = ClientHarness([.respond(.json("{}", headers: ["X-MBX-USED-WEIGHT-1M": "5995"]))])

        _ = try await harness.client.send(.ping)
        let error = await catchError { _ = try await harness.client.send(.account) }

        #expect(
            error
                == .rateLimited(
                    retryAfterSeconds: 31,
                    message: "GET /api/v3/account would exceed the request-weight limit; retry in 31 s."
                )
        )
        #expect(harness.transport.requests.count == 1)
        let status = await harness.client.status()
        #expect(status.weightUsed == 5995)
        #expect(status.weightLimit == 6000)
    }

    @Test func waitPolicyWaitsAndReportsProgress() async throws {
        let harness = ClientHarness([
            .respond(.json("{}", headers: ["x-mbx-used-weight-1m": "6000"])),
            .respond(.json("{}")),
        ])
        let messages = MessageLog()

        _ = try await harness.client.send(.ping)
        _ = try await harness.client.send(.ping, waitPolicy: .wait(maximumSeconds: 60), progress: messages.append)

        // The minute ends in 30 s; the guard band of 250 ms keeps the full window possible a little longer.
        #expect(harness.clock.sleeps == [30_250])
        #expect(messages.lines == ["Waiting 31 s for the request-weight limit before GET /api/v3/ping."])
        #expect(harness.transport.requests.count == 2)
    }

    @Test func waitLongerThanAllowedFailsFast() async throws {
        let harness = ClientHarness([.respond(.json("{}", headers: ["x-mbx-used-weight-1m": "6000"]))])

        _ = try await harness.client.send(.ping)
        let error = await catchError { _ = try await harness.client.send(.ping, waitPolicy: .wait(maximumSeconds: 10)) }

        guard case .rateLimited(let seconds, _) = error else {
            Issue.record("expected rateLimited, got \(String(describing: error))")
            return
        }
        #expect(seconds == 31)
        #expect(harness.clock.sleeps.isEmpty)
    }

    @Test func exchangeInfoLimitsReplaceDefaults() async throws {
        let body = String(decoding: try APIFixtures.market("exchangeInfo_full.json"), as: UTF8.self)
        let harness = ClientHarness([.respond(.json(body))])

        _ = try await harness.client.send(.exchangeInfo, as: ExchangeInfo.self)

        let status = await harness.client.status()
        #expect(status.hasExchangeLimits)
        #expect(status.weightLimit == 1200)
        #expect(status.weightUsed == 20)
        #expect(status.orderCounts.map(\.window.limit) == [50, 160_000])
    }

    @Test func successfulOrderCostsNoWeightButCountsAnOrder() async throws {
        let harness = ClientHarness([
            .respond(.json(ClockTests.orderJSON)),
            .respond(.binanceError(-2010, "Account has insufficient balance for requested action.")),
        ])
        let parameters: RequestParameters = ["symbol": "BTCUSDT", "side": "BUY", "type": "MARKET", "quantity": "1"]

        _ = try await harness.client.placeOrder(parameters)
        let afterSuccess = await harness.client.status()
        _ = await catchError { _ = try await harness.client.placeOrder(parameters) }
        let afterFailure = await harness.client.status()

        #expect(afterSuccess.weightUsed == 0)
        #expect(afterSuccess.orderCounts.first?.used == 1)
        #expect(afterFailure.weightUsed == 1)
        #expect(afterFailure.orderCounts.first?.used == 2)
    }

    @Test func tooManyRequestsPausesEveryRequest() async throws {
        let harness = ClientHarness([
            .respond(
                .binanceError(
                    -1003,
                    "Too much request weight used; current limit is 6000 request weight per 1 MINUTE.",
                    status: 429,
                    headers: ["Retry-After": "7"]
                )
            ),
            .respond(.json("{}")),
        ])

        let start = harness.clock.now
        let first = await catchError { _ = try await harness.client.send(.ping) }
        let second = await catchError { _ = try await harness.client.send(.time) }
        let status = await harness.client.status()
        _ = try await harness.client.send(.ping, waitPolicy: .wait(maximumSeconds: 10))

        #expect(
            first
                == .rateLimited(
                    retryAfterSeconds: 7,
                    message:
                        "Binance error -1003: Too much request weight used; current limit is 6000 request weight per 1 MINUTE."
                )
        )
        #expect(
            second
                == .rateLimited(
                    retryAfterSeconds: 7,
                    message: "GET /api/v3/time would exceed the pause the exchange requested (HTTP 429); retry in 7 s."
                )
        )
        #expect(status.pausedUntil == Date(timeIntervalSince1970: TimeInterval(start + 7000) / 1000))
        #expect(harness.clock.sleeps == [7000])
        #expect(harness.transport.requests.count == 2)
    }

    @Test func banStopsAllRequestsUntilItEnds() async throws {
        let harness = ClientHarness([
            .respond(
                .binanceError(-1003, "Way too much request weight used; IP banned until 1767225750000.", status: 418)
            ),
            .respond(.json("{}")),
        ])
        let banEnd = Date(timeIntervalSince1970: 1_767_225_750)

        let first = await catchError { _ = try await harness.client.send(.ping) }
        let second = await catchError {
            _ = try await harness.client.send(.ping, waitPolicy: .wait(maximumSeconds: 3600))
        }
        let status = await harness.client.status()

        #expect(first == .banned(until: banEnd))
        #expect(second == .banned(until: banEnd))
        #expect(status.bannedUntil == banEnd)
        #expect(harness.transport.requests.count == 1)
        harness.clock.advance(milliseconds: 120_000)
        _ = try await harness.client.send(.ping)
        #expect(harness.transport.requests.count == 2)
    }

    @Test func twoClientsSharingAStateFileBothObeyABan() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("limits-\(UUID().uuidString).json")
            .path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let banned = ClientHarness(
            [.respond(.binanceError(-1003, "IP banned.", status: 418, headers: ["Retry-After": "300"]))],
            sharedLimitStatePath: path
        )
        let other = ClientHarness([.respond(.json("{}"))], sharedLimitStatePath: path)

        _ = await catchError { _ = try await banned.client.send(.ping) }
        let error = await catchError { _ = try await other.client.send(.ping) }

        #expect(error == .banned(until: Date(timeIntervalSince1970: TimeInterval(banned.clock.now + 300_000) / 1000)))
        #expect(other.transport.requests.isEmpty)
    }

    @Test func twoClientsSharingAStateFileBothObeyRetryAfter() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("limits-\(UUID().uuidString).json")
            .path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let paused = ClientHarness(
            [
                .respond(
                    .binanceError(-1003, "Too much request weight used.", status: 429, headers: ["Retry-After": "12"])
                )
            ],
            sharedLimitStatePath: path
        )
        let other = ClientHarness([.respond(.json("{}"))], sharedLimitStatePath: path)

        _ = await catchError { _ = try await paused.client.send(.ping) }
        let error = await catchError { _ = try await other.client.send(.ping) }

        guard case .rateLimited(let seconds, _) = error else {
            Issue.record("expected rateLimited, got \(String(describing: error))")
            return
        }
        #expect(seconds == 12)
        #expect(other.transport.requests.isEmpty)
    }
}

/// Collects progress lines. `@unchecked Sendable`: `lock` guards `stored`.
final class MessageLog: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []

    var lines: [String] { lock.withLock { stored } }

    @Sendable func append(_ line: String) {
        lock.withLock { stored.append(line) }
    }
}
