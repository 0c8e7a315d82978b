import BinanceAPI
import Foundation
import Simulator
import Testing
import TestSupport
import Tools

@Suite("Load through the rate limiter")
struct LoadTests {
    static let weightLimit = 400
    static let orderLimit = 8

    /// 64 MCP tool calls kept in flight and a script running beside them, against one exchange with small
    /// limits: the exchange never counts a window over its limits and answers no 429 or 418, while the clients
    /// still use most of the weight budget.
    @Test func concurrentCallsStayWithinExchangeLimits() async throws {
        let exchange = try ReliabilityHarness.canaryExchange(
            rateLimits: SimulatorRateLimits(
                requestWeightPerMinute: Self.weightLimit,
                ordersPerTenSeconds: Self.orderLimit,
                rejectionsBeforeBan: 1_000
            )
        )
        let server = try ReliabilityServer(exchange: exchange)
        defer { server.stop() }
        let home = try BinaryRunner.temporaryHome()
        let environment = ReliabilityHarness.environment(
            server: server,
            home: home,
            extra: ["MCP_RATE_LIMIT_ENABLED": "false", "MCP_LOG_SECURITY": "false"]
        )

        let script = Task.detached {
            var lines: [String] = []
            for index in 0..<150 {
                lines.append(index.isMultiple(of: 3) ? "buy BTCUSDT 0.0002" : "book BTCUSDT 5")
            }
            return try await ReliabilityHarness.runBinary(
                ["--json"],
                input: lines.joined(separator: "\n") + "\n",
                environment: environment,
                timeout: .seconds(14)
            )
        }

        let mcp = try MCPProcess(environment: environment)
        mcp.send(#"{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"load","version":"1"}}}"#)
        _ = try await ReliabilityHarness.offPool { try mcp.readLine() }
        mcp.send(#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#)
        let calls = [
            #""name":"get_ticker_price","arguments":{"symbol":"BTCUSDT"}"#,
            #""name":"get_order_book","arguments":{"symbol":"ETHUSDT","limit":100}"#,
            #""name":"get_ticker","arguments":{"symbol":"BNBUSDT"}"#,
            #""name":"create_order","arguments":{"symbol":"BTCUSDT","side":"SELL","order_type":"MARKET","quantity":"0.0002"}"#,
        ]
        var nextID = 1
        var inFlight = 0
        var replies = 0
        var toolErrors: [String: Int] = [:]
        let deadline = Date().addingTimeInterval(12)
        while Date() < deadline {
            while inFlight < 64 {
                let call = calls[nextID % calls.count]
                mcp.send(#"{"jsonrpc":"2.0","id":\#(nextID),"method":"tools/call","params":{\#(call)}}"#)
                nextID += 1
                inFlight += 1
            }
            guard let line = try await ReliabilityHarness.offPool({ try mcp.readLine(timeout: .seconds(10)) }) else { break }
            let reply = try JSONValue.parse(Data(line.utf8))
            guard reply["id"] != nil else { continue }
            inFlight -= 1
            replies += 1
            if let type = reply["result"]?["structuredContent"]?["error"]?["type"]?.stringValue {
                toolErrors[type, default: 0] += 1
            }
        }
        mcp.closeInput()
        _ = try await ReliabilityHarness.offPool { mcp.waitForExit(timeout: .seconds(30)) }
        let scriptOutput = try await script.value

        let requests = server.requests
        let refused = requests.filter { $0.status == 429 || $0.status == 418 }
        let usedWeights = requests.compactMap { $0.responseHeaders["x-mbx-used-weight-1m"].flatMap { Int($0) } }
        let peakWeight = usedWeights.max() ?? 0
        let orderCounts = requests.compactMap { $0.responseHeaders["x-mbx-order-count-10s"].flatMap { Int($0) } }
        // Not uselessly timid: the busiest minute window used at least 80 % of the weight budget.
        #expect(peakWeight * 10 >= Self.weightLimit * 8, "peak weight \(peakWeight) of \(Self.weightLimit)")
        // Both processes read the exchange's small limits before their first burst and reserve every request
        // in one shared file, so together they stay within each window of the exchange.
        #expect(peakWeight <= Self.weightLimit)
        #expect((orderCounts.max() ?? 0) <= Self.orderLimit, "order counts \(orderCounts)")
        let refusedPaths = refused.map(\.path)
        #expect(refusedPaths.isEmpty, "the exchange refused \(refusedPaths.count) requests: \(refusedPaths)")
        #expect(replies > 64, "MCP replies: \(replies)")
        // The script ran: it printed results, or it waits (as scripts do) for the window the MCP calls filled.
        #expect(
            !scriptOutput.stdout.isEmpty || scriptOutput.stderr.contains("Waiting"),
            "script stderr: \(scriptOutput.stderr.prefix(500))"
        )
        print("load: \(requests.count) requests, peak weight \(peakWeight)/\(Self.weightLimit), "
            + "\(replies) MCP replies, tool errors \(toolErrors)")
    }

    /// Two processes with one key: a 429 `Retry-After` or a 418 ban that one of them receives stops the other.
    @Test(arguments: [429, 418])
    func secondProcessObeysPause(status: Int) async throws {
        let exchange = try ReliabilityHarness.canaryExchange()
        let counter = RequestCounter()
        let server = try ReliabilityServer(exchange: exchange) { request, _, exchange in
            // The MCP process's first price request meets the pause; nothing else is refused.
            if request.path == "/api/v3/ticker/price", counter.next("price") == 1 {
                return await Faults.pause(status: status, seconds: 4)(request, exchange)
            }
            return await exchange.serve(request)
        }
        defer { server.stop() }
        let home = try BinaryRunner.temporaryHome()
        let environment = ReliabilityHarness.environment(server: server, home: home)

        let mcp = try MCPProcess(environment: environment)
        mcp.send(#"{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"pause","version":"1"}}}"#)
        _ = try await ReliabilityHarness.offPool { try mcp.readLine() }
        mcp.send(#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#)
        mcp.send(#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"get_ticker_price","arguments":{"symbol":"BTCUSDT"}}}"#)
        let line = try await ReliabilityHarness.offPool { try mcp.readLine() }
        let reply = try JSONValue.parse(Data((line ?? "").utf8))
        #expect(reply["result"]?["structuredContent"]?["error"]?["type"]?.stringValue == "rate_limit_exceeded")
        let pausedAt = try #require(server.requests.last { $0.status == status }).time

        // The script process starts after the pause was received and must send nothing until it ends.
        let countBefore = server.requests.count
        let script = try await ReliabilityHarness.runScript(["price BTCUSDT", "balance"], server: server, home: home)
        let during = server.requests.dropFirst(countBefore).filter { $0.time < pausedAt + 4_000 }
        #expect(during.isEmpty, "the second process sent \(during.map(\.path)) during the pause")
        // The script either refuses at once or waits for the pause to end; it never sends into it.
        if !script.result(1).isSuccess {
            #expect(script.result(1).errorType == "rate_limit_exceeded", "\(script.output.stdout)")
        }
        mcp.closeInput()
        _ = try await ReliabilityHarness.offPool { mcp.waitForExit() }
    }
}
