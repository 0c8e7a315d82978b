import BinanceAPI
import Foundation
import Simulator
import Testing
import TestSupport

@Suite("Randomized orders under seeded faults")
struct RandomizedOrderTests {
    /// Faults drawn per request on `/api/v3/order` (placements and queries alike), from the plan's seed.
    static func faultPlan(seed: UInt64) -> SimulatorFaultPlan {
        let path = "/api/v3/order"
        return SimulatorFaultPlan(
            seed: seed,
            rules: [
                SimulatorFault(.dropBeforeCommit, trigger: .probability(0.02), pathPrefix: path),
                SimulatorFault(.dropAfterCommit, trigger: .probability(0.03), pathPrefix: path),
                SimulatorFault(.serverError(status: 503), trigger: .probability(0.02), pathPrefix: path),
                SimulatorFault(.serverError(status: 500), trigger: .probability(0.01), pathPrefix: path),
                SimulatorFault(.truncatedBody, trigger: .probability(0.03), pathPrefix: path),
                SimulatorFault(.backendTimeout, trigger: .probability(0.02), pathPrefix: path),
            ]
        )
    }

    /// 10,000 market orders, alternating buy and sell, each sent once by the client while about one request
    /// in eight fails. Afterwards every order the client reported placed exists exactly once, every order it
    /// reported rejected does not exist, and every unknown outcome resolves to at most one order.
    @Test func tenThousandOrdersNoneLostOrDoubled() async throws {
        let seed: UInt64 = 20_261_204
        let exchange = try SimulatedExchange(
            options: SimulatorOptions(
                databasePath: ":memory:",
                startingBalances: ["USDT": 100_000_000, "BTC": 1_000],
                rateLimits: .unlimited,
                faults: Self.faultPlan(seed: seed)
            )
        )
        let client = BinanceClient(
            configuration: ClientConfiguration(
                spotBaseURL: "sim://spot",
                futuresBaseURL: "sim://futures",
                credentials: Credentials(
                    apiKey: Secret(SimulatedExchange.paperAPIKey),
                    signer: HMACSigner(secret: Secret(SimulatedExchange.paperSecret))
                ),
                clientOrderIDPrefix: "rnd"
            ),
            transport: InProcessTransport(exchange: exchange),
            clock: ClientClock(now: ClientClock.system.now, sleep: { _ in await Task.yield() })
        )
        // Adopt the exchange's (unlimited) limits, so the client's own limiter never refuses an order.
        _ = try await client.send(.exchangeInfo, as: ExchangeInfo.self)

        var placed: [String] = []
        var rejected: [String] = []
        var unknown: [String] = []
        for index in 0..<10_000 {
            var parameters = RequestParameters()
            parameters.set("symbol", "BTCUSDT")
            parameters.set("side", index.isMultiple(of: 2) ? "BUY" : "SELL")
            parameters.set("type", "MARKET")
            parameters.set("quantity", "0.0002")
            let id = "rnd-\(seed)-\(index)"
            parameters.set("newClientOrderId", id)
            do {
                switch try await client.placeOrder(parameters) {
                case .placed(let order):
                    #expect(order.clientOrderId == id)
                    placed.append(id)
                case .unknown:
                    unknown.append(id)
                }
            } catch {
                rejected.append(id)
            }
        }

        #expect(placed.count + rejected.count + unknown.count == 10_000)
        let doubledOrLostPlaced = placed.filter { exchange.orderCount(clientOrderId: $0) != 1 }
        #expect(doubledOrLostPlaced.isEmpty, "placed but not exactly once: \(doubledOrLostPlaced.prefix(5))")
        let lostRejected = rejected.filter { exchange.orderCount(clientOrderId: $0) != 0 }
        #expect(lostRejected.isEmpty, "reported rejected but on the exchange: \(lostRejected.prefix(5))")
        let doubledUnknown = unknown.filter { exchange.orderCount(clientOrderId: $0) > 1 }
        #expect(doubledUnknown.isEmpty)

        // The seed must have produced faults, or the run proves little: an order whose placement was cut off
        // after the exchange committed it is still reported placed, found by its client order id.
        #expect(placed.count > 9_000)
        #expect(!unknown.isEmpty)
        let onExchange = (placed + unknown).reduce(0) { $0 + exchange.orderCount(clientOrderId: $1) }
        #expect(onExchange >= placed.count)
    }
}
