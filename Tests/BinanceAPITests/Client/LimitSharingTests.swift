import BinanceAPI
import Foundation
import TestSupport
import Testing

/// An exchangeInfo body reporting `weight` per minute and `orders` per 10 seconds, with no symbols.
func exchangeInfoBody(weight: Int, orders: Int, serverTime: Int64 = 1) -> String {
    """
    {"timezone":"UTC","serverTime":\(serverTime),"rateLimits":[
    {"rateLimitType":"REQUEST_WEIGHT","interval":"MINUTE","intervalNum":1,"limit":\(weight)},
    {"rateLimitType":"ORDERS","interval":"SECOND","intervalNum":10,"limit":\(orders)},
    {"rateLimitType":"RAW_REQUESTS","interval":"MINUTE","intervalNum":5,"limit":300000}],
    "exchangeFilters":[],"symbols":[]}
    """
}

/// A client over a scripted transport whose configuration the test can change.
func makeClient(
    _ transport: ScriptedTransport,
    clock: ClientTestClock,
    sharedLimitStatePath: String? = nil,
    credentials: Credentials? = APITestSetup.hmacCredentials,
    adjust: (inout ClientConfiguration) -> Void = { _ in }
) -> BinanceClient {
    var configuration = APITestSetup.configuration(credentials: credentials, sharedLimitStatePath: sharedLimitStatePath)
    adjust(&configuration)
    return BinanceClient(configuration: configuration, transport: transport, clock: clock.clientClock)
}

func temporaryStatePath() -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("limits-\(UUID().uuidString).json").path
}

let orderParameters: RequestParameters = ["symbol": "BTCUSDT", "side": "BUY", "type": "MARKET", "quantity": "0.001"]

let filledOrder = HTTPResponse.json(ClockTests.orderJSON)

