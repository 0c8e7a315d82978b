import Foundation
import TestSupport
import Testing

/// Drives the real binary in a tmux pane: typing, completion, history, Ctrl-C and Ctrl-D.
///
/// Every key is sent once the shell shows what it must show first (the empty prompt, or a text), with a
/// generous deadline: fixed sleeps would fail on a loaded machine.
@Suite(.serialized)
struct TerminalTests {
    @Test func typingRunsCommandsAndCtrlDLeaves() throws {
        let home = try BinaryRunner.temporaryHome()
        let terminal = try ShellTerminal(home: home)
        defer { terminal.close() }
        try terminal.run("help format", prompt: "sim>")
        try terminal.waitFor("Print results as tables or JSON")
        try terminal.waitForPrompt("sim>")
        try terminal.press("C-d")
        try terminal.waitFor("EXITED:0")
    }

    @Test func bannerNamesTheVenue() throws {
        let home = try BinaryRunner.temporaryHome()
        let terminal = try ShellTerminal(home: home)
        defer { terminal.close() }
        let screen = try terminal.waitForPrompt("sim>")
        #expect(screen.contains("the built-in simulated exchange"))
        #expect(screen.contains("Type 'help' for commands"))
    }

    @Test func promptIsColouredUnlessNoColor() throws {
        let home = try BinaryRunner.temporaryHome()
        let coloured = try ShellTerminal(home: home, environment: ["NO_COLOR": ""])
        defer { coloured.close() }
        try coloured.waitForPrompt("sim>")
        #expect(try coloured.screen(withEscapes: true).contains("\u{1B}[36msim"))

        let plain = try ShellTerminal(home: try BinaryRunner.temporaryHome())
        defer { plain.close() }
        try plain.waitForPrompt("sim>")
        #expect(!(try plain.screen(withEscapes: true)).contains("\u{1B}["))
    }

    @Test func ctrlCAbandonsTheLineWithoutLeaving() throws {
        let home = try BinaryRunner.temporaryHome()
        let terminal = try ShellTerminal(home: home)
        defer { terminal.close() }
        try terminal.waitForPrompt("sim>")
        try terminal.type("prise never")
        try terminal.waitFor("sim> prise never")
        try terminal.press("C-c")
        try terminal.run("help utc", prompt: "sim>")
        let screen = try terminal.waitFor("Show times in UTC")
        #expect(!screen.contains("Unknown command 'prise'"))
        #expect(!screen.contains("EXITED"))
    }

    @Test func historyIsRecalledAfterRestart() throws {
        let home = try BinaryRunner.temporaryHome()
        do {
            let first = try ShellTerminal(home: home)
            defer { first.close() }
            try first.run("help watch", prompt: "sim>")
            try first.run("set symbol BTCUSDT", prompt: "sim>")
            try first.waitForPrompt("sim BTCUSDT>")
            try first.press("C-d")
            try first.waitFor("EXITED:0")
        }
        let attributes = try FileManager.default.attributesOfItem(atPath: home + "/history")
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)

