import Foundation
import TestSupport
import Testing
import Tools

/// Every tool of the built executable's registry, called twice on the paper venue: once through the shell's
/// own parser in script mode with `--json`, once as an MCP `tools/call` over stdio. Each run has a fresh home
/// and the same fixed exchange clock, so both see the same market and the same new account, and the
/// structured results must be equal apart from the fields `ignoredFields` lists.
@Suite(.serialized) struct ToolParityTests {
    /// One call as the shell's script line and as the MCP arguments.
    struct Call: Sendable {
        var tool: String
        /// `key=value` words after the tool name, in the shell's loose style (lowercase symbols and enumerations).
        var shell: [String]
        var typed: [String: JSONValue]
    }

    /// Fields whose values legitimately differ between the two runs, by tool and path inside `data`.
    ///
    /// `get_status` measures the local clock and the cache age in real time, which the two processes read at
    /// different moments, and the clock counts as synchronized only after a request was late enough to make the
    /// client measure it. Every order carries its client order id, because a generated one names the way in
    /// (`bss` script, `bsm` MCP) and would differ in every order listing after it.
    static let ignoredFields: [(tool: String, path: [String])] = [
        ("get_status", ["clockOffsetMs"]),
        ("get_status", ["clockSynchronized"]),
        ("get_status", ["exchangeInfoAgeSeconds"]),
    ]

    /// The calls in the order they run: reads first, then a MARKET order, an iceberg order that rests on the
    /// book, queries of it, its cancel, and a trailing stop canceled with the rest.
    /// `PRICE` stands for a BUY price far below the market, filled in from the exchange's average price.
    static let sequence: [Call] = [
        Call(tool: "get_status", shell: [], typed: [:]),
        Call(tool: "get_ticker_price", shell: ["symbol=btcusdt"], typed: ["symbol": "BTCUSDT"]),
        Call(tool: "get_ticker", shell: ["symbol=ETHUSDT"], typed: ["symbol": "ETHUSDT"]),
        Call(tool: "get_order_book", shell: ["symbol=BTCUSDT", "limit=5"], typed: ["symbol": "BTCUSDT", "limit": 5]),
        Call(tool: "get_available_assets", shell: ["quote_asset=usdt", "search=ETH", "limit=3"],
             typed: ["quote_asset": "USDT", "search": "ETH", "limit": 3]),
        Call(tool: "get_fee_info", shell: ["symbol=BTCUSDT"], typed: ["symbol": "BTCUSDT"]),
        Call(tool: "get_balance", shell: ["include_zero=false"], typed: ["include_zero": false]),
        Call(tool: "get_account_snapshot", shell: ["account_type=spot"], typed: ["account_type": "SPOT"]),
        Call(tool: "get_klines", shell: ["symbol=BTCUSDT", "interval=1H", "limit=3"],
             typed: ["symbol": "BTCUSDT", "interval": "1h", "limit": 3]),
        Call(tool: "get_recent_trades", shell: ["symbol=BTCUSDT", "limit=3"], typed: ["symbol": "BTCUSDT", "limit": 3]),
        Call(tool: "get_avg_price", shell: ["symbol=BTCUSDT"], typed: ["symbol": "BTCUSDT"]),
        Call(tool: "get_symbol_info", shell: ["symbol=1inchusdt"], typed: ["symbol": "1INCHUSDT"]),
        Call(tool: "get_symbol_info", shell: ["symbol=btcusdt", "market=futures"],
             typed: ["symbol": "BTCUSDT", "market": "FUTURES"]),
        Call(tool: "get_funding_rate", shell: ["symbol=BTCUSDT"], typed: ["symbol": "BTCUSDT"]),
        Call(tool: "get_position_info", shell: [], typed: [:]),
        Call(tool: "get_pnl", shell: ["limit=5"], typed: ["limit": 5]),
        Call(tool: "get_liquidation_history", shell: ["limit=5"], typed: ["limit": 5]),
        Call(tool: "get_deposit_address", shell: ["coin=btc"], typed: ["coin": "BTC"]),
        Call(tool: "get_deposit_history", shell: ["coin=usdt"], typed: ["coin": "USDT"]),
        Call(tool: "get_withdraw_history", shell: ["coin=usdt"], typed: ["coin": "USDT"]),
        Call(tool: "create_order",
             shell: ["symbol=BTCUSDT", "side=buy", "order_type=market", "quantity=0.00100", "client_order_id=parity-market"],
             typed: ["symbol": "BTCUSDT", "side": "BUY", "order_type": "MARKET", "quantity": .number(Decimal(string: "0.001")!),
                     "client_order_id": "parity-market"]),
        Call(tool: "preview_order", shell: ["symbol=BTCUSDT", "side=sell", "order_type=market", "quantity=all"],
             typed: ["symbol": "BTCUSDT", "side": "SELL", "order_type": "MARKET", "quantity": "all"]),
        Call(tool: "create_order",
             shell: ["symbol=BTCUSDT", "side=BUY", "order_type=limit", "quantity=0.001", "price=PRICE",
                     "iceberg_qty=0.0005", "client_order_id=parity-open"],
             typed: ["symbol": "BTCUSDT", "side": "BUY", "order_type": "LIMIT", "quantity": "0.001", "price": "PRICE",
                     "iceberg_qty": "0.0005", "client_order_id": "parity-open"]),
        Call(tool: "get_order", shell: ["symbol=BTCUSDT", "client_order_id=parity-open"],
             typed: ["symbol": "BTCUSDT", "client_order_id": "parity-open"]),
        Call(tool: "get_open_orders", shell: ["symbol=BTCUSDT"], typed: ["symbol": "BTCUSDT"]),
        Call(tool: "get_orders", shell: ["symbol=BTCUSDT", "limit=10"], typed: ["symbol": "BTCUSDT", "limit": 10]),
        Call(tool: "get_my_trades", shell: ["symbol=BTCUSDT", "limit=5"], typed: ["symbol": "BTCUSDT", "limit": 5]),
        Call(tool: "cancel_order", shell: ["symbol=BTCUSDT", "order_id=2"], typed: ["symbol": "BTCUSDT", "order_id": 2]),
        Call(tool: "create_order",
             shell: ["symbol=BTCUSDT", "side=SELL", "order_type=stop_loss_limit", "quantity=0.001", "price=PRICE",
                     "trailing_delta=200", "client_order_id=parity-trail"],
             typed: ["symbol": "BTCUSDT", "side": "SELL", "order_type": "STOP_LOSS_LIMIT", "quantity": "0.001",
                     "price": "PRICE", "trailing_delta": 200, "client_order_id": "parity-trail"]),
        Call(tool: "cancel_open_orders", shell: ["symbol=btcusdt"], typed: ["symbol": "BTCUSDT"]),
    ]