@Suite struct LimitSharingTests {
    @Test func twoClientsSharingAFileShareOneOrderBudget() async throws {
        let path = temporaryStatePath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let clock = ClientTestClock()
        let first = ScriptedTransport(fallback: { _ in filledOrder })
        let second = ScriptedTransport(fallback: { _ in filledOrder })
        let firstClient = makeClient(first, clock: clock, sharedLimitStatePath: path)
        let secondClient = makeClient(second, clock: clock, sharedLimitStatePath: path)
        await firstClient.adoptLimits(
            [RateLimitRule(rateLimitType: "ORDERS", interval: "SECOND", intervalNum: 10, limit: 3)],
            scope: .spot
        )

        _ = try await firstClient.placeOrder(orderParameters)
        _ = try await secondClient.placeOrder(orderParameters)
        _ = try await firstClient.placeOrder(orderParameters)
        let error = await catchError { _ = try await secondClient.placeOrder(orderParameters) }

        #expect(
            error
                == .rateLimited(
                    retryAfterSeconds: 11,
                    message: "POST /api/v3/order would exceed the order-count limit; retry in 11 s."
                )
        )
        #expect(first.requests.count == 2)
        #expect(second.requests.count == 1)
        let status = await secondClient.status()
        #expect(status.hasExchangeLimits)
        #expect(status.orderCounts.first?.used == 3)
    }

    @Test func twoClientsSharingAFileShareOneWeightBudget() async throws {
        let path = temporaryStatePath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let clock = ClientTestClock()
        let first = ScriptedTransport(fallback: { _ in .json("{}") })
        let second = ScriptedTransport(fallback: { _ in .json("{}") })
        let firstClient = makeClient(first, clock: clock, sharedLimitStatePath: path)
        let secondClient = makeClient(second, clock: clock, sharedLimitStatePath: path)
        await firstClient.adoptLimits(
            [RateLimitRule(rateLimitType: "REQUEST_WEIGHT", interval: "MINUTE", intervalNum: 1, limit: 44)],
            scope: .spot
        )

        _ = try await firstClient.send(.account)
        _ = try await secondClient.send(.account)
        let error = await catchError { _ = try await secondClient.send(.depth, ["symbol": "BTCUSDT", "limit": "100"]) }

        guard case .rateLimited(let seconds, let message) = error else {
            Issue.record("expected rateLimited, got \(String(describing: error))")
            return
        }
        #expect(seconds == 31)
        #expect(message.contains("request-weight limit"))
        #expect(second.requests.count == 1)
        #expect(await firstClient.status().weightUsed == 40)
    }

    @Test func usageHeaderRaisesSharedCountOnlyAboveIt() async throws {
        let path = temporaryStatePath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let clock = ClientTestClock()
        let transport = ScriptedTransport(
            [.respond(.json("{}", headers: ["X-MBX-USED-WEIGHT-1M": "500"]))],
            fallback: { _ in .json("{}", headers: ["X-MBX-USED-WEIGHT-1M": "3"]) }
        )
        let client = makeClient(transport, clock: clock, sharedLimitStatePath: path)
        let other = makeClient(ScriptedTransport(fallback: { _ in .json("{}") }), clock: clock, sharedLimitStatePath: path)

        // The server reports more than this client counted (20 for the account), so the file takes its figure.
        _ = try await client.send(.account)
        #expect(await other.status().weightUsed == 500)
        // A figure below the count leaves the count, plus this request's reservation, as it is.
        _ = try await client.send(.account)
        #expect(await other.status().weightUsed == 520)
        #expect(await client.status().weightUsed == 520)
    }

    @Test func otherKeyOrBaseURLHasItsOwnBudget() async throws {
        let path = temporaryStatePath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let clock = ClientTestClock()
        let transport = ScriptedTransport(fallback: { _ in .json("{}") })
        let owner = makeClient(transport, clock: clock, sharedLimitStatePath: path)
        let otherKey = makeClient(
            transport,
            clock: clock,
            sharedLimitStatePath: path,
            credentials: Credentials(apiKey: Secret("another-key"), signer: HMACSigner(secret: Secret("s")))
        )
        let otherHost = makeClient(transport, clock: clock, sharedLimitStatePath: path) {
            $0.spotBaseURL = "http://127.0.0.1:8"
        }
        await owner.adoptLimits(
            [RateLimitRule(rateLimitType: "REQUEST_WEIGHT", interval: "MINUTE", intervalNum: 1, limit: 20)],
            scope: .spot
        )

        _ = try await owner.send(.account)
        let ownerAgain = await catchError { _ = try await owner.send(.ping) }
        _ = try await otherKey.send(.account)
        _ = try await otherHost.send(.account)

        #expect(ownerAgain != nil)
        #expect(transport.requests.count == 3)
        let contents = try String(contentsOfFile: path, encoding: .utf8)
        #expect(!contents.contains(APITestSetup.apiKey))
        #expect(!contents.contains("another-key"))
    }

    @Test func unwritableFileFallsBackToMemory() async throws {
        let clock = ClientTestClock()
        let transport = ScriptedTransport(fallback: { _ in .json("{}") })
        let client = makeClient(transport, clock: clock, sharedLimitStatePath: "/nonexistent-directory/limits.json")

        _ = try await client.send(.account)

        #expect(await client.status().weightUsed == 20)
    }
}

@Suite struct LimitDiscoveryTests {
    static func discovering(_ configuration: inout ClientConfiguration) {
        configuration.shouldFetchLimitsBeforeFirstRequest = true
    }

    @Test func firstRequestReadsLimitsFromSmallExchangeInfo() async throws {
        let clock = ClientTestClock()
        let transport = ScriptedTransport(
            [.respond(.json(exchangeInfoBody(weight: 50, orders: 2)))],
            fallback: { _ in .json("{}") }
        )
        let client = makeClient(transport, clock: clock, adjust: Self.discovering)

        _ = try await client.send(.account)
        let error = await catchError { _ = try await client.send(.account) }

        #expect(transport.requests.map(\.path) == ["/api/v3/exchangeInfo", "/api/v3/account"])
        #expect(transport.requests[0].query == "symbol=BTCUSDT")
        let status = await client.status()
        #expect(status.hasExchangeLimits)
        #expect(status.weightLimit == 50)
        #expect(status.weightUsed == 40)
        guard case .rateLimited = error else {
            Issue.record("expected rateLimited, got \(String(describing: error))")
            return
        }
    }

