import Foundation
import Shell
import TestSupport
import Testing
@testable import Tools

struct ScriptRunnerTests {
    struct Run {
        var status: Int32
        var output: String
        var errors: String
    }

    func run(_ lines: [String], format: OutputFormat = .table, stopsOnError: Bool = false,
             confirmsOrders: Bool = false, tools: [Tool] = ShellFakeTools.tools()) async -> Run {
        let sink = CapturingOutputSink()
        let launch = ShellLaunch(
            engine: ShellFakeTools.engine(tools: tools),
            format: format,
            confirmsOrders: confirmsOrders,
            stopsOnError: stopsOnError,
            home: "/nonexistent",
            version: "test"
        )
        let status = await ShellEntryPoint.runScript(launch, reader: ListLineReader(lines: lines), output: sink)
        return Run(status: status, output: sink.standardOutput, errors: sink.standardError)
    }

    @Test func successfulScriptExitsZero() async {
        let result = await run(["price BTCUSDT", "# a comment", "", "balance"])
        #expect(result.status == 0)
        #expect(result.errors == "")
        #expect(result.output.contains("70000.12"))
        #expect(result.output.contains("USDT"))
    }

    @Test func failuresNameTheLineAndExitOne() async {
        let result = await run(["price BTCUSDT", "prise BTCUSDT", "price BTC/USDT", "price BTCUSDT"])
        #expect(result.status == 1)
        let lines = result.errors.split(separator: "\n").map(String.init)
        #expect(lines == [
            "line 2: Unknown command 'prise'. Did you mean 'price'? Type 'help' for the list of commands.",
            "line 3: Invalid symbol 'BTC/USDT': expected 2 to 20 letters and digits such as BTCUSDT, "
                + "with no '/' or spaces.",
        ])
        #expect(result.output.components(separatedBy: "70000.12").count == 3)
    }

    @Test(arguments: [
        ("-1", "Invalid quantity '-1': expected a positive decimal in plain notation such as 0.001."),
        ("abc", "Invalid quantity 'abc': expected a positive decimal in plain notation such as 0.001."),
        ("1e-5", "Invalid quantity '1e-5': expected a positive decimal in plain notation such as 0.001."),
        ("NaN", "Invalid quantity 'NaN': expected a positive decimal in plain notation such as 0.001."),
    ])
    func badQuantitiesAreNamed(_ quantity: String, _ message: String) async {
        let result = await run(["buy BTCUSDT \(quantity)"])
        #expect(result.status == 1)
        #expect(result.errors == "line 1: \(message)\n")
    }

    @Test(arguments: [
        ("price BTC/USDT", "BTC/USDT"),
        ("price 'btc usdt'", "btc usdt"),
        ("price \(String(repeating: "A", count: 40))", String(repeating: "A", count: 40)),
        ("price BTCÜSDT", "BTCÜSDT"),
    ])
    func malformedSymbolsAreNamed(_ line: String, _ symbol: String) async {
        let result = await run([line])
        #expect(result.status == 1)
        #expect(result.errors.hasPrefix("line 1: Invalid symbol '\(symbol)': expected 2 to 20 letters and digits"))
    }

    @Test func stopOnErrorStopsAtFirstFailure() async {
        let result = await run(["price BTCUSDT", "prise", "price ETHUSDT"], stopsOnError: true)
        #expect(result.status == 1)
        #expect(result.output.contains("BTCUSDT"))
        #expect(!result.output.contains("ETHUSDT"))
    }

    @Test func stopOnErrorStopsWithinALine() async {
        let result = await run(["prise; price ETHUSDT"], stopsOnError: true)
        #expect(!result.output.contains("ETHUSDT"))
    }

    @Test func semicolonSeparatedCommandsShareTheLineNumber() async {
        let result = await run(["price BTCUSDT; bogus; price ETHUSDT"])
        #expect(result.errors.hasPrefix("line 1: Unknown command 'bogus'."))
        #expect(result.output.contains("ETHUSDT"))
    }

    @Test func quotedValueMaySpanLines() async throws {
        let result = await run(["get_available_assets search='two", "lines' ; bogus", "price ETHUSDT"], format: .json)
        #expect(result.status == 1)
        let lines = result.output.split(separator: "\n").map(String.init)
        try #require(lines.count == 3)
        let first = try JSONValue.parse(Data(lines[0].utf8))
        #expect(first["data"]?["search"] == .string("two\nlines"))
        #expect(result.errors.hasPrefix("line 2: Unknown command 'bogus'."))
        #expect(lines[2].contains("ETHUSDT"))
    }

    @Test func scriptEndingInsideAQuoteNamesItsLine() async {
        let result = await run(["price BTCUSDT", "get_available_assets search=\"open", "price ETHUSDT"])
        #expect(result.status == 1)
        #expect(result.errors == "line 2: Unterminated quote \" opened at column 29: close it with another \".\n")
        #expect(!result.output.contains("ETHUSDT"))
    }

    @Test func exitStopsTheScript() async {
        let result = await run(["price BTCUSDT", "exit", "price ETHUSDT"])
        #expect(result.status == 0)
        #expect(!result.output.contains("ETHUSDT"))
    }

    @Test func jsonPrintsOneResultObjectPerCommand() async throws {
        let result = await run(["price BTCUSDT", "fail_always", "prise"], format: .json)
        let lines = result.output.split(separator: "\n").map(String.init)
        try #require(lines.count == 3)
        let first = try JSONValue.parse(Data(lines[0].utf8))
        #expect(first == .object(["success": .bool(true),
                                  "data": .object(["symbol": .string("BTCUSDT"), "price": .string("70000.12000000")])]))
        let second = try JSONValue.parse(Data(lines[1].utf8))
        #expect(second["success"] == .bool(false))
        #expect(second["error"]?["type"] == .string("binance_api_error"))
        #expect(second["error"]?["code"] == .int(-2010))
        let third = try JSONValue.parse(Data(lines[2].utf8))
        #expect(third["error"]?["type"] == .string("validation_error"))
        #expect(result.errors.split(separator: "\n") == [
            "line 2: The exchange said no. Try again later.",
            "line 3: Unknown command 'prise'. Did you mean 'price'? Type 'help' for the list of commands.",
        ])
    }

    @Test func jsonLineIsTheStructuredResult() async throws {
        let engine = ShellFakeTools.engine()
        let expected = await engine.invoke(
            "get_ticker_price",
            arguments: ["symbol": .string("BTCUSDT")],
            invocation: Invocation(origin: .mcp, requestID: "1", waitPolicy: .failFast,
                                   confirmer: ScriptOrderConfirmer(isPreapproved: false))
        )
        let result = await run(["price BTCUSDT"], format: .json)
        #expect(result.output == expected.structured.serialized() + "\n")
    }

    @Test func formatCommandSwitchesToJson() async {
        let result = await run(["format json", "price BTCUSDT"])
        #expect(result.output.hasPrefix("{\"data\":"))
    }

    @Test func scriptConfirmerNeedsYes() async {
        let request = ConfirmationRequest(summary: "BUY 1 BTCUSDT", preview: .null)
        let refused = await ScriptOrderConfirmer(isPreapproved: false).confirm(request)
        guard case .unavailable(let reason) = refused else {
            Issue.record("expected unavailable, got \(refused)")
            return
        }
        #expect(reason == "a script cannot ask, so nothing was sent.")
        #expect(await ScriptOrderConfirmer(isPreapproved: true).confirm(request) == .accepted)
    }

    @Test func watchNeedsATerminal() async {
        let result = await run(["watch price BTCUSDT"])
        #expect(result.status == 1)
        #expect(result.errors == "line 1: watch needs an interactive terminal; run the tool once instead.\n")
    }

    @Test func resetPaperNeedsTheSimulator() async {
        let result = await run(["reset-paper"])
        #expect(result.errors == "line 1: 'reset-paper' is not available on this venue: it works only on the "
            + "built-in simulator (sim).\n")
    }

    @Test func haltAndResumeUseTheTradingGuard() async {
        let result = await run(["halt", "resume"])
        #expect(result.status == 0)
        #expect(result.output.hasPrefix("Trading halted: new orders are refused until 'resume'.\n"))
        #expect(result.output.hasSuffix("Trading resumed: new orders are allowed again.\n"))
    }

    @Test func helpListsToolsByGroup() async {
        let result = await run(["help"])
        #expect(result.status == 0)
        #expect(result.output.contains("Tools: Market data"))
        #expect(result.output.contains("get_klines"))
        #expect(result.output.contains("price [SYMBOL]"))
    }
}
