import Foundation
import TestSupport
import Testing
import Tools

/// Runs the built executable in script mode against the built-in simulated exchange.
struct ScriptSimulatorTests {
    func run(_ arguments: [String], input: String = "", home: String? = nil) throws -> BinaryRunner.Output {
        let directory = try home ?? BinaryRunner.temporaryHome()
        let output = try BinaryRunner.run(
            arguments,
            input: input,
            environment: BinaryRunner.cleanEnvironment(home: directory, extra: ["MCP_LOG_SECURITY": "false"]),
            workingDirectory: directory,
            timeout: .seconds(90)
        )
        #expect(!output.timedOut)
        return output
    }

    func jsonLines(_ text: String) throws -> [JSONValue] {
        try text.split(separator: "\n").map { try JSONValue.parse(Data($0.utf8)) }
    }

    @Test func priceBalanceBuyAndOrders() throws {
        let output = try run([], input: "price BTCUSDT\nbalance\nbuy BTCUSDT 0.001\norders BTCUSDT\n")
        #expect(output.status == 0)
        #expect(output.stderr == "")
        let stdout = output.stdout
        #expect(stdout.contains("BTCUSDT"))
        #expect(stdout.contains("USDT   10000"))
        #expect(stdout.contains("FILLED"))
        #expect(stdout.contains("MARKET"))
        #expect(!stdout.contains("e-"))
    }

    @Test func jsonLinesAreTheResults() throws {
        let output = try run(["--json"], input: "price BTCUSDT\nbalance\nbuy BTCUSDT 0.001\norders BTCUSDT\n")
        #expect(output.status == 0)
        let results = try jsonLines(output.stdout)
        try #require(results.count == 4)
        #expect(results.allSatisfy { $0["success"] == .bool(true) })

        let price = try #require(results[0]["data"]?["price"]?.stringValue)
        #expect((Decimal(string: price) ?? 0) > 0)
        #expect(results[2]["data"]?["status"] == .string("FILLED"))
        let orders = try #require(results[3]["data"]?["orders"]?.arrayValue)
        #expect(orders.count == 1)
        #expect(orders.first?["side"] == .string("BUY"))
    }

    @Test func badInputIsNamedAndTheScriptGoesOn() throws {
        let script = "price BTC/USDT\nbuy BTCUSDT -1\nbuy BTCUSDT 1e-5\nprice 'btc usdt'\nbook BTCUSDT 0\nprice BTCUSDT\n"
        let output = try run(["--json"], input: script)
        #expect(output.status == 1)
        let errors = output.stderr.split(separator: "\n").map(String.init)
        try #require(errors.count == 5)
        #expect(errors[0].hasPrefix("line 1: Invalid symbol 'BTC/USDT'"))
        #expect(errors[1].hasPrefix("line 2: Invalid quantity '-1'"))
        #expect(errors[2].hasPrefix("line 3: Invalid quantity '1e-5'"))
        #expect(errors[3].hasPrefix("line 4: Invalid symbol 'btc usdt'"))
        #expect(errors[4].hasPrefix("line 5: Invalid limit '0'"))
        let results = try jsonLines(output.stdout)
        try #require(results.count == 6)
        #expect(results[0..<5].allSatisfy { $0["error"]?["type"] == .string("validation_error") })
        #expect(results[5]["success"] == .bool(true))
    }

    @Test func paperAccountSurvivesRestart() throws {
        let home = try BinaryRunner.temporaryHome()
        let first = try run(["-c", "buy BTCUSDT 0.001"], home: home)
        #expect(first.status == 0)
        let second = try run(["--json", "-c", "orders BTCUSDT"], home: home)
        let orders = try jsonLines(second.stdout).first?["data"]?["orders"]?.arrayValue
        #expect(orders?.count == 1)
    }

    @Test func resetPaperStartsOver() throws {
        let output = try run(["--json"], input: "buy BTCUSDT 0.001\nreset-paper USDT=500\nbalance\norders BTCUSDT\n")
        #expect(output.status == 0)
        let results = try jsonLines(output.stdout)
        try #require(results.count == 4)
        let balances = try #require(results[2]["data"]?["balances"]?.arrayValue)
        #expect(balances.map { $0["asset"]?.stringValue } == ["USDT"])
        #expect(results[3]["data"]?["orders"]?.arrayValue?.isEmpty == true)
    }

    @Test func defaultSymbolApplies() throws {
        let output = try run(["--json"], input: "set symbol ethusdt\nprice\nbook 5\n")
        #expect(output.status == 0)
        let results = try jsonLines(output.stdout)
        try #require(results.count == 2)
        #expect(results[0]["data"]?["symbol"] == .string("ETHUSDT"))
        #expect(results[1]["data"]?["bids"]?.arrayValue?.count == 5)
    }

    @Test func genericFormMatchesShortForm() throws {
        let output = try run(["--json"], input: "get_order_book symbol=BTCUSDT limit=5\nget_order_book BTCUSDT 5\n")
        let results = try jsonLines(output.stdout)
        try #require(results.count == 2)
        #expect(results[0]["data"]?["asks"]?.arrayValue?.count == 5)
        #expect(results[1]["data"]?["asks"]?.arrayValue?.count == 5)
    }

    @Test func statusShowsVenueWeightAndGuard() throws {
        let output = try run(["-c", "status"])
        #expect(output.status == 0)
        #expect(output.stdout.contains("venue             sim (paper money)\n"))
        #expect(output.stdout.contains(" of 6000 used this minute\n"))
        #expect(output.stdout.contains("clock offset      "))
        #expect(output.stdout.contains("halted            no\n"))
        #expect(output.stdout.contains("trading allowed   yes\n"))
    }

    @Test func statusWhileHaltedRefusesTrading() throws {
        let output = try run(["-c", "halt; status; resume; status"])
        #expect(output.status == 0)
        let sections = output.stdout.components(separatedBy: "Trading resumed")
        try #require(sections.count == 2)
        #expect(sections[0].contains("halted            yes, since "))
        #expect(sections[0].contains("trading allowed   no: trading is halted\n"))
        #expect(sections[1].contains("halted            no\n"))
        #expect(sections[1].contains("trading allowed   yes\n"))
    }

    @Test func previewTableShowsTheWholePreview() throws {
        let output = try run(["-c", "preview buy BTCUSDT 0.0012345 limit 20000.123 round=down"])
        #expect(output.status == 0)
        let lines = output.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains("venue           sim: a preview only, nothing is placed"))
        #expect(lines.contains("quantity        0.00123"))
        #expect(lines.contains("price           20000.12"))
        #expect(lines.contains("notional        24.6001476 USDT"))
        #expect(lines.contains("commission      0.00000123 BTC, at the taker rate 0.001"))
        #expect(lines.contains("balance share   0.25 % of the 10000 USDT free"))
        #expect(lines.contains("exchange check  accepted by the exchange's order test"))
        #expect(lines.contains("rounding        price 20000.123 -> 20000.12: rounded down to the tick size 0.01"))
        #expect(lines.contains("                quantity 0.0012345 -> 0.00123: rounded down to the step size 0.00001"))
    }
}