    @Test func concurrentFirstRequestsWaitForOneDiscovery() async throws {
        let clock = ClientTestClock()
        let transport = ScriptedTransport(
            [.respond(.json(exchangeInfoBody(weight: 30, orders: 2)))],
            fallback: { _ in .json("{}") }
        )
        let client = makeClient(transport, clock: clock, adjust: Self.discovering)

        let outcomes = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<8 {
                group.addTask { (try? await client.send(.depth, ["symbol": "BTCUSDT"])) != nil }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }

        // 20 for exchangeInfo leaves room for two depth requests of 5; the other six are refused locally.
        #expect(transport.requests(to: "/api/v3/exchangeInfo").count == 1)
        #expect(transport.requests(to: "/api/v3/depth").count == 2)
        #expect(outcomes.filter { $0 }.count == 2)
    }

    @Test func unknownSymbolFallsBackToFullExchangeInfo() async throws {
        let clock = ClientTestClock()
        let transport = ScriptedTransport(
            [
                .respond(.binanceError(-1121, "Invalid symbol.")),
                .respond(.json(exchangeInfoBody(weight: 100, orders: 2))),
            ],
            fallback: { _ in .json("{}") }
        )
        let client = makeClient(transport, clock: clock, adjust: Self.discovering)

        _ = try await client.send(.ping)

        #expect(transport.requests.map(\.query) == ["symbol=BTCUSDT", "", ""])
        #expect(await client.status().weightLimit == 100)
    }

    @Test func failedDiscoveryLetsRequestsThroughAndIsNotRepeatedAtOnce() async throws {
        let clock = ClientTestClock()
        let transport = ScriptedTransport(
            [.respond(HTTPResponse(status: 404, body: Data("Not Found".utf8)))],
            fallback: { request in
                request.path == "/api/v3/exchangeInfo" ? .json(exchangeInfoBody(weight: 90, orders: 2)) : .json("{}")
            }
        )
        let client = makeClient(transport, clock: clock, adjust: Self.discovering)

        _ = try await client.send(.ping)
        _ = try await client.send(.ping)
        clock.advance(milliseconds: 31_000)
        _ = try await client.send(.ping)

        #expect(
            transport.requests.map(\.path) == [
                "/api/v3/exchangeInfo", "/api/v3/ping", "/api/v3/ping", "/api/v3/exchangeInfo", "/api/v3/ping",
            ]
        )
        #expect(await client.status().hasExchangeLimits)
    }

    @Test func limitsInSharedFileSpareTheRequestUntilTheyAge() async throws {
        let path = temporaryStatePath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let clock = ClientTestClock()
        let first = ScriptedTransport(
            [.respond(.json(exchangeInfoBody(weight: 500, orders: 5)))],
            fallback: { _ in .json("{}") }
        )
        let second = ScriptedTransport(fallback: { _ in .json(exchangeInfoBody(weight: 700, orders: 5)) })
        let firstClient = makeClient(first, clock: clock, sharedLimitStatePath: path, adjust: Self.discovering)
        let secondClient = makeClient(second, clock: clock, sharedLimitStatePath: path, adjust: Self.discovering)

        _ = try await firstClient.send(.ping)
        _ = try await secondClient.send(.ping)
        #expect(second.requests.map(\.path) == ["/api/v3/ping"])
        #expect(await secondClient.status().weightLimit == 500)

        clock.advance(milliseconds: 3_601_000)
        _ = try await secondClient.send(.ping)
        #expect(second.requests.map(\.path) == ["/api/v3/ping", "/api/v3/exchangeInfo", "/api/v3/ping"])
        #expect(await firstClient.status().weightLimit == 700)
    }

    @Test func discoveryIsOffByDefault() async throws {
        let harness = ClientHarness([.respond(.json("{}"))])

        _ = try await harness.client.send(.ping)

        #expect(harness.transport.requests.map(\.path) == ["/api/v3/ping"])
    }
}