    // MARK: - Running the executable

    /// Settings shared by both runs: a fresh home, the fixed exchange clock, the widest receive window so the
    /// client's real-time timestamps stay valid against the fixed clock, and no security echo on stderr.
    func environment(clock: Int64) throws -> (home: String, variables: [String: String]) {
        let home = try BinaryRunner.temporaryHome()
        let variables = BinaryRunner.cleanEnvironment(home: home, extra: [
            "BINANCE_SIM_CLOCK": String(clock),
            "BINANCE_RECV_WINDOW": "60000",
            "MCP_LOG_SECURITY": "false",
        ])
        return (home, variables)
    }

    /// Runs `lines` as one script with `--json` and returns one parsed result per line.
    func runScript(_ lines: [String], clock: Int64) throws -> [JSONValue] {
        let (home, variables) = try environment(clock: clock)
        defer { try? FileManager.default.removeItem(atPath: home) }
        let output = try BinaryRunner.run(["--json"], input: lines.joined(separator: "\n") + "\n", environment: variables,
                                          workingDirectory: home, timeout: .seconds(120))
        #expect(!output.timedOut)
        #expect(output.status == 0, "script failed: \(output.stderr)")
        return try output.stdout.split(separator: "\n").map { try JSONValue.parse(Data($0.utf8)) }
    }

