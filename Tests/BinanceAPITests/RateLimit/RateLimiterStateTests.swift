import BinanceAPI
import Testing

/// One step of a limiter scenario and what the limiter must decide.
enum LimiterStep: Sendable {
    case reserve(weight: Int, orders: Int = 0, at: Int64, expect: LimitDecision)
    case complete(weight: Int, onSuccess: Int, succeeded: Bool, at: Int64)
    case observe(usedWeight: [Int64: Int], orderCount: [Int64: Int] = [:], at: Int64)
    case pause(until: Int64)
    case ban(until: Int64)
    case expectUsed(kind: RateLimitKind, interval: Int64, used: Int, at: Int64)
}

struct LimiterScenario: Sendable, CustomTestStringConvertible {
    let name: String
    let windows: [LimitWindow]
    let steps: [LimiterStep]

    var testDescription: String { name }
}

private let minute: Int64 = 60_000
private let weight10 = LimitWindow(kind: .requestWeight, intervalMilliseconds: minute, limit: 10)
private let orders2 = LimitWindow(kind: .orders, intervalMilliseconds: 10_000, limit: 2)

@Suite struct RateLimiterStateTests {
    static let scenarios: [LimiterScenario] = [
        LimiterScenario(
            name: "weight fills then waits for the next minute",
            windows: [weight10],
            steps: [
                .reserve(weight: 6, at: 1000, expect: .proceed),
                .reserve(weight: 4, at: 2000, expect: .proceed),
                .reserve(weight: 1, at: 3000, expect: .wait(until: minute, kind: .requestWeight)),
                .reserve(weight: 1, at: minute, expect: .proceed),
                .expectUsed(kind: .requestWeight, interval: minute, used: 1, at: minute + 1),
            ]
        ),
        LimiterScenario(
            name: "request heavier than the limit goes out in an empty window",
            windows: [weight10],
            steps: [
                .reserve(weight: 25, at: 0, expect: .proceed),
                .reserve(weight: 1, at: 10, expect: .wait(until: minute, kind: .requestWeight)),
            ]
        ),
        LimiterScenario(
            name: "order count limits orders but not reads",
            windows: [weight10, orders2],
            steps: [
                .reserve(weight: 1, orders: 1, at: 0, expect: .proceed),
                .reserve(weight: 1, orders: 1, at: 1, expect: .proceed),
                .reserve(weight: 1, orders: 1, at: 2, expect: .wait(until: 10_000, kind: .orders)),
                .reserve(weight: 1, at: 3, expect: .proceed),
                .reserve(weight: 1, orders: 1, at: 10_000, expect: .proceed),
            ]
        ),
        LimiterScenario(
            name: "successful order refunds its weight",
            windows: [weight10],
            steps: [
                .reserve(weight: 1, at: 0, expect: .proceed),
                .complete(weight: 1, onSuccess: 0, succeeded: true, at: 1),
                .expectUsed(kind: .requestWeight, interval: minute, used: 0, at: 2),
                .reserve(weight: 1, at: 3, expect: .proceed),
                .complete(weight: 1, onSuccess: 0, succeeded: false, at: 4),
                .expectUsed(kind: .requestWeight, interval: minute, used: 1, at: 5),
            ]
        ),
        LimiterScenario(
            name: "server headers raise the count but never lower it",
            windows: [weight10, orders2],
            steps: [
                .reserve(weight: 2, at: 0, expect: .proceed),
                .observe(usedWeight: [minute: 9], at: 1),
                .expectUsed(kind: .requestWeight, interval: minute, used: 9, at: 2),
                .observe(usedWeight: [minute: 3], at: 3),
                .expectUsed(kind: .requestWeight, interval: minute, used: 9, at: 4),
                .reserve(weight: 2, at: 5, expect: .wait(until: minute, kind: .requestWeight)),
                .observe(usedWeight: [:], orderCount: [10_000: 2], at: 6),
                .reserve(weight: 1, orders: 1, at: 7, expect: .wait(until: 10_000, kind: .orders)),
            ]
        ),
        LimiterScenario(
            name: "headers for other intervals are ignored",
            windows: [weight10],
            steps: [
                .observe(usedWeight: [1000: 50], at: 0),
                .reserve(weight: 5, at: 1, expect: .proceed),
            ]
        ),
        LimiterScenario(
            name: "retry-after pauses every request",
            windows: [weight10],
            steps: [
                .pause(until: 5000),
                .reserve(weight: 1, at: 100, expect: .wait(until: 5000, kind: nil)),
                .reserve(weight: 1, at: 5000, expect: .proceed),
            ]
        ),
        LimiterScenario(
            name: "ban refuses until its end and outranks a pause",
            windows: [weight10],
            steps: [
                .pause(until: 9000),
                .ban(until: 8000),
                .reserve(weight: 1, at: 100, expect: .banned(until: 8000)),
                .ban(until: 7000),
                .reserve(weight: 1, at: 7500, expect: .banned(until: 8000)),
                .reserve(weight: 1, at: 8000, expect: .wait(until: 9000, kind: nil)),
                .reserve(weight: 1, at: 9000, expect: .proceed),
            ]
        ),
        LimiterScenario(
            name: "raw requests count one each whatever the weight",
            windows: [
                LimitWindow(kind: .rawRequests, intervalMilliseconds: 300_000, limit: 2)
            ],
            steps: [
                .reserve(weight: 0, at: 0, expect: .proceed),
                .reserve(weight: 50, at: 1, expect: .proceed),
                .reserve(weight: 0, at: 2, expect: .wait(until: 300_000, kind: .rawRequests)),
            ]
        ),
        LimiterScenario(
            name: "the latest blocking window decides the wait",
            windows: [
                weight10, LimitWindow(kind: .requestWeight, intervalMilliseconds: 10 * minute, limit: 12),
            ],
            steps: [
                .reserve(weight: 10, at: 0, expect: .proceed),
                .reserve(weight: 2, at: minute, expect: .proceed),
                .reserve(weight: 1, at: minute + 1, expect: .wait(until: 10 * minute, kind: .requestWeight)),
            ]
        ),
    ]

