import BinanceAPI
import Foundation
import Testing
import TestSupport
@testable import Simulator
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
#if canImport(Glibc)
import Glibc
#endif

@Suite struct FaultPlanTests {
    private let marketOrder = [("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "MARKET"), ("quantity", "0.001")]

    @Test func planParsesEveryKind() throws {
        let plan = try SimulatorFaultPlan.parse(
            "seed=42, latency=25ms@0.5, 5xx=502#3, drop-before-commit#1+2~/api/v3/order; drop-after-commit@0.1, truncate, 429@0.2, 418#9, -1007~/api/v3/order, skew=-1500ms"
        )
        #expect(plan.seed == 42)
        #expect(plan.clockSkewMilliseconds == -1500)
        #expect(plan.rules == [
            SimulatorFault(.latency(milliseconds: 25), trigger: .probability(0.5)),
            SimulatorFault(.serverError(status: 502), trigger: .requests([3])),
            SimulatorFault(.dropBeforeCommit, trigger: .requests([1, 2]), pathPrefix: "/api/v3/order"),
            SimulatorFault(.dropAfterCommit, trigger: .probability(0.1)),
            SimulatorFault(.truncatedBody),
            SimulatorFault(.tooManyRequests, trigger: .probability(0.2)),
            SimulatorFault(.banned, trigger: .requests([9])),
            SimulatorFault(.backendTimeout, pathPrefix: "/api/v3/order"),
        ])
    }

