import BinanceAPI
import Foundation
import Simulator
import Testing
import TestSupport
import Tools

@Suite("Order identity across duplicates and restarts")
struct OrderIdentityTests {
    @Test func duplicateClientOrderIDPlacesOneOrder() async throws {
        let exchange = try ReliabilityHarness.canaryExchange()
        let server = try ReliabilityServer(exchange: exchange)
        defer { server.stop() }
        let home = try BinaryRunner.temporaryHome()
        let id = "dup-" + String(UUID().uuidString.prefix(8))
        let order = "create_order symbol=BTCUSDT side=BUY order_type=LIMIT quantity=0.001 price=50000 client_order_id=\(id)"

        let run = try await ReliabilityHarness.runScript([order, order, "get_open_orders symbol=BTCUSDT"], server: server, home: home)

        #expect(run.result(1).isSuccess, "\(run.output.stdout)")
        #expect(run.result(2).errorType == "binance_api_error", "\(run.result(2).serialized())")
        #expect(run.result(2).errorCode == -2010)
        #expect(exchange.orderCount(clientOrderId: id) == 1)
        #expect(exchange.openOrderCount == 1)
        #expect(run.result(3)["data"]?["orders"]?.arrayValue?.count == 1, "\(run.result(3).serialized())")
    }

    /// The product is stopped after the exchange committed the order but before the answer arrived; the
    /// next start finds the intent in the audit log, looks the order up and reports it, and never sends it again.
    @Test func restartReconcilesOrderInFlight() async throws {
        let exchange = try ReliabilityHarness.canaryExchange()
        let posts = RequestCounter()
        let server = try ReliabilityServer(exchange: exchange) { request, _, exchange in
            guard request.method == .post, request.path == "/api/v3/order" else { return await exchange.serve(request) }
            _ = posts.next("POST")
            let reply = await exchange.serve(request)
            // Hold the answer back until the product has been stopped.
            try? await Task.sleep(for: .seconds(15))
            return reply
        }
        defer { server.stop() }
        let home = try BinaryRunner.temporaryHome()
        let id = "rst-" + String(UUID().uuidString.prefix(8))

        // Script mode on a pipe that stays open; the process is stopped once the exchange has the order.
        let first = try MCPProcess(arguments: ["--json"], environment: ReliabilityHarness.environment(server: server, home: home))
        first.send("create_order symbol=BTCUSDT side=BUY order_type=LIMIT quantity=0.001 price=50000 client_order_id=\(id)")
        let committed = try await ReliabilityHarness.offPool {
            let deadline = Date().addingTimeInterval(60)
            while exchange.orderCount(clientOrderId: id) == 0, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
            return exchange.orderCount(clientOrderId: id) == 1
        }
        #expect(committed, "the order never reached the exchange")
        first.terminate()
        _ = try await ReliabilityHarness.offPool { first.waitForExit(timeout: .seconds(60)) }
        #expect(exchange.orderCount(clientOrderId: id) == 1)

        let second = try await ReliabilityHarness.runScript(["get_status"], server: server, home: home)
        #expect(second.output.stderr.contains(id), "stderr: \(second.output.stderr)")
        #expect(second.output.stderr.contains("is NEW on the exchange"), "stderr: \(second.output.stderr)")
        #expect(exchange.orderCount(clientOrderId: id) == 1)
        #expect(posts.next("POST") == 2, "the order was sent again")

        // The finding is recorded, so a third start reports nothing.
        let third = try await ReliabilityHarness.runScript(["get_status"], server: server, home: home)
        #expect(!third.output.stderr.contains(id), "stderr: \(third.output.stderr)")
        let audit = ReliabilityHarness.files(under: home).filter { $0.path.hasSuffix(".jsonl") }
        let text = audit.map { String(decoding: $0.contents, as: UTF8.self) }.joined()
        #expect(text.contains("intent_reported"))
    }
}