    @Test(arguments: scenarios)
    func scenario(_ scenario: LimiterScenario) {
        var state = RateLimiterState(windows: scenario.windows)
        for (index, step) in scenario.steps.enumerated() {
            switch step {
            case .reserve(let weight, let orders, let time, let expected):
                let decision = state.reserve(RequestCost(weight: weight, orders: orders), now: time)
                #expect(decision == expected, "step \(index)")
            case .complete(let weight, let onSuccess, let succeeded, let time):
                state.complete(RequestCost(weight: weight, weightOnSuccess: onSuccess), succeeded: succeeded, now: time)
            case .observe(let usedWeight, let orderCount, let time):
                state.observe(ServerUsage(usedWeight: usedWeight, orderCount: orderCount), now: time)
            case .pause(let until):
                state.pause(until: until)
            case .ban(let until):
                state.ban(until: until)
            case .expectUsed(let kind, let interval, let used, let time):
                let usage = state.usage(now: time).first {
                    $0.window.kind == kind && $0.window.intervalMilliseconds == interval
                }
                #expect(usage?.used == used, "step \(index)")
            }
        }
    }

    @Test func configureKeepsCountsOfMatchingWindows() {
        var state = RateLimiterState(windows: [weight10])
        #expect(state.reserve(RequestCost(weight: 8), now: 0) == .proceed)

        state.configure([LimitWindow(kind: .requestWeight, intervalMilliseconds: minute, limit: 9), orders2])

        #expect(state.hasExchangeLimits)
        #expect(state.reserve(RequestCost(weight: 2), now: 1) == .wait(until: minute, kind: .requestWeight))
        #expect(state.reserve(RequestCost(weight: 1, orders: 1), now: 2) == .proceed)
    }