    /// Starts `--mcp`, lists the tools, calls each of `calls`, and returns the listed names and each call's
    /// `structuredContent`.
    func runMCP(_ calls: [Call], clock: Int64) async throws -> (tools: [String], results: [JSONValue]) {
        let (home, variables) = try environment(clock: clock)
        defer { try? FileManager.default.removeItem(atPath: home) }
        let server = try MCPProcess(environment: variables)
        var requests = [MCPStdioTests.initialize, MCPStdioTests.initialized, #"{"jsonrpc":"2.0","id":2,"method":"tools/list"}"#]
        for (index, call) in calls.enumerated() {
            let request: JSONValue = [
                "jsonrpc": "2.0", "id": .int(100 + index), "method": "tools/call",
                "params": ["name": .string(call.tool), "arguments": .object(call.typed)],
            ]
            requests.append(request.serialized())
        }
        let lines = requests
        let replies = try await runOffThePool { () throws -> [JSONValue] in
            var replies: [JSONValue] = []
            for line in lines {
                server.send(line)
                guard line.contains(#""id":"#) else { continue }
                // Waits for this request's reply before sending the next, so the calls run in order.
                while let text = try server.readLine(timeout: .seconds(120)) {
                    let message = try JSONValue.parse(Data(text.utf8))
                    if message["id"] != nil {
                        replies.append(message)
                        break
                    }
                }
            }
            server.closeInput()
            _ = server.waitForExit(timeout: .seconds(30))
            return replies
        }
        let list = try #require(replies.first { $0["id"] == .int(2) })
        // A paged list would hide tools from the coverage check below, so paging must be followed first.
        #expect(list["result"]?["nextCursor"] == nil, "tools/list is paged: follow nextCursor to see every tool")
        let tools = list["result"]?["tools"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
        var results: [JSONValue] = []
        for index in calls.indices {
            let reply = try #require(replies.first { $0["id"] == .int(100 + index) }, "no reply to call \(index)")
            results.append(reply["result"]?["structuredContent"] ?? .null)
        }
        return (tools, results)
    }

    /// Returns a BUY price far below BTCUSDT's average at `clock`, on its tick, from a script run of
    /// `get_avg_price`: it rests on the book and passes PERCENT_PRICE_BY_SIDE.
    func restingPrice(clock: Int64) throws -> String {
        let result = try #require(try runScript(["get_avg_price symbol=BTCUSDT"], clock: clock).first)
        let average = try #require(result["data"]?["price"]?.stringValue.flatMap { Decimal(string: $0) })
        var half = average / 2
        var rounded = Decimal()
        NSDecimalRound(&rounded, &half, 2, .down)
        return "\(rounded)"
    }

    // MARK: - The test

    @Test func scriptAndMCPAgreeForEveryTool() async throws {
        // The exchange clock stays 55 seconds ahead of now. With a 60-second receive window it accepts the
        // client's timestamps for the next 56 seconds, and later requests re-measure the clock and still pass.
        let clock = Int64(Date().timeIntervalSince1970 * 1000) + 55_000
        let price = try restingPrice(clock: clock)
        let calls = Self.sequence.map { call -> Call in
            var filled = call
            filled.shell = call.shell.map { $0.replacingOccurrences(of: "PRICE", with: price) }
            filled.typed = call.typed.mapValues { $0 == "PRICE" ? .string(price) : $0 }
            return filled
        }

        let scriptResults = try runScript(calls.map { ([$0.tool] + $0.shell).joined(separator: " ") }, clock: clock)
        let (registry, mcpResults) = try await runMCP(calls, clock: clock)

        #expect(registry.count >= 27)
        let covered = Set(calls.map(\.tool))
        for tool in registry {
            #expect(covered.contains(tool), "the parity sequence has no call of '\(tool)'; add one")
        }
        try #require(scriptResults.count == calls.count, "script printed \(scriptResults.count) results")
        for (index, call) in calls.enumerated() {
            let fromScript = scriptResults[index]
            let fromMCP = mcpResults[index]
            #expect(fromScript["success"] == true, "\(call.tool) in script mode: \(fromScript.serialized())")
            #expect(fromMCP["success"] == true, "\(call.tool) over MCP: \(fromMCP.serialized())")
            #expect(Self.comparable(fromScript, tool: call.tool) == Self.comparable(fromMCP, tool: call.tool),
                    "\(call.tool) differs:\nscript \(fromScript.serialized())\nMCP    \(fromMCP.serialized())")
        }
    }

    @Test func ignoredFieldsAreRemovedAndNothingElse() {
        let result: JSONValue = ["success": true, "data": ["clockOffsetMs": 12, "venue": "sim", "tools": 27]]
        #expect(Self.comparable(result, tool: "get_status") == ["success": true, "data": ["venue": "sim", "tools": 27]])
        #expect(Self.comparable(result, tool: "get_ticker") == result)
    }

    /// Returns `result` without the tool's ignored fields.
    static func comparable(_ result: JSONValue, tool: String) -> JSONValue {
        var output = result
        for field in ignoredFields where field.tool == tool {
            output = removing(["data"] + field.path, from: output)
        }
        return output
    }

    static func removing(_ path: [String], from value: JSONValue) -> JSONValue {
        guard let first = path.first, case .object(var members) = value else { return value }
        if path.count == 1 {
            members[first] = nil
        } else if let child = members[first] {
            members[first] = removing(Array(path.dropFirst()), from: child)
        }
        return .object(members)
    }
}

/// The paper venue's settings and the `reset-paper` command through the built executable.
struct PaperVenueEndToEndTests {
    func run(_ script: String, extra: [String: String] = [:]) throws -> BinaryRunner.Output {
        let home = try BinaryRunner.temporaryHome()
        defer { try? FileManager.default.removeItem(atPath: home) }
        let output = try BinaryRunner.run(
            ["--json"],
            input: script,
            environment: BinaryRunner.cleanEnvironment(home: home, extra: extra.merging(["MCP_LOG_SECURITY": "false"]) { given, _ in given }),
            workingDirectory: home,
            timeout: .seconds(90)
        )
        #expect(!output.timedOut)
        return output
    }

    @Test func resetPaperRejectsUnknownAsset() throws {
        let output = try run("reset-paper USDT=100 FOO=1\nbalance\n")
        #expect(output.status == 1)
        #expect(output.stderr.hasPrefix(
            "line 1: Invalid asset 'FOO': the paper exchange lists no symbol trading FOO; expected an asset such as USDT, BTC, ETH or BNB."
        ), "\(output.stderr)")
        // The account is unchanged, so it still has the default balances.
        let results = try output.stdout.split(separator: "\n").map { try JSONValue.parse(Data($0.utf8)) }
        let balances = try #require(results.last?["data"]?["balances"]?.arrayValue)
        #expect(balances.compactMap { $0["asset"]?.stringValue }.sorted() == ["BNB", "BTC", "ETH", "USDT"])
    }