        let second = try ShellTerminal(home: home)
        defer { second.close() }
        try second.waitForPrompt("sim>")
        try second.press("Up")
        try second.waitFor("sim> set symbol BTCUSDT")
        try second.press("Up")
        try second.waitFor("sim> help watch")
        try second.press("Enter")
        try second.waitFor("Refresh a view in place")
    }

    @Test func ctrlRSearchesHistory() throws {
        let home = try BinaryRunner.temporaryHome()
        let terminal = try ShellTerminal(home: home)
        defer { terminal.close() }
        try terminal.run("help watch", prompt: "sim>")
        try terminal.run("help utc", prompt: "sim>")
        try terminal.run("help exit", prompt: "sim>")
        try terminal.waitForPrompt("sim>")
        // The prompt may show a moment before the line editor owns the terminal, when the terminal itself
        // would take Ctrl-R (reprint): press it again until the search prompt answers.
        var attempts = 0
        while true {
            try terminal.press("C-r")
            attempts += 1
            do {
                try terminal.waitFor("bck:", timeout: .seconds(5))
                break
            } catch where attempts < 5 {
                continue
            }
        }
        try terminal.type("wat")
        try terminal.waitFor("sim> help watch", count: 2)
        try terminal.press("Enter")
        try terminal.waitFor("Refresh a view in place", count: 2)
    }

    @Test func secretLinesStayOutOfHistory() throws {
        let home = try BinaryRunner.temporaryHome()
        let terminal = try ShellTerminal(home: home)
        defer { terminal.close() }
        try terminal.run("help api_secret", prompt: "sim>")
        try terminal.waitFor("No help for 'api_secret'")
        try terminal.run("help exit", prompt: "sim>")
        try terminal.waitFor("Leave the shell")
        try terminal.waitForPrompt("sim>")
        try terminal.press("C-d")
        try terminal.waitFor("EXITED:0")
        let history = try String(contentsOfFile: home + "/history", encoding: .utf8)
        #expect(history.contains("exit"))
        #expect(!history.contains("api_secret"))
    }

    @Test func tabCompletesCommandsAndValues() throws {
        let home = try BinaryRunner.temporaryHome()
        let terminal = try ShellTerminal(home: home)
        defer { terminal.close() }
        try terminal.waitForPrompt("sim>")
        try terminal.type("form")
        try terminal.press("Tab")
        try terminal.waitFor("sim> format")
        try terminal.type("j")
        try terminal.press("Tab")
        try terminal.waitFor("sim> format json")
        try terminal.press("Enter")
        try terminal.waitFor("Results are now printed as JSON.")
        try terminal.run("help utc", prompt: "sim>")
        try terminal.waitFor(#"{"data":{"help":"utc on|off"#)
        try terminal.run("format table", prompt: "sim>")
        try terminal.waitFor("Results are now printed as tables.")
    }

    @Test func tabCompletesParametersAndSymbols() throws {
        let home = try BinaryRunner.temporaryHome()
        let terminal = try ShellTerminal(home: home)
        defer { terminal.close() }
        try terminal.waitForPrompt("sim>")
        try terminal.type("get_order_book ETHBT")
        try terminal.press("Tab")
        try terminal.waitFor("sim> get_order_book ETHBTC")
        try terminal.type("li")
        try terminal.press("Tab")
        try terminal.waitFor("sim> get_order_book ETHBTC limit=")
        try terminal.type("3")
        try terminal.press("Enter")
        try terminal.waitFor("bid")
        try terminal.waitForPrompt("sim>")
        try terminal.type("klines BTCUSDT 1")
        try terminal.press("Tab", "Tab")
        try terminal.waitFor("15m")
    }

    @Test func tabCompletesInsideQuotes() throws {
        let home = try BinaryRunner.temporaryHome()
        let terminal = try ShellTerminal(home: home)
        defer { terminal.close() }
        try terminal.waitForPrompt("sim>")
        try terminal.type(#"get_ticker_price symbol="ETHBT"#)
        try terminal.press("Tab")
        try terminal.waitFor(#"sim> get_ticker_price symbol="ETHBTC""#)
        try terminal.press("Enter")
        try terminal.waitFor("ETHBTC  ")
        try terminal.waitForPrompt("sim>")
        try terminal.type("get_order_book 'ETHBTC' li")
        try terminal.press("Tab")
        try terminal.waitFor("sim> get_order_book 'ETHBTC' limit=")
    }

    @Test func tabCompletesOpenOrderIDsForCancel() throws {
        let home = try BinaryRunner.temporaryHome()
        let terminal = try ShellTerminal(home: home)
        defer { terminal.close() }
        try terminal.run("buy BTCUSDT 0.001 limit 20000", prompt: "sim>")
        try terminal.waitFor("NEW")
        try terminal.waitForPrompt("sim>")
        try terminal.type("cancel BTCUSDT ")
        try terminal.press("Tab")
        try terminal.waitFor("sim> cancel BTCUSDT 1")
    }

    @Test func ctrlCInterruptsALongWait() throws {
        let home = try BinaryRunner.temporaryHome()
        let terminal = try ShellTerminal(
            home: home,
            environment: ["BINANCE_SIM_FAULTS": "latency=60000ms~/api/v3/ticker/price"]
        )
        defer { terminal.close() }
        try terminal.run("price BTCUSDT", prompt: "sim>")
        try terminal.waitFor("Waiting for the exchange")
        try terminal.press("C-c")
        try terminal.waitFor("Interrupted.")
        try terminal.run("help utc", prompt: "sim>")
        let screen = try terminal.waitFor("Show times in UTC")
        #expect(!screen.contains("EXITED"))
    }

    @Test func ctrlCDuringAnOrderWarnsItMayBePlaced() throws {
        let home = try BinaryRunner.temporaryHome()
        let terminal = try ShellTerminal(
            home: home,
            environment: ["BINANCE_SIM_FAULTS": "latency=60000ms~/api/v3/order"]
        )
        defer { terminal.close() }
        try terminal.run("buy BTCUSDT 0.001 limit 20000", prompt: "sim>")
        try terminal.waitFor("Waiting for the exchange")
        try terminal.press("C-c")
        let screen = try terminal.waitFor("may have reached the exchange")
        #expect(screen.contains("'open'"))
    }

    @Test func openQuoteContinuesOnTheNextLine() throws {
        let home = try BinaryRunner.temporaryHome()
        let terminal = try ShellTerminal(home: home)
        defer { terminal.close() }
        try terminal.run("help 'first", prompt: "sim>")
        try terminal.run("second'", prompt: "quote>")
        try terminal.waitFor("No help for 'first\nsecond'.")
        try terminal.run("help 'abandoned", prompt: "sim>")
        try terminal.waitForPrompt("quote>")
        try terminal.press("C-c")
        try terminal.run("help utc", prompt: "sim>")
        let screen = try terminal.waitFor("Show times in UTC")
        #expect(!screen.contains("No help for 'abandoned"))
    }

    @Test func helpWrapsToTheTerminalWidth() throws {
        let home = try BinaryRunner.temporaryHome()
        let terminal = try ShellTerminal(home: home, columns: 60, rows: 120)
        defer { terminal.close() }
        try terminal.run("help", prompt: "sim>")
        let screen = try terminal.waitFor("Type 'help NAME'")
        #expect(screen.contains("  reset-paper [ASSET=AMOUNT ...]\n    Start a new paper account on the simulator, such as\n"))
        #expect(screen.contains("  watch price|book|orders [SYMBOL]\n    Refresh a view in place until a key or Ctrl-C\n"))
    }
}

/// `watch`: a view refreshed in place until a key press or Ctrl-C, then the prompt again.
@Suite(.serialized)
struct TerminalWatchTests {
    @Test func watchPriceRefreshesInPlaceUntilAKey() throws {
        let home = try BinaryRunner.temporaryHome()
        let terminal = try ShellTerminal(home: home)
        defer { terminal.close() }
        try terminal.run("watch price BTCUSDT", prompt: "sim>")
        let screen = try terminal.waitFor("update 3 at")
        // Three updates drew one view: the title and the table appear once.
        #expect(ShellTerminal.occurrences(of: "Watching price of BTCUSDT", in: screen) == 1)
        #expect(ShellTerminal.occurrences(of: "symbol      price", in: screen) == 1)
        #expect(!screen.contains("update 2 at"))

        try terminal.press("q")
        let after = try terminal.waitForPrompt("sim>")
        #expect(!after.contains("sim> q"))
        try terminal.run("help utc", prompt: "sim>")
        try terminal.waitFor("Show times in UTC")
    }

    @Test func watchBookStopsOnCtrlC() throws {
        let home = try BinaryRunner.temporaryHome()
        let terminal = try ShellTerminal(home: home)
        defer { terminal.close() }
        try terminal.run("watch book ETHBTC", prompt: "sim>")
        let screen = try terminal.waitFor("update 2 at")
        #expect(ShellTerminal.occurrences(of: "side", in: screen) == 1)
        #expect(ShellTerminal.occurrences(of: "ask ", in: screen) == 10)
        #expect(ShellTerminal.occurrences(of: "bid ", in: screen) == 10)

        try terminal.press("C-c")
        try terminal.waitForPrompt("sim>")
        try terminal.run("help utc", prompt: "sim>")
        let final = try terminal.waitFor("Show times in UTC")
        #expect(!final.contains("EXITED"))
    }

    @Test func watchOpenOrdersShowsTheUsersOrders() throws {
        let home = try BinaryRunner.temporaryHome()
        let terminal = try ShellTerminal(home: home)
        defer { terminal.close() }
        try terminal.run("buy BTCUSDT 0.001 limit 20000", prompt: "sim>")
        try terminal.waitFor("NEW")
        try terminal.run("watch orders BTCUSDT", prompt: "sim>")
        let screen = try terminal.waitFor("update 2 at")
        #expect(screen.contains("Watching orders of BTCUSDT"))
        #expect(ShellTerminal.occurrences(of: "BTCUSDT        1  BUY", in: screen) == 2, "\(screen)")

        try terminal.press("Space")
        try terminal.waitForPrompt("sim>")
    }
}