    @Test func exchangeInfoRulesBecomeWindows() {
        let rules = [
            RateLimitRule(rateLimitType: "REQUEST_WEIGHT", interval: "MINUTE", intervalNum: 1, limit: 6000),
            RateLimitRule(rateLimitType: "ORDERS", interval: "SECOND", intervalNum: 10, limit: 100),
            RateLimitRule(rateLimitType: "RAW_REQUESTS", interval: "MINUTE", intervalNum: 5, limit: 300_000),
            RateLimitRule(rateLimitType: "SOMETHING_NEW", interval: "MINUTE", intervalNum: 1, limit: 5),
            RateLimitRule(rateLimitType: "ORDERS", interval: "FORTNIGHT", intervalNum: 1, limit: 5),
        ]

        let windows = rules.compactMap(LimitWindow.init)

        #expect(
            windows == [
                LimitWindow(kind: .requestWeight, intervalMilliseconds: 60_000, limit: 6000),
                LimitWindow(kind: .orders, intervalMilliseconds: 10_000, limit: 100),
                LimitWindow(kind: .rawRequests, intervalMilliseconds: 300_000, limit: 300_000),
            ]
        )
    }

    @Test func usageHeadersAreReadIgnoringCase() {
        let usage = ServerUsage(headers: [
            "x-mbx-used-weight-1m": "120",
            "X-MBX-USED-WEIGHT": "999",
            "X-MBX-ORDER-COUNT-10S": "3",
            "X-Mbx-Order-Count-1D": "17",
            "X-MBX-USED-WEIGHT-BAD": "5",
            "Content-Length": "12",
        ])

        #expect(usage.usedWeight == [60_000: 120])
        #expect(usage.orderCount == [10_000: 3, 86_400_000: 17])
    }

    @Test func malformedUsageHeadersAreSkipped() {
        let usage = ServerUsage(headers: [
            "X-MBX-USED-WEIGHT-0M": "1",
            "X-MBX-USED-WEIGHT-1X": "2",
            "X-MBX-USED-WEIGHT-M": "3",
            "X-MBX-USED-WEIGHT-1M2": "4",
            // Windows too long for 64-bit milliseconds are skipped rather than overflowing.
            "X-MBX-USED-WEIGHT-99999999999999999999D": "5",
            "X-MBX-USED-WEIGHT-9999999999999999D": "6",
            "X-MBX-ORDER-COUNT-1H": "not a number",
            "X-MBX-USED-WEIGHT-1S": " \t42\t ",
            "X-MBX-USED-WEIGHT-": "7",
        ])

        #expect(usage.usedWeight == [1000: 42])
        #expect(usage.orderCount.isEmpty)
    }
}

@Suite struct RequestCostTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let endpoint: Endpoint
        let parameters: [(String, String)]
        let weight: Int
        let weightOnSuccess: Int
        let orders: Int

        init(
            _ endpoint: Endpoint,
            _ parameters: [(String, String)] = [],
            weight: Int,
            onSuccess: Int? = nil,
            orders: Int = 0
        ) {
            self.endpoint = endpoint
            self.parameters = parameters
            self.weight = weight
            self.weightOnSuccess = onSuccess ?? weight
            self.orders = orders
        }

        var testDescription: String {
            "\(endpoint) " + parameters.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
        }
    }

    static let cases: [Case] = [
        Case(.depth, weight: 5),
        Case(.depth, [("limit", "100")], weight: 5),
        Case(.depth, [("limit", "101")], weight: 25),
        Case(.depth, [("limit", "500")], weight: 25),
        Case(.depth, [("limit", "1000")], weight: 50),
        Case(.depth, [("limit", "5000")], weight: 250),
        Case(.tickerPrice, [("symbol", "BTCUSDT")], weight: 2),
        Case(.tickerPrice, weight: 4),
        Case(.ticker24hr, [("symbol", "BTCUSDT")], weight: 2),
        Case(.ticker24hr, weight: 80),
        Case(.ticker24hr, [("symbols", #"["BTCUSDT","ETHUSDT"]"#)], weight: 2),
        Case(.openOrders, [("symbol", "BTCUSDT")], weight: 6),
        Case(.openOrders, weight: 80),
        Case(.myTrades, [("symbol", "BTCUSDT")], weight: 20),
        Case(.myTrades, [("symbol", "BTCUSDT"), ("orderId", "1")], weight: 5),
        Case(.testOrder, weight: 1),
        Case(.testOrder, [("computeCommissionRates", "true")], weight: 20),
        Case(.newOrder, weight: 1, onSuccess: 0, orders: 1),
        Case(.cancelOrder, weight: 1, onSuccess: 0),
        Case(.cancelOpenOrders, weight: 1, onSuccess: 0),
        Case(.exchangeInfo, weight: 20),
        Case(.account, weight: 20),
        Case(.queryOrder, weight: 4),
        Case(.klines, weight: 2),
        Case(.trades, weight: 25),
    ]

    @Test(arguments: cases)
    func weightMatchesTable(_ testCase: Case) {
        let cost = testCase.endpoint.cost(for: RequestParameters(testCase.parameters))

        #expect(cost.weight == testCase.weight)
        #expect(cost.weightOnSuccess == testCase.weightOnSuccess)
        #expect(cost.orders == testCase.orders)
    }

    @Test func manySymbolsRaiseTickerWeight() {
        let symbols = (0..<21).map { "\"S\($0)\"" }.joined(separator: ",")
        let many = (0..<101).map { "\"S\($0)\"" }.joined(separator: ",")

        #expect(Endpoint.ticker24hr.cost(for: ["symbols": "[\(symbols)]"]).weight == 40)
        #expect(Endpoint.ticker24hr.cost(for: ["symbols": "[\(many)]"]).weight == 80)
    }
}