    @Test func resetPaperAcceptsListedAssets() throws {
        let output = try run("reset-paper usdt=100 1inch=5\nbalance\n")
        #expect(output.status == 0, "\(output.stderr)")
        let results = try output.stdout.split(separator: "\n").map { try JSONValue.parse(Data($0.utf8)) }
        let balances = try #require(results.last?["data"]?["balances"]?.arrayValue)
        #expect(balances.compactMap { $0["asset"]?.stringValue }.sorted() == ["1INCH", "USDT"])
    }

    @Test func invalidSimulatorClockIsNamed() throws {
        let output = try run("price BTCUSDT\n", extra: ["BINANCE_SIM_CLOCK": "soon"])
        #expect(output.status != 0)
        #expect(output.stderr.contains(
            "Invalid BINANCE_SIM_CLOCK 'soon': expected milliseconds since 1970-01-01 UTC, such as 1780272000000."
        ), "\(output.stderr)")
    }

    @Test func fixedSimulatorClockFixesPrices() throws {
        let clock = ["BINANCE_SIM_CLOCK": "1780272000000", "BINANCE_RECV_WINDOW": "60000"]
        let first = try run("price BTCUSDT\n", extra: clock)
        let second = try run("price BTCUSDT\n", extra: clock)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(!first.stdout.isEmpty)
        #expect(first.stdout == second.stdout)
    }
}
