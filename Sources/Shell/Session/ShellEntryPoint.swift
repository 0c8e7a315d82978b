import BinanceAPI
import Foundation
import Tools

/// Settings the executable passes to the shell.
package struct ShellLaunch: Sendable {
    package var engine: ToolEngine
    package var format: OutputFormat
    /// `--yes`: orders in scripts count as confirmed.
    package var confirmsOrders: Bool
    /// `--stop-on-error`.
    package var stopsOnError: Bool
    package var hooks: SessionHooks
    /// Directory of the history file.
    package var home: String
    package var version: String
    package var environment: [String: String]

    package init(
        engine: ToolEngine,
        format: OutputFormat = .table,
        confirmsOrders: Bool = false,
        stopsOnError: Bool = false,
        hooks: SessionHooks = SessionHooks(),
        home: String,
        version: String,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        self.engine = engine
        self.format = format
        self.confirmsOrders = confirmsOrders
        self.stopsOnError = stopsOnError
        self.hooks = hooks
        self.home = home
        self.version = version
        self.environment = environment
    }
}

/// Starts script mode or the interactive shell.
package enum ShellEntryPoint {
    /// Runs a script from `reader` (piped stdin, or the lines of `-c`). Results are buffered when stdout is not a
    /// terminal, and every result is written out before this returns.
    /// - Returns: 0 when every command succeeded, 1 otherwise.
    package static func runScript(
        _ launch: ShellLaunch,
        reader: any LineReader,
        output: any OutputSink = StandardOutputSink.forScript()
    ) async -> Int32 {
        var options = RenderOptions()
        options.format = launch.format
        let session = ShellSession(
            engine: launch.engine,
            origin: .script,
            output: output,
            confirmer: ScriptOrderConfirmer(isPreapproved: launch.confirmsOrders),
            hooks: launch.hooks,
            renderOptions: options
        )
        session.loadsSymbolsOnFirstExchangeCall = true
        return await ScriptRunner.run(session: session, reader: reader, stopsOnError: launch.stopsOnError)
    }

    /// Runs the interactive shell on the terminal until `exit` or Ctrl-D.
    /// - Returns: the exit status, 0.
    package static func runInteractive(_ launch: ShellLaunch) async -> Int32 {
        InterruptSignal.install()
        let output = StandardOutputSink()
        let style = TextStyle.forTerminal(isTerminal: isatty(1) == 1, environment: launch.environment)
        let defaultSymbol = LockedSymbol()
        let parser = CommandParser(tools: launch.engine.tools)
        let symbols = SymbolDirectory()
        let engine = launch.engine
        let completer = Completer(
            parser: parser,
            symbols: symbols,
            openOrderIDs: { symbol in OpenOrderLookup.ids(engine: engine, symbol: symbol) },
            defaultSymbol: { defaultSymbol.value }
        )
        try? FileManager.default.createDirectory(
            atPath: launch.home,
            withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700]
        )
        let reader = EditLineReader(historyPath: launch.home + "/history", completer: completer)

        var options = RenderOptions()
        options.format = launch.format
        options.style = style
        options.terminalWidth = { TerminalSize.columns() }
        let interrupts = InterruptSignal()
        let promptActivity = PromptActivity()
        let session = ShellSession(
            engine: engine,
            origin: .shell,
            output: output,
            confirmer: InteractiveOrderConfirmer(reader: reader, output: output, style: style, activity: promptActivity),
            hooks: launch.hooks,
            interrupts: interrupts,
            symbols: symbols,
            renderOptions: options
        )
        session.watchPresenter = TerminalWatchPresenter(output: output, interrupts: interrupts)
        session.promptActivity = promptActivity
        let venue = engine.services.venue
        let baseURL = engine.services.configuration.baseURL
        output.writeOutput(Prompt.banner(version: launch.version, venue: venue, baseURL: baseURL, style: style) + "\n")
        let listSymbols = launch.hooks.listSymbols
        Task { try? await symbols.load(using: engine.services.client, listSymbols: listSymbols) }

        reading: while true {
            let prompt = Prompt.text(venue: venue, baseURL: baseURL, symbol: session.defaultSymbol, style: style)
            switch await reader.readLine(prompt: prompt) {
            case .endOfInput:
                output.writeOutput("\n")
                break reading
            case .interrupted:
                continue
            case .line(let firstLine):
                // A quote left open continues on the next line, as in scripts.
                guard let text = await continueQuotedLine(firstLine, reader: reader) else { continue }
                // A line containing any part of the configured key or secret stays out of the history file.
                if engine.services.redactor.redact(text) == text { reader.addToHistory(text) }
                let outcomes = await session.run(line: text, number: 1)
                defaultSymbol.value = session.defaultSymbol
                if outcomes.contains(.exit) { break reading }
            }
        }
        return 0
    }
}

/// Reads continuation lines (prompt `quote> `) while `line` ends inside a quote; returns the joined text, or nil
/// when Ctrl-C abandons it. At the end of input the text is returned as it is, and running it reports the quote.
private func continueQuotedLine(_ line: String, reader: any LineReader) async -> String? {
    var text = line
    while Tokenizer.endsInsideQuote(text) {
        switch await reader.readLine(prompt: "quote> ") {
        case .line(let next): text += "\n" + next
        case .interrupted: return nil
        case .endOfInput: return text
        }
    }
    return text
}

/// The default symbol, shared with the completion thread.
private final class LockedSymbol: @unchecked Sendable {
    // The lock protects `stored`.
    private let lock = NSLock()
    private var stored: String?

    var value: String? {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}

/// Fetches open order ids for completion, blocking the completion thread for at most two seconds.
enum OpenOrderLookup {
    static func ids(engine: ToolEngine, symbol: String?) -> [String] {
        guard engine.tool(named: "get_open_orders") != nil else { return [] }
        let box = ResultBox()
        let semaphore = DispatchSemaphore(value: 0)
        Task {
            var arguments: [String: JSONValue] = [:]
            if let symbol { arguments["symbol"] = .string(symbol) }
            let invocation = Invocation(
                origin: .shell,
                requestID: "completion",
                waitPolicy: .failFast,
                confirmer: ScriptOrderConfirmer(isPreapproved: false)
            )
            let result = await engine.invoke("get_open_orders", arguments: arguments, invocation: invocation)
            box.ids = orderIDs(in: result.data ?? .null)
            semaphore.signal()
        }
        guard semaphore.wait(timeout: .now() + 5) == .success else { return [] }
        return box.ids
    }

    /// Collects `orderId` (or `order_id`) values from an array of orders or an object holding one.
    static func orderIDs(in data: JSONValue) -> [String] {
        let orders = data.arrayValue ?? data["orders"]?.arrayValue ?? []
        return orders.compactMap { order in
            guard let id = order["orderId"] ?? order["order_id"] else { return nil }
            if let number = id.decimalValue { return DecimalText.format(number) }
            return id.stringValue
        }
    }

    private final class ResultBox: @unchecked Sendable {
        // Written once by the task before it signals the semaphore; read after the wait.
        var ids: [String] = []
    }
}