@Suite struct ClockPreparationTests {
    @Test func firstSignedRequestMeasuresTheClockFirst() async throws {
        let clock = ClientTestClock()
        let transport = ScriptedTransport(fallback: { request in
            request.path == "/api/v3/time" ? .json(#"{"serverTime":\#(clock.now + 2500)}"#) : .json("{}")
        })
        let client = makeClient(transport, clock: clock) { $0.shouldSynchronizeClockBeforeSigning = true }

        _ = try await client.send(.ping)
        _ = try await client.send(.account)
        _ = try await client.send(.account)
        clock.advance(milliseconds: 601_000)
        _ = try await client.send(.account)

        #expect(
            transport.requests.map(\.path) == [
                "/api/v3/ping", "/api/v3/time", "/api/v3/account", "/api/v3/account", "/api/v3/time",
                "/api/v3/account",
            ]
        )
        #expect(transport.requests[2].sentValue("timestamp") == String(clock.now - 601_000 + 2500))
        #expect(await client.status().isClockSynchronized)
    }

    @Test(arguments: [0, 60_001, -5])
    func recvWindowOutsideBoundsIsRejectedLocally(_ milliseconds: Int) async {
        let clock = ClientTestClock()
        let transport = ScriptedTransport(fallback: { _ in .json("{}") })
        let client = makeClient(transport, clock: clock) { $0.recvWindowMilliseconds = milliseconds }

        let error = await catchError { _ = try await client.send(.account) }

        #expect(error == .invalidRequest("recvWindow '\(milliseconds)' is invalid: expected 1 to 60000 milliseconds."))
        #expect(transport.requests.isEmpty)
    }

    @Test(arguments: [1, 60_000])
    func recvWindowAtBoundsIsSent(_ milliseconds: Int) async throws {
        let clock = ClientTestClock()
        let transport = ScriptedTransport(fallback: { _ in .json("{}") })
        let client = makeClient(transport, clock: clock) { $0.recvWindowMilliseconds = milliseconds }

        _ = try await client.send(.account)

        #expect(transport.requests.first?.sentValue("recvWindow") == String(milliseconds))
    }
}

@Suite struct WalletScopeClientTests {
    @Test func sapiWeightDoesNotUseTheSpotBudget() async throws {
        let clock = ClientTestClock()
        let transport = ScriptedTransport(fallback: { _ in .json("[]") })
        let client = makeClient(transport, clock: clock)

        _ = try await client.send(.accountSnapshot, ["type": "SPOT"])
        _ = try await client.send(.withdrawHistory, ["coin": "BTC"])

        #expect(await client.status().weightUsed == 0)
        #expect(transport.requests.count == 2)
    }

    @Test func sapiHeaderLimitsOnlyThatEndpoint() async throws {
        let clock = ClientTestClock()
        let transport = ScriptedTransport(
            [.respond(.json("[]", headers: ["X-SAPI-USED-IP-WEIGHT-1M": "11995"]))],
            fallback: { _ in .json("[]") }
        )
        let client = makeClient(transport, clock: clock)

        _ = try await client.send(.depositAddress, ["coin": "BTC"])
        let error = await catchError { _ = try await client.send(.depositAddress, ["coin": "ETH"]) }
        _ = try await client.send(.tradeFee)
        _ = try await client.send(.account)

        guard case .rateLimited(let seconds, let message) = error else {
            Issue.record("expected rateLimited, got \(String(describing: error))")
            return
        }
        #expect(seconds == 31)
        #expect(message == "GET /sapi/v1/capital/deposit/address would exceed the request-weight limit; retry in 31 s.")
        #expect(transport.requests.map(\.path) == ["/sapi/v1/capital/deposit/address", "/sapi/v1/asset/tradeFee", "/api/v3/account"])
    }

