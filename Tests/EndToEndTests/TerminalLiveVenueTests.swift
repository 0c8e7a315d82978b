import Foundation
import TestSupport
import Testing
import Tools

/// A simulator served by `binance-shell --serve-sim` on 127.0.0.1 and presented to the shell as the live venue.
///
/// The shell runs with `--venue live` and `BINANCE_BASE_URL` pointing at the server: the same path a user takes
/// with a proxy in front of Binance. Every live rule applies (trading off unless enabled, a confirmation for each
/// order); only the host differs, so no test-only option is needed. The server runs in its own process, which
/// ends when the test closes its standard input.
final class LoopbackLiveVenue {
    /// A made-up key and secret of the shapes Binance issues (64 letters and digits); they open only this server.
    static let apiKey = "LiveTestKey" + String(repeating: "0123456789", count: 5) + "abc"
    static let apiSecret = "LiveTestSecret" + String(repeating: "9876543210", count: 5)

    let url: String
    private let process = Process()
    private let input = Pipe()
    private let home: String

    init() throws {
        home = try BinaryRunner.temporaryHome()
        process.executableURL = URL(fileURLWithPath: try BinaryRunner.binaryPath())
        process.arguments = ["--serve-sim", "127.0.0.1:0"]
        process.environment = BinaryRunner.cleanEnvironment(
            home: home + "/server",
            extra: ["BINANCE_API_KEY": Self.apiKey, "BINANCE_API_SECRET": Self.apiSecret, "MCP_LOG_SECURITY": "false"]
        )
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        // The first line on stdout is the base URL; reading blocks until the server has bound its port.
        var bytes = Data()
        while !bytes.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            guard !chunk.isEmpty else { break }
            bytes.append(chunk)
        }
        url = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard url.hasPrefix("http://127.0.0.1:") else {
            close()
            throw LoopbackFailure.noURL(url)
        }
    }

    deinit { close() }

    /// Variables that point a shell at this server as the live venue, with trading enabled.
    var environment: [String: String] {
        [
            "BINANCE_API_KEY": Self.apiKey,
            "BINANCE_API_SECRET": Self.apiSecret,
            "BINANCE_BASE_URL": url,
            "BINANCE_ALLOW_TRADING": "true",
            "no_proxy": "127.0.0.1,localhost",
        ]
    }

    /// Every order of `symbol` the server holds, open or not, asked of the server by a separate process.
    func orders(of symbol: String) throws -> [JSONValue] {
        let output = try BinaryRunner.run(
            ["--json", "-c", "orders \(symbol)"],
            environment: BinaryRunner.cleanEnvironment(
                home: try BinaryRunner.temporaryHome(),
                extra: environment.merging(["MCP_LOG_SECURITY": "false"]) { $1 }
            ),
            timeout: .seconds(90)
        )
        let line = try #require(output.stdout.split(separator: "\n").first.map(String.init), "stderr: \(output.stderr)")
        let result = try JSONValue.parse(Data(line.utf8))
        return try #require(result["data"]?["orders"]?.arrayValue, "result: \(line)")
    }

    func close() {
        try? input.fileHandleForWriting.close()
        if process.isRunning { process.waitUntilExit() }
    }

    enum LoopbackFailure: Error {
        case noURL(String)
    }
}

/// The live confirmation at a terminal: the preview, `Place this order? [y/N]`, and what reaches the exchange.
@Suite(.serialized)
struct TerminalLiveVenueTests {
    struct Answer: Sendable, CustomTestStringConvertible {
        var keys: [String]
        var expectedOrders: Int
        var expectedText: String
        var testDescription: String { keys.joined(separator: " ") }
    }

