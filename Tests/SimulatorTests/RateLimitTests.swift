import BinanceAPI
import Foundation
import Testing
import TestSupport
@testable import Simulator

@Suite struct RateLimitTests {
    @Test func usedWeightHeaderCounts() async throws {
        let client = try SimTestClient.make()
        var seen = [String?]()
        for _ in 0..<3 { seen.append(await client.get("/api/v3/ping").header("X-MBX-USED-WEIGHT-1M")) }
        #expect(seen == ["1", "2", "3"])
        let ticker = await client.get("/api/v3/ticker/24hr", [("symbol", "BTCUSDT")])
        #expect(ticker.header("x-mbx-used-weight-1m") == "5")
        client.clock.advance(milliseconds: 60_000)
        #expect(await client.get("/api/v3/ping").header("x-mbx-used-weight-1m") == "1")
    }

    @Test func weightLimitAnswers429ThenBans() async throws {
        let limits = SimulatorRateLimits(requestWeightPerMinute: 5, rejectionsBeforeBan: 2, banSeconds: 120)
        let client = try SimTestClient.make(rateLimits: limits)
        for _ in 0..<5 { #expect(await client.get("/api/v3/ping").status == 200) }
        client.clock.advance(milliseconds: 30_000)
        let limited = await client.get("/api/v3/ping")
        #expect(limited.status == 429)
        #expect(SimTestClient.error(limited)?.code == -1003)
        #expect(SimTestClient.error(limited)?.message == "Too much request weight used; current limit is 5 request weight per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API.")
        #expect(limited.header("Retry-After") == "30")
        #expect(await client.get("/api/v3/ping").status == 429)
        let banned = await client.get("/api/v3/ping")
        #expect(banned.status == 418)
        #expect(SimTestClient.error(banned)?.code == -1003)
        let until = SimTestClient.startTime + 30_000 + 120_000
        #expect(SimTestClient.error(banned)?.message == "Way too much request weight used; IP banned until \(until). Please use WebSocket Streams for live updates to avoid bans.")
        #expect(banned.header("retry-after") == "120")
        client.clock.advance(milliseconds: 60_000)
        #expect(await client.get("/api/v3/ping").status == 418)
        client.clock.advance(milliseconds: 60_000)
        #expect(await client.get("/api/v3/ping").status == 200)
    }

    @Test func orderRateLimitAnswers429() async throws {
        let client = try SimTestClient.make(rateLimits: SimulatorRateLimits(ordersPerTenSeconds: 2))
        let order = [("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "MARKET"), ("quantity", "0.001")]
        let first = await client.order(order)
        #expect(first.header("X-MBX-ORDER-COUNT-10S") == "1")
        #expect(first.header("X-MBX-ORDER-COUNT-1D") == "1")
        #expect(await client.order(order).header("x-mbx-order-count-10s") == "2")
        let limited = await client.order(order)
        #expect(limited.status == 429)
        #expect(SimTestClient.error(limited)?.code == -1015)
        #expect(SimTestClient.error(limited)?.message == "Too many new orders; current limit is 2 orders per 10 SECOND.")
        #expect(limited.header("retry-after") != nil)
        let placed = SimTestClient.json(await client.signed(.get, "/api/v3/allOrders", [("symbol", "BTCUSDT")])) as? [Any]
        #expect(placed?.count == 2)
        client.clock.advance(milliseconds: 10_000)
        #expect(await client.order(order).status == 200)
        let counts = SimTestClient.json(await client.signed(.get, "/api/v3/rateLimit/order")) as? [[String: Any]]
        #expect(counts?.first?["count"] as? Int == 1)
        #expect(counts?.last?["count"] as? Int == 4)
    }

    @Test func walletAndFuturesCountSeparately() async throws {
        let client = try SimTestClient.make()
        let wallet = await client.signed(.get, "/sapi/v1/asset/tradeFee", [("symbol", "BTCUSDT")])
        #expect(wallet.header("x-sapi-used-ip-weight-1m") == "1")
        #expect(wallet.header("x-mbx-used-weight-1m") == nil)
        let futures = await client.get("/fapi/v1/premiumIndex", [("symbol", "BTCUSDT")])
        #expect(futures.header("x-mbx-used-weight-1m") == "1")
        #expect(await client.get("/api/v3/ping").header("x-mbx-used-weight-1m") == "1")
    }

    @Test func exchangeInfoReportsConfiguredLimits() async throws {
        let client = try SimTestClient.make(rateLimits: SimulatorRateLimits(requestWeightPerMinute: 50_000))
        let body = SimTestClient.json(await client.get("/api/v3/exchangeInfo", [("symbol", "BTCUSDT")])) as? [String: Any]
        let limits = body?["rateLimits"] as? [[String: Any]]
        #expect(limits?.first?["limit"] as? Int == 50_000)
    }

    @Test func successfulOrdersCostNoWeight() async throws {
        let client = try SimTestClient.make()
        #expect(await client.get("/api/v3/ping").header("x-mbx-used-weight-1m") == "1")
        let placed = await client.order([("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "MARKET"), ("quantity", "0.001")])
        #expect(placed.status == 200)
        #expect(placed.header("x-mbx-used-weight-1m") == "1")
        let rejected = await client.order([("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "MARKET"), ("quantity", "0.000015")])
        #expect(rejected.status == 400)
        #expect(rejected.header("x-mbx-used-weight-1m") == "2")
    }

    @Test func withdrawHistoryCountsAccountWeight() async throws {
        let client = try SimTestClient.make()
        let response = await client.signed(.get, "/sapi/v1/capital/withdraw/history")
        #expect(response.status == 200)
        #expect(response.header("x-sapi-used-uid-weight-1m") == "18000")
        #expect(response.header("x-sapi-used-ip-weight-1m") == nil)
    }
}