    @Test func withdrawHistoryAllowsTenRequestsAMinute() async throws {
        let clock = ClientTestClock()
        let transport = ScriptedTransport(fallback: { _ in .json("[]") })
        let client = makeClient(transport, clock: clock)

        for _ in 0..<10 {
            _ = try await client.send(.withdrawHistory, ["coin": "BTC"])
            clock.advance(milliseconds: 1000)
        }
        let error = await catchError { _ = try await client.send(.withdrawHistory, ["coin": "BTC"]) }

        // 10 × 18,000 UID weight fill the endpoint's 180,000 a minute; the minute ends 20 s later, and the
        // guard band adds 250 ms.
        #expect(
            error
                == .rateLimited(
                    retryAfterSeconds: 21,
                    message: "GET /sapi/v1/capital/withdraw/history would exceed the request-weight limit; retry in 21 s."
                )
        )
        #expect(transport.requests.count == 10)
    }

    @Test func sapiTooManyRequestsPausesOnlyThatEndpoint() async throws {
        let clock = ClientTestClock()
        let transport = ScriptedTransport(
            [.respond(.binanceError(-1003, "Too much request weight used.", status: 429, headers: ["Retry-After": "20"]))],
            fallback: { _ in .json("[]") }
        )
        let client = makeClient(transport, clock: clock)

        _ = await catchError { _ = try await client.send(.tradeFee) }
        let again = await catchError { _ = try await client.send(.tradeFee) }
        _ = try await client.send(.depositAddress, ["coin": "BTC"])
        _ = try await client.send(.ping)

        guard case .rateLimited(let seconds, _) = again else {
            Issue.record("expected rateLimited, got \(String(describing: again))")
            return
        }
        #expect(seconds == 20)
        #expect(transport.requests.count == 3)
    }

    @Test func banFromSapiStopsTheWholeSpotHost() async throws {
        let clock = ClientTestClock()
        let transport = ScriptedTransport(
            [.respond(.binanceError(-1003, "IP banned.", status: 418, headers: ["Retry-After": "120"]))],
            fallback: { _ in .json("{}") }
        )
        let client = makeClient(transport, clock: clock)

        _ = await catchError { _ = try await client.send(.tradeFee) }
        let spot = await catchError { _ = try await client.send(.ping) }
        let otherSapi = await catchError { _ = try await client.send(.depositAddress, ["coin": "BTC"]) }

        let end = Date(timeIntervalSince1970: TimeInterval(clock.now + 120_000) / 1000)
        #expect(spot == .banned(until: end))
        #expect(otherSapi == .banned(until: end))
        #expect(transport.requests.count == 1)
    }
}

@Suite struct ClockSampleTests {
    @Test func slowSampleIsReplacedByTheQuickestOfThree() async throws {
        let clock = ClientTestClock()
        let start = clock.now
        // Round trips of 2 s, 100 ms and (not taken) more: the second sample is quick enough to stop.
        let transport = ScriptedTransport([
            .handle { _ in
                clock.advance(milliseconds: 2000)
                return .json(#"{"serverTime":\#(start + 1900)}"#)
            },
            .handle { _ in
                clock.advance(milliseconds: 100)
                return .json(#"{"serverTime":\#(start + 2050)}"#)
            },
        ])
        let client = makeClient(transport, clock: clock)

        try await client.synchronizeClock()

        // The quick sample went out at start + 2000 and came back at start + 2100: offset 2050 - 2050 = 0.
        #expect(await client.clockOffset == 0)
        #expect(transport.requests.count == 2)
    }

    @Test func allSlowSamplesKeepTheShortestRoundTrip() async throws {
        let clock = ClientTestClock()
        let start = clock.now
        let transport = ScriptedTransport([
            .handle { _ in
                clock.advance(milliseconds: 3000)
                return .json(#"{"serverTime":\#(start + 2500)}"#)
            },
            .handle { _ in
                clock.advance(milliseconds: 1000)
                return .json(#"{"serverTime":\#(start + 3500)}"#)
            },
            .handle { _ in
                clock.advance(milliseconds: 2000)
                return .json(#"{"serverTime":\#(start + 5600)}"#)
            },
        ])
        let client = makeClient(transport, clock: clock)

        try await client.synchronizeClock()

        // Offsets 1000, 0 and 600 with round trips of 3 s, 1 s and 2 s: the 1 s sample wins.
        #expect(await client.clockOffset == 0)
        #expect(transport.requests.count == 3)
    }

    @Test func failedLaterSampleKeepsTheFirst() async throws {
        let clock = ClientTestClock()
        let start = clock.now
        let transport = ScriptedTransport([
            .handle { _ in
                clock.advance(milliseconds: 1000)
                return .json(#"{"serverTime":\#(start + 800)}"#)
            },
            .fail(.notSent("connection refused")),
        ])
        let client = makeClient(transport, clock: clock)

        try await client.synchronizeClock()

        #expect(await client.clockOffset == 300)
        #expect(await client.status().isClockSynchronized)
    }
}