    @Test(arguments: [
        Answer(keys: ["y", "Enter"], expectedOrders: 1, expectedText: "NEW"),
        Answer(keys: ["n", "Enter"], expectedOrders: 0, expectedText: "the confirmation was declined"),
        Answer(keys: ["Enter"], expectedOrders: 0, expectedText: "the confirmation was declined"),
        Answer(keys: ["C-c"], expectedOrders: 0, expectedText: "LIVE>"),
    ])
    func liveOrderWaitsForConfirmation(_ answer: Answer) throws {
        let venue = try LoopbackLiveVenue()
        defer { venue.close() }
        let home = try BinaryRunner.temporaryHome()
        let terminal = try ShellTerminal(home: home, arguments: ["--venue", "live"], environment: venue.environment)
        defer { terminal.close() }

        try terminal.run("buy BTCUSDT 0.001 limit 20000", prompt: "LIVE>")
        let question = try terminal.waitFor("Place this order? [y/N]")
        #expect(question.contains("Venue: live (real money)"))
        #expect(question.contains("Order: BUY 0.001 BTCUSDT LIMIT at 20000"))
        #expect(question.contains("notional       20 USDT"))
        #expect(question.contains("balance share  0.2 % of the 10000 USDT free"))
        #expect(!question.contains("Waiting for the exchange"))

        for key in answer.keys {
            if key.count == 1 { try terminal.type(key) } else { try terminal.press(key) }
        }
        try terminal.waitFor(answer.expectedText, count: answer.expectedText == "LIVE>" ? 2 : 1)
        let screen = try terminal.waitForPrompt("LIVE>")
        #expect(!screen.contains("EXITED"))
        #expect(try venue.orders(of: "BTCUSDT").count == answer.expectedOrders)
    }
}

/// The live venue stands out at the terminal: bold white on red, unless NO_COLOR is set.
@Suite(.serialized)
struct TerminalLivePromptTests {
    @Test func livePromptIsInTheWarningColour() throws {
        let venue = try LoopbackLiveVenue()
        defer { venue.close() }
        let coloured = try ShellTerminal(
            home: try BinaryRunner.temporaryHome(),
            arguments: ["--venue", "live"],
            environment: venue.environment.merging(["NO_COLOR": ""]) { $1 }
        )
        defer { coloured.close() }
        try coloured.waitForPrompt("LIVE>")
        // tmux writes each attribute of the cell as a sequence of its own.
        let promptLine = try coloured.screen(withEscapes: true).split(separator: "\n").last { !$0.isEmpty }
        #expect(promptLine?.hasPrefix("\u{1B}[1m\u{1B}[97m\u{1B}[41mLIVE") == true)

        let plain = try ShellTerminal(
            home: try BinaryRunner.temporaryHome(),
            arguments: ["--venue", "live"],
            environment: venue.environment
        )
        defer { plain.close() }
        try plain.waitForPrompt("LIVE>")
        #expect(!(try plain.screen(withEscapes: true)).contains("\u{1B}["))
    }
}

/// Scripts on the live venue: orders need `--yes`, and without it nothing is sent.
struct ScriptLiveVenueTests {
    @Test func liveOrderInAScriptNeedsYes() throws {
        let venue = try LoopbackLiveVenue()
        defer { venue.close() }
        let environment = BinaryRunner.cleanEnvironment(
            home: try BinaryRunner.temporaryHome(),
            extra: venue.environment.merging(["MCP_LOG_SECURITY": "false"]) { $1 }
        )
        let refused = try BinaryRunner.run(
            ["--venue", "live", "-c", "buy BTCUSDT 0.001 limit 20000"], environment: environment, timeout: .seconds(90))
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("line 1: Orders on the live venue need a human confirmation, and none can be "
            + "asked here: a script cannot ask, so nothing was sent."))
        #expect(try venue.orders(of: "BTCUSDT").isEmpty)

        let confirmed = try BinaryRunner.run(
            ["--venue", "live", "--yes", "--json", "-c", "buy BTCUSDT 0.001 limit 20000"],
            environment: environment,
            timeout: .seconds(90)
        )
        #expect(confirmed.status == 0)
        #expect(try venue.orders(of: "BTCUSDT").count == 1)
    }
}
