import Foundation
import TestSupport
import Testing

/// Drives the real binary in a tmux pane: typing, completion, history, Ctrl-C and Ctrl-D.
@Suite(.serialized)
struct TerminalTests {
    @Test func typingRunsCommandsAndCtrlDLeaves() throws {
        let home = try BinaryRunner.temporaryHome()
        let terminal = try ShellTerminal(home: home)
        defer { terminal.close() }
        try terminal.waitFor("sim>")
        try terminal.type("help format")
        try terminal.press("Enter")
        try terminal.waitFor("Print results as tables or JSON")
        try terminal.waitFor("sim>", count: 2)
        try terminal.press("C-d")
        try terminal.waitFor("EXITED:0")
    }

    @Test func bannerNamesTheVenue() throws {
        let home = try BinaryRunner.temporaryHome()
        let terminal = try ShellTerminal(home: home)
        defer { terminal.close() }
        let screen = try terminal.waitFor("sim>")
        #expect(screen.contains("the built-in simulated exchange"))
        #expect(screen.contains("Type 'help' for commands"))
    }

    @Test func ctrlCAbandonsTheLineWithoutLeaving() throws {
        let home = try BinaryRunner.temporaryHome()
        let terminal = try ShellTerminal(home: home)
        defer { terminal.close() }
        try terminal.waitFor("sim>")
        try terminal.type("prise never")
        try terminal.press("C-c")
        try terminal.waitFor("sim>", count: 2)
        try terminal.type("help utc")
        try terminal.press("Enter")
        let screen = try terminal.waitFor("Show times in UTC")
        #expect(!screen.contains("Unknown command 'prise'"))
        #expect(!screen.contains("EXITED"))
    }

    @Test func historyIsRecalledAfterRestart() throws {
        let home = try BinaryRunner.temporaryHome()
        do {
            let first = try ShellTerminal(home: home)
            defer { first.close() }
            try first.waitFor("sim>")
            try first.type("help watch")
            try first.press("Enter")
            try first.waitFor("sim>", count: 2)
            try first.type("set symbol BTCUSDT")
            try first.press("Enter")
            try first.waitFor("sim BTCUSDT>")
            try first.press("C-d")
            try first.waitFor("EXITED:0")
        }
        let attributes = try FileManager.default.attributesOfItem(atPath: home + "/history")
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)

        let second = try ShellTerminal(home: home)
        defer { second.close() }
        try second.waitFor("sim>")
        try second.press("Up")
        try second.waitFor("sim> set symbol BTCUSDT")
        try second.press("Up")
        try second.waitFor("sim> help watch")
        try second.press("Enter")
        try second.waitFor("Refresh a view in place")
    }

    @Test func secretLinesStayOutOfHistory() throws {
        let home = try BinaryRunner.temporaryHome()
        let terminal = try ShellTerminal(home: home)
        defer { terminal.close() }
        try terminal.waitFor("sim>")
        try terminal.type("help api_secret")
        try terminal.press("Enter")
        try terminal.waitFor("No help for 'api_secret'")
        try terminal.type("help exit")
        try terminal.press("Enter")
        try terminal.waitFor("Leave the shell")
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
        try terminal.waitFor("sim>")
        try terminal.type("form")
        try terminal.press("Tab")
        try terminal.waitFor("sim> format")
        try terminal.type("j")
        try terminal.press("Tab")
        try terminal.waitFor("sim> format json")
        try terminal.press("Enter")
        try terminal.type("help utc")
        try terminal.press("Enter")
        try terminal.waitFor(#"{"data":{"help":"utc on|off"#)
    }

    @Test func tabCompletesParametersAndSymbols() throws {
        let home = try BinaryRunner.temporaryHome()
        let terminal = try ShellTerminal(home: home)
        defer { terminal.close() }
        try terminal.waitFor("sim>")
        try terminal.type("get_order_book ETHBT")
        try terminal.press("Tab")
        try terminal.waitFor("sim> get_order_book ETHBTC")
        try terminal.type("li")
        try terminal.press("Tab")
        try terminal.waitFor("sim> get_order_book ETHBTC limit=")
        try terminal.type("3")
        try terminal.press("Enter")
        try terminal.waitFor("bid")
        try terminal.type("klines BTCUSDT 1")
        try terminal.press("Tab", "Tab")
        try terminal.waitFor("15m")
    }

    @Test func tabCompletesOpenOrderIDsForCancel() throws {
        let home = try BinaryRunner.temporaryHome()
        let terminal = try ShellTerminal(home: home)
        defer { terminal.close() }
        try terminal.waitFor("sim>")
        try terminal.type("buy BTCUSDT 0.001 limit 20000")
        try terminal.press("Enter")
        try terminal.waitFor("NEW")
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
        try terminal.waitFor("sim>")
        try terminal.type("price BTCUSDT")
        try terminal.press("Enter")
        try terminal.waitFor("Waiting for the exchange")
        try terminal.press("C-c")
        try terminal.waitFor("Interrupted.")
        try terminal.type("help utc")
        try terminal.press("Enter")
        let screen = try terminal.waitFor("Show times in UTC")
        #expect(!screen.contains("EXITED"))
    }
}
