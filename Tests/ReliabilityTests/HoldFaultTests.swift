import BinanceAPI
import Foundation
import Simulator
import Testing
import TestSupport

/// The fault plan's holds: parsing, the method filter, and what the exchange does with a held order.
@Suite struct HoldFaultTests {
    private static let marketOrder = [("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "MARKET"), ("quantity", "0.001")]

    @Test func holdsParseWithMethod() throws {
        let plan = try SimulatorFaultPlan.parse(
            "hold-before-commit=12000ms#1^POST~/api/v3/order, late-commit=3000ms^DELETE, hold-after-commit=500@0.5"
        )
        #expect(plan.rules == [
            SimulatorFault(.holdBeforeCommit(milliseconds: 12_000), trigger: .requests([1]), pathPrefix: "/api/v3/order",
                           method: "POST"),
            SimulatorFault(.lateCommit(milliseconds: 3_000), method: "DELETE"),
            SimulatorFault(.holdAfterCommit(milliseconds: 500), trigger: .probability(0.5)),
        ])
    }

    @Test(arguments: ["late-commit", "hold-after-commit=soon", "hold-before-commit=-5ms", "429^PATCH", "truncate^"])
    func invalidHoldItemIsRejected(_ item: String) {
        #expect(throws: SimulatorFaultPlanError.self) { try SimulatorFaultPlan.parse(item) }
    }

    /// Sends one signed market order with `clientOrderID` straight to the exchange.
    private func placeOrder(_ client: SimTestClient, _ clientOrderID: String) async -> SimulatorReply {
        let text = SimTestClient.query(Self.marketOrder + [
            ("newClientOrderId", clientOrderID), ("timestamp", String(SimTestClient.startTime)),
        ])
        let request = HTTPRequest(
            method: .post,
            baseURL: "http://sim",
            path: "/api/v3/order",
            query: text + "&signature=" + client.sign(text),
            headers: ["X-MBX-APIKEY": client.apiKey]
        )
        return await client.exchange.serve(request)
    }

    private func isPlaced(_ reply: SimulatorReply) -> Bool {
        if case .response(let response) = reply { return response.status == 200 }
        return false
    }

    @Test func holdBeforeCommitDropsWithoutOrder() async throws {
        let plan = SimulatorFaultPlan(rules: [
            SimulatorFault(.holdBeforeCommit(milliseconds: 50), pathPrefix: "/api/v3/order", method: "POST"),
        ])
        let client = try SimTestClient.make(faults: plan)
        let reply = await placeOrder(client, "held-before")
        #expect(reply == .dropConnection)
        #expect(client.exchange.orderCount(clientOrderId: "held-before") == 0)
    }

    @Test func lateCommitPlacesAfterHold() async throws {
        let plan = SimulatorFaultPlan(rules: [SimulatorFault(.lateCommit(milliseconds: 50), method: "POST")])
        let client = try SimTestClient.make(faults: plan)
        let reply = await placeOrder(client, "late")
        #expect(isPlaced(reply))
        #expect(client.exchange.orderCount(clientOrderId: "late") == 1)
    }

    @Test func holdAfterCommitPlacesThenAnswers() async throws {
        let plan = SimulatorFaultPlan(rules: [SimulatorFault(.holdAfterCommit(milliseconds: 50), method: "POST")])
        let client = try SimTestClient.make(faults: plan)
        let reply = await placeOrder(client, "held-after")
        #expect(isPlaced(reply))
        #expect(client.exchange.orderCount(clientOrderId: "held-after") == 1)
    }

    @Test func methodFilterSkipsOtherMethods() async throws {
        // A drop on every DELETE leaves GET and POST alone.
        let plan = SimulatorFaultPlan(rules: [SimulatorFault(.holdBeforeCommit(milliseconds: 0), method: "DELETE")])
        let client = try SimTestClient.make(faults: plan)
        #expect(isPlaced(await placeOrder(client, "unfiltered")))
        let ticker = await client.exchange.serve(
            HTTPRequest(method: .get, baseURL: "http://sim", path: "/api/v3/ticker/price", query: "symbol=BTCUSDT")
        )
        #expect(isPlaced(ticker))
    }
}
