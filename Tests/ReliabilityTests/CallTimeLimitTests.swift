import BinanceAPI
import Foundation
import Simulator
import Testing
import TestSupport
import Tools

/// `BINANCE_CALL_TIMEOUT` bounds the exchange requests of one command, so an exchange that hangs costs one time
/// limit, not every request's timeout times its retries. An order that may have been sent is still looked up.
@Suite("Time limit of one call")
struct CallTimeLimitTests {
    /// A request timeout far longer than the call's limit: without the limit one `price` would take minutes.
    private static let settings = ["BINANCE_REQUEST_TIMEOUT": "20000", "BINANCE_CALL_TIMEOUT": "1500"]
    /// Room for the reads an order needs before it is sent, on a machine busy with other tests: 3000 ms once ran
    /// out in the first `price` while the client's tests ran beside this one.
    private static let orderSettings = ["BINANCE_REQUEST_TIMEOUT": "60000", "BINANCE_CALL_TIMEOUT": "10000"]

    @Test func priceAgainstSilentServerNamesLimit() async throws {
        let server = try SilentLoopbackServer()
        defer { server.stop() }
        let home = try BinaryRunner.temporaryHome()
        var extra = Self.settings
        extra["BINANCE_BASE_URL"] = server.baseURL
        extra["BINANCE_API_KEY"] = ReliabilityHarness.canaryKey
        extra["BINANCE_API_SECRET"] = ReliabilityHarness.canarySecret

        let output = try await ReliabilityHarness.runBinary(
            ["--json"],
            input: "price BTCUSDT\n",
            environment: BinaryRunner.cleanEnvironment(home: home, extra: extra),
            timeout: .seconds(120)
        )

        #expect(!output.timedOut)
        #expect(output.status == 1, "stderr: \(output.stderr)")
        let result = try JSONValue.parse(Data(output.stdout.utf8))
        #expect(result["error"]?["type"]?.stringValue == "network_error", "\(output.stdout)")
        let message = result["error"]?["message"]?.stringValue ?? ""
        #expect(message.hasPrefix("The call timed out: "), "\(message)")
        #expect(message.contains("BINANCE_CALL_TIMEOUT (1500 ms)"), "\(message)")
        #expect(result["error"]?["hint"]?.stringValue?.contains("raise BINANCE_CALL_TIMEOUT") == true)
        #expect(result["error"]?["call_timeout_ms"]?.decimalValue == 1500)
        #expect(server.connectionCount >= 1)
    }

    /// In table format the shell loads the symbol list before the first command that calls the exchange, outside
    /// that command's limit. The load gets one request timeout at most, so it cannot retry against a server that
    /// hangs.
    @Test func tableModeStartupLoadIsBounded() async throws {
        let server = try SilentLoopbackServer()
        defer { server.stop() }

        let output = try await Self.runTableScript("price BTCUSDT\n", against: server)

        #expect(output.status == 1, "stderr: \(output.stderr)")
        #expect(output.stderr.contains("line 1: The call timed out: "), "\(output.stderr)")
        #expect(output.stderr.contains("BINANCE_CALL_TIMEOUT (1500 ms)"), "\(output.stderr)")
        // One request for the symbol list's limits and one for the price, each cut off by its time limit. Without a
        // limit on the load, it alone would send eight (two reads, each tried four times). Only these paths are
        // counted, because a test that sends to a port it found free may reach this server by chance.
        let exchangeInfoRequests = server.requests.filter { $0.hasPrefix("GET /api/v3/exchangeInfo") }
        let priceRequests = server.requests.filter { $0.hasPrefix("GET /api/v3/ticker/price") }
        #expect(exchangeInfoRequests.count == 1, "\(server.requests)")
        #expect(priceRequests.count == 1, "\(server.requests)")
    }

    /// Commands that need no exchange, such as `help` and `status`, never wait for the symbol list.
    @Test func localCommandsSendNothing() async throws {
        let server = try SilentLoopbackServer()
        defer { server.stop() }

        let output = try await Self.runTableScript("help\nstatus\nhelp price\n", against: server)

        #expect(output.status == 0, "stderr: \(output.stderr)")
        #expect(output.stdout.contains("Type 'help NAME' for one command or tool."), "\(output.stdout)")
        let exchangeRequests = server.requests.filter { $0.contains(" /api/") }
        #expect(exchangeRequests.isEmpty, "\(server.requests)")
    }

    /// Runs `input` in script mode with table output against `server`, with the canary key and `settings`.
    private static func runTableScript(_ input: String, against server: SilentLoopbackServer) async throws
        -> BinaryRunner.Output
    {
        var extra = settings
        extra["BINANCE_BASE_URL"] = server.baseURL
        extra["BINANCE_API_KEY"] = ReliabilityHarness.canaryKey
        extra["BINANCE_API_SECRET"] = ReliabilityHarness.canarySecret
        return try await ReliabilityHarness.runBinary(
            [],
            input: input,
            environment: BinaryRunner.cleanEnvironment(home: try BinaryRunner.temporaryHome(), extra: extra),
            timeout: .seconds(300)
        )
    }

    /// The exchange keeps the order's response back past the call's limit. The product must not call the order "not
    /// sent": it looks the order up by client order id and reports what it finds.
    @Test(arguments: [false, true])
    func heldOrderIsLookedUp(isCommitted: Bool) async throws {
        let exchange = try ReliabilityHarness.canaryExchange()
        let posts = RequestCounter()
        let server = try ReliabilityServer(exchange: exchange) { request, _, exchange in
            guard request.method == .post, request.path == "/api/v3/order" else { return await exchange.serve(request) }
            _ = posts.next("POST")
            let reply: SimulatorReply = isCommitted ? await exchange.serve(request) : .dropConnection
            // Longer than the call's limit and its lookup together. The connection is closed when the test ends.
            try? await Task.sleep(for: .seconds(60))
            return reply
        }
        defer { server.stop() }
        let home = try BinaryRunner.temporaryHome()
        let id = "ctl-" + String(UUID().uuidString.prefix(8))
        let commands = [
            // Reads first, so the limits, the clock and the symbol's rules are known before the order's time runs.
            "price BTCUSDT",
            "balance",
            "create_order symbol=BTCUSDT side=BUY order_type=LIMIT quantity=0.001 price=50000 client_order_id=\(id)",
        ]

        let run = try await ReliabilityHarness.runScript(commands, server: server, home: home, extra: Self.orderSettings)

        #expect(run.result(1).isSuccess, "\(run.output.stdout)")
        let order = run.result(3)
        let lookups = server.requests.filter {
            $0.method == "GET" && $0.path == "/api/v3/order" && $0.query.contains("origClientOrderId=\(id)")
        }
        #expect(posts.next("POST") == 2, "the order was sent more than once")
        #expect(!lookups.isEmpty, "the order was never looked up")
        #expect(exchange.orderCount(clientOrderId: id) == (isCommitted ? 1 : 0))
        if isCommitted {
            #expect(order.isSuccess, "\(order.serialized())")
            #expect(order["data"]?["placed"]?["clientOrderId"]?.stringValue == id, "\(order.serialized())")
        } else {
            #expect(order.errorType == "order_status_unknown", "\(order.serialized())")
            let message = order["error"]?["message"]?.stringValue ?? ""
            #expect(message.contains("'\(id)'"), "\(message)")
            #expect(message.contains("BINANCE_CALL_TIMEOUT (10000 ms)"), "\(message)")
        }
    }
}