    @Test func planRejectsInvalidItems() {
        #expect(throws: SimulatorFaultPlanError(item: "explode", expected: "one of latency, 5xx, drop-before-commit, drop-after-commit, truncate, 429, 418, -1007, hold-before-commit, late-commit, hold-after-commit, fill-before-cancel, seed, skew")) {
            try SimulatorFaultPlan.parse("explode")
        }
        #expect(throws: SimulatorFaultPlanError.self) { try SimulatorFaultPlan.parse("5xx=404") }
        #expect(throws: SimulatorFaultPlanError.self) { try SimulatorFaultPlan.parse("429@1.5") }
        #expect(throws: SimulatorFaultPlanError.self) { try SimulatorFaultPlan.parse("truncate~api") }
        let error = SimulatorFaultPlanError(item: "seed=x", expected: "seed=<unsigned integer>")
        #expect(error.description == "Invalid BINANCE_SIM_FAULTS item 'seed=x': expected seed=<unsigned integer>.")
    }

    @Test func planParsesFillBeforeCancel() throws {
        let plan = try SimulatorFaultPlan.parse("fill-before-cancel#1^DELETE~/api/v3/order, fill-before-cancel@0.5")
        #expect(plan.rules == [
            SimulatorFault(.fillBeforeCancel, trigger: .requests([1]), pathPrefix: "/api/v3/order", method: "DELETE"),
            SimulatorFault(.fillBeforeCancel, trigger: .probability(0.5)),
        ])
        let expected = "fill-before-cancel without '=', such as fill-before-cancel#1^DELETE~/api/v3/order"
        for item in ["fill-before-cancel=1", "fill-before-cancel=", "fill-before-cancel=200ms#1"] {
            #expect(throws: SimulatorFaultPlanError(item: item, expected: expected)) { try SimulatorFaultPlan.parse(item) }
        }
        #expect(throws: SimulatorFaultPlanError.self) { try SimulatorFaultPlan.parse("fill-before-cancel^PATCH") }
    }

    @Test func planComesFromEnvironment() throws {
        #expect(try SimulatorFaultPlan.fromEnvironment([:]) == nil)
        #expect(try SimulatorFaultPlan.fromEnvironment(["BINANCE_SIM_FAULTS": "  "]) == nil)
        let plan = try SimulatorFaultPlan.fromEnvironment(["BINANCE_SIM_FAULTS": "429#2"])
        #expect(plan?.rules == [SimulatorFault(.tooManyRequests, trigger: .requests([2]))])
    }

    private func statuses(seed: UInt64, count: Int) async throws -> [Int] {
        let plan = SimulatorFaultPlan(seed: seed, rules: [
            SimulatorFault(.serverError(status: 503), trigger: .probability(0.3)),
            SimulatorFault(.tooManyRequests, trigger: .probability(0.2)),
        ])
        let client = try SimTestClient.make(faults: plan)
        var result = [Int]()
        for _ in 0..<count { result.append(await client.get("/api/v3/ping").status) }
        return result
    }

    @Test func drawsAreDeterministicForSeed() async throws {
        let first = try await statuses(seed: 11, count: 60)
        let second = try await statuses(seed: 11, count: 60)
        let other = try await statuses(seed: 12, count: 60)
        #expect(first == second)
        #expect(first != other)
        #expect(first.contains(503))
        #expect(first.contains(429))
        #expect(first.contains(200))
    }

    @Test func dropBeforeCommitPlacesNothing() async throws {
        let plan = SimulatorFaultPlan(rules: [SimulatorFault(.dropBeforeCommit, trigger: .requests([1]), pathPrefix: "/api/v3/order")])
        let client = try SimTestClient.make(faults: plan)
        let transport = InProcessTransport(exchange: client.exchange)
        let text = SimTestClient.query(marketOrder + [("newClientOrderId", "before-1"), ("timestamp", String(SimTestClient.startTime))])
        let request = HTTPRequest(method: .post, baseURL: "http://sim", path: "/api/v3/order", query: text + "&signature=" + client.sign(text),
                                  headers: ["X-MBX-APIKEY": client.apiKey])
        await #expect(throws: TransportError.self) { try await transport.send(request) }
        #expect(client.exchange.orderCount(clientOrderId: "before-1") == 0)
        let retried = try await transport.send(request)
        #expect(retried.status == 200)
        #expect(client.exchange.orderCount(clientOrderId: "before-1") == 1)
    }

    @Test func dropAfterCommitPlacesOrder() async throws {
        let plan = SimulatorFaultPlan(rules: [SimulatorFault(.dropAfterCommit, pathPrefix: "/api/v3/order")])
        let client = try SimTestClient.make(faults: plan)
        let transport = InProcessTransport(exchange: client.exchange)
        let text = SimTestClient.query(marketOrder + [("newClientOrderId", "after-1"), ("timestamp", String(SimTestClient.startTime))])
        let request = HTTPRequest(method: .post, baseURL: "http://sim", path: "/api/v3/order", query: text + "&signature=" + client.sign(text),
                                  headers: ["X-MBX-APIKEY": client.apiKey])
        do {
            _ = try await transport.send(request)
            Issue.record("expected the connection to drop")
        } catch {
            #expect(error == .outcomeUnknown("The simulated connection was closed before a response arrived."))
        }
        #expect(client.exchange.orderCount(clientOrderId: "after-1") == 1)
    }

    @Test func truncatedBodyIsCutShort() async throws {
        let client = try SimTestClient.make(faults: SimulatorFaultPlan(rules: [SimulatorFault(.truncatedBody)]))
        let reply = await client.exchange.serve(HTTPRequest(method: .get, baseURL: "http://sim", path: "/api/v3/ticker/price", query: "symbol=BTCUSDT"))
        guard case .truncated(let response, let keepBytes) = reply else {
            Issue.record("expected a truncated reply, got \(reply)")
            return
        }
        #expect(keepBytes == response.body.count / 2)
        #expect(keepBytes > 0)
        let transport = InProcessTransport(exchange: client.exchange)
        await #expect(throws: TransportError.outcomeUnknown("The simulated response body was cut short.")) {
            try await transport.send(HTTPRequest(method: .get, baseURL: "http://sim", path: "/api/v3/ping"))
        }
    }

    @Test func serverErrorsAndLimitsDoNotAct() async throws {
        let plan = SimulatorFaultPlan(rules: [
            SimulatorFault(.serverError(status: 502), trigger: .requests([1])),
            SimulatorFault(.tooManyRequests, trigger: .requests([2])),
            SimulatorFault(.banned, trigger: .requests([3])),
        ])
        let client = try SimTestClient.make(faults: plan)
        let orderWith = { (id: String) in self.marketOrder + [("newClientOrderId", id)] }
        let gateway = await client.order(orderWith("f1"))
        #expect(gateway.status == 502)
        #expect(gateway.body.isEmpty)
        let limited = await client.order(orderWith("f2"))
        #expect(limited.status == 429)
        #expect(limited.header("retry-after") == "1")
        let banned = await client.order(orderWith("f3"))
        #expect(banned.status == 418)
        #expect(SimTestClient.error(banned)?.code == -1003)
        for id in ["f1", "f2", "f3"] { #expect(client.exchange.orderCount(clientOrderId: id) == 0) }
        #expect(await client.order(orderWith("f4")).status == 200)
    }

    @Test func backendTimeoutCommitsOrder() async throws {
        let client = try SimTestClient.make(faults: SimulatorFaultPlan(rules: [SimulatorFault(.backendTimeout, pathPrefix: "/api/v3/order")]))
        let response = await client.order(marketOrder + [("newClientOrderId", "timeout-1")])
        #expect(response.status == 408)
        #expect(SimTestClient.error(response)?.code == -1007)
        #expect(SimTestClient.error(response)?.message == "Timeout waiting for response from backend server. Send status unknown; execution status unknown.")
        #expect(client.exchange.orderCount(clientOrderId: "timeout-1") == 1)
    }

    @Test func clockSkewShiftsServerTime() async throws {
        let client = try SimTestClient.make(faults: SimulatorFaultPlan(clockSkewMilliseconds: -2000))
        let body = SimTestClient.json(await client.get("/api/v3/time")) as? [String: Any]
        #expect(body?["serverTime"] as? Int64 == SimTestClient.startTime - 2000)
        let ahead = await client.signed(.get, "/api/v3/account", timestamp: SimTestClient.startTime)
        #expect(SimTestClient.error(ahead)?.code == -1021)
    }

    @Test func latencyStillAnswers() async throws {
        let client = try SimTestClient.make(faults: SimulatorFaultPlan(rules: [SimulatorFault(.latency(milliseconds: 1), trigger: .requests([1]))]))
        #expect(await client.get("/api/v3/ping").status == 200)
    }

    // MARK: - A fill winning the race with a cancel

    private static let cancelFault = SimulatorFaultPlan(rules: [
        SimulatorFault(.fillBeforeCancel, trigger: .requests([1]), pathPrefix: "/api/v3/order", method: "DELETE"),
    ])

    /// Places a GTC limit order far from the market, so it rests until something fills it.
    private func restingOrder(_ client: SimTestClient, side: String, price: Decimal, id: String) async throws -> [String: Any] {
        let placed = await client.order([
            ("symbol", "BTCUSDT"), ("side", side), ("type", "LIMIT"), ("timeInForce", "GTC"),
            ("quantity", "0.001"), ("price", DecimalText.format(price)), ("newClientOrderId", id),
        ])
        #expect(placed.status == 200, "\(String(decoding: placed.body, as: UTF8.self))")
        let body = try #require(SimTestClient.json(placed) as? [String: Any])
        #expect(body["status"] as? String == "NEW")
        return body
    }

    private func queried(_ client: SimTestClient, id: String) async throws -> [String: Any] {
        let response = await client.signed(.get, "/api/v3/order", [("symbol", "BTCUSDT"), ("origClientOrderId", id)])
        return try #require(SimTestClient.json(response) as? [String: Any])
    }

    @Test func fillBeforeCancelFillsBuyOrder() async throws {
        let client = try SimTestClient.make(faults: Self.cancelFault)
        let price = simFloor(await client.price("BTCUSDT") / 2, 0.01)
        let usdtBefore = await client.balance("USDT")
        let btcBefore = await client.balance("BTC")
        _ = try await restingOrder(client, side: "BUY", price: price, id: "race-buy")
        #expect(await client.balance("USDT").locked == usdtBefore.locked + price * Decimal(string: "0.001")!)

        let cancel = await client.signed(.delete, "/api/v3/order", [("symbol", "BTCUSDT"), ("origClientOrderId", "race-buy")])
        #expect(cancel.status == 400)
        let error = try #require(SimTestClient.error(cancel))
        #expect(error.code == -2011)
        #expect(error.message == "Unknown order sent.")

        // The exchange's truth: one order, filled in full at its limit price, balances moved once.
        #expect(client.exchange.orderCount(clientOrderId: "race-buy") == 1)
        #expect(client.exchange.openOrderCount == 0)
        let order = try await queried(client, id: "race-buy")
        #expect(order["status"] as? String == "FILLED")
        #expect(order["executedQty"] as? String == "0.00100000")
        let cost = price * Decimal(string: "0.001")!
        #expect(DecimalText.parse(order["cummulativeQuoteQty"] as? String ?? "") == cost)
        let usdtAfter = await client.balance("USDT")
        #expect(usdtAfter.free == usdtBefore.free - cost)
        #expect(usdtAfter.locked == usdtBefore.locked)
        // The maker commission (0.1 %) is charged in the asset received.
        #expect(await client.balance("BTC").free == btcBefore.free + Decimal(string: "0.000999")!)
        let trades = await client.signed(.get, "/api/v3/myTrades", [("symbol", "BTCUSDT")])
        let list = try #require(SimTestClient.json(trades) as? [[String: Any]])
        #expect(list.count == 1)
        #expect(DecimalText.parse(list.first?["price"] as? String ?? "") == price)
        #expect(list.first?["isMaker"] as? Bool == true)
        #expect(list.first?["isBuyer"] as? Bool == true)

        // The fault fired once. A second cancel gets the same -2011 and changes nothing.
        let again = await client.signed(.delete, "/api/v3/order", [("symbol", "BTCUSDT"), ("origClientOrderId", "race-buy")])
        #expect(SimTestClient.error(again)?.code == -2011)
        #expect(await client.balance("USDT") == usdtAfter)
    }

    @Test func fillBeforeCancelFillsSellOrderOnce() async throws {
        let client = try SimTestClient.make(faults: Self.cancelFault)
        let price = simFloor(await client.price("BTCUSDT") * 2, 0.01)
        let usdtBefore = await client.balance("USDT")
        let btcBefore = await client.balance("BTC")
        let placed = try await restingOrder(client, side: "SELL", price: price, id: "race-sell")
        let orderId = try #require(placed["orderId"] as? Int)

        let cancel = await client.signed(.delete, "/api/v3/order", [("symbol", "BTCUSDT"), ("orderId", String(orderId))])
        #expect(SimTestClient.error(cancel)?.code == -2011)
        let order = try await queried(client, id: "race-sell")
        #expect(order["status"] as? String == "FILLED")
        let btcAfter = await client.balance("BTC")
        #expect(btcAfter.free == btcBefore.free - Decimal(string: "0.001")!)
        #expect(btcAfter.locked == 0)
        let proceeds = price * Decimal(string: "0.001")!
        let commission = proceeds * Decimal(string: "0.001")!
        #expect(await client.balance("USDT").free == usdtBefore.free + proceeds - commission)
    }

    @Test func fillBeforeCancelSparesOtherRequests() async throws {
        // Without a method or path, the fault fires on every request but acts only on a cancel of an open order.
        let client = try SimTestClient.make(faults: SimulatorFaultPlan(rules: [SimulatorFault(.fillBeforeCancel)]))
        let price = simFloor(await client.price("BTCUSDT") / 2, 0.01)
        _ = try await restingOrder(client, side: "BUY", price: price, id: "race-calm")
        #expect(try await queried(client, id: "race-calm")["status"] as? String == "NEW")
        #expect(client.exchange.openOrderCount == 1)
        // A cancel of an order that does not exist gets the usual -2011.
        let missing = await client.signed(.delete, "/api/v3/order", [("symbol", "BTCUSDT"), ("origClientOrderId", "nothing")])
        #expect(SimTestClient.error(missing)?.code == -2011)
        #expect(client.exchange.openOrderCount == 1)
    }

    @Test func fillBeforeCancelThroughLoopbackServer() async throws {
        // `--serve-sim` reads the plan from the environment and answers on its own connection threads.
        setenv("no_proxy", "127.0.0.1,localhost", 1)
        let plan = try #require(try SimulatorFaultPlan.fromEnvironment(
            ["BINANCE_SIM_FAULTS": "fill-before-cancel#1^DELETE~/api/v3/order"]
        ))
        let client = try SimTestClient.make(faults: plan)
        let server = try SimulatorServer.start(exchange: client.exchange)
        defer { server.stop() }
        let price = simFloor(await client.price("BTCUSDT") / 2, 0.01)
        _ = try await restingOrder(client, side: "BUY", price: price, id: "race-served")

        let text = "symbol=BTCUSDT&origClientOrderId=race-served&timestamp=\(client.clock.now)"
        var request = URLRequest(url: URL(string: server.url + "/api/v3/order?" + text + "&signature=" + client.sign(text))!)
        request.httpMethod = "DELETE"
        request.setValue(client.apiKey, forHTTPHeaderField: "X-MBX-APIKEY")
        let (data, response) = try await URLSession(configuration: .ephemeral).data(for: request)
        #expect((response as? HTTPURLResponse)?.statusCode == 400)
        #expect(String(decoding: data, as: UTF8.self) == #"{"code":-2011,"msg":"Unknown order sent."}"#)
        #expect(try await queried(client, id: "race-served")["status"] as? String == "FILLED")
        #expect(client.exchange.openOrderCount == 0)
    }

    @Test func cancelWithoutFaultCancels() async throws {
        let client = try SimTestClient.make()
        let price = simFloor(await client.price("BTCUSDT") / 2, 0.01)
        let usdtBefore = await client.balance("USDT")
        _ = try await restingOrder(client, side: "BUY", price: price, id: "race-none")
        let cancel = await client.signed(.delete, "/api/v3/order", [("symbol", "BTCUSDT"), ("origClientOrderId", "race-none")])
        #expect(cancel.status == 200)
        #expect(try await queried(client, id: "race-none")["status"] as? String == "CANCELED")
        #expect(await client.balance("USDT") == usdtBefore)
    }
}
