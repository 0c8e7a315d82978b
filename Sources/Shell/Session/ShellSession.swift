import BinanceAPI
import Foundation
import Tools

/// Runs parsed commands against the tool engine and prints their results; the state of one shell or script.
///
/// Not thread-safe: one task drives a session from start to end.
package final class ShellSession {
    /// The result of one command.
    package enum Outcome: Sendable, Equatable {
        case succeeded
        case failed
        case exit
    }

    package let engine: ToolEngine
    package let parser: CommandParser
    package let origin: Origin
    package let symbols: SymbolDirectory
    let hooks: SessionHooks
    let output: any OutputSink
    let confirmer: any OrderConfirmer
    /// Set in the interactive shell: Ctrl-C interrupts a running command.
    let interrupts: (any InterruptSource)?
    /// Shows `watch` views; nil where there is no terminal.
    var watchPresenter: (any WatchPresenter)?
    /// Marks the order confirmation prompt, during which Ctrl-C belongs to that prompt.
    var promptActivity: PromptActivity?

    package var defaultSymbol: String?
    package var renderOptions: RenderOptions
    /// Whether to load the symbols before the first open-world tool that runs while results are tables. `help`,
    /// `status` and other commands without an exchange request then never wait for the load.
    package var loadsSymbolsOnFirstExchangeCall = false
    private var requestCounter = 0

    package init(
        engine: ToolEngine,
        origin: Origin,
        output: any OutputSink,
        confirmer: any OrderConfirmer,
        hooks: SessionHooks = SessionHooks(),
        interrupts: (any InterruptSource)? = nil,
        symbols: SymbolDirectory = SymbolDirectory(),
        renderOptions: RenderOptions = RenderOptions()
    ) {
        self.engine = engine
        self.parser = CommandParser(tools: engine.tools)
        self.origin = origin
        self.output = output
        self.confirmer = confirmer
        self.hooks = hooks
        self.interrupts = interrupts
        self.symbols = symbols
        self.renderOptions = renderOptions
        self.renderOptions.precision = { [symbols] symbol in symbols.precision(of: symbol) }
    }

    /// Loads the exchange's symbols for completion and display precision; failures only leave them empty.
    /// The load gets one request timeout at most, so an exchange that hangs delays the first command by no more.
    package func loadSymbols() async {
        let configuration = engine.services.configuration
        let limit = min(configuration.callTimeoutMilliseconds, configuration.requestTimeoutMilliseconds)
        let budget = CallTimeBudget(limit: .milliseconds(limit))
        do {
            try await CallTimeBudget.$current.withValue(budget) {
                try await symbols.load(using: engine.services.client, listSymbols: hooks.listSymbols)
            }
        } catch {
            engine.services.logger.debug("Symbol list not loaded", ["error": "\(error)"])
        }
    }

    // MARK: - Running lines

    /// Tokenizes and runs one line. Stops early on `exit`, or on a failure when `stopsOnError` is true.
    /// - Returns: the outcomes of the commands that ran, in order.
    package func run(line: String, number: Int, stopsOnError: Bool = false) async -> [Outcome] {
        let commands: [Tokenizer.Command]
        do {
            commands = try Tokenizer.commands(in: line, lineNumber: number)
        } catch {
            reportFailure(error.message, line: number)
            return [.failed]
        }
        var outcomes: [Outcome] = []
        for command in commands {
            let outcome = await execute(command)
            outcomes.append(outcome)
            if outcome == .exit || (outcome == .failed && stopsOnError) { break }
        }
        return outcomes
    }

    /// Runs one command.
    package func execute(_ command: Tokenizer.Command) async -> Outcome {
        let parsed: ShellCommand
        do {
            parsed = try parser.parse(command.words, defaultSymbol: defaultSymbol)
        } catch {
            reportFailure(error.message, line: command.line)
            return .failed
        }
        switch parsed {
        case .tool(let call):
            return await runTool(call, line: command.line)
        case .help(let topic):
            return showHelp(topic: topic, line: command.line)
        case .exit:
            return .exit
        case .format(let format):
            renderOptions.format = format
            note("Results are now printed as \(format == .json ? "JSON" : "tables").")
            return .succeeded
        case .setSymbol(let symbol):
            defaultSymbol = symbol
            note(symbol.map { "Default symbol: \($0)." } ?? "Default symbol cleared.")
            return .succeeded
        case .utc(let isOn):
            renderOptions.usesUTC = isOn
            note(isOn ? "Times are shown in UTC." : "Times are shown in local time.")
            return .succeeded
        case .watch(let target, let call):
            guard let watchPresenter else {
                reportFailure("watch needs an interactive terminal; run the tool once instead.", line: command.line)
                return .failed
            }
            await watchPresenter.watch(target, call: call, session: self)
            return .succeeded
        case .halt:
            let tradingGuard = engine.services.tradingGuard
            let origin = self.origin
            return await runHook(name: "halt", line: command.line) { () async throws(ToolError) in
                Self.describe(await tradingGuard.halt(reason: "halt command in the \(origin.rawValue)"))
            }
        case .resume:
            let tradingGuard = engine.services.tradingGuard
            return await runHook(name: "resume", line: command.line) { () async throws(ToolError) in
                try await tradingGuard.resume()
                return "Trading resumed: new orders are allowed again."
            }
        case .resetPaper(let balances):
            guard let reset = hooks.resetPaper else { return unavailable("reset-paper", line: command.line) }
            return await runHook(name: "reset-paper", line: command.line) { () async throws(ToolError) in
                try await reset(balances)
            }
        }
    }

    // MARK: - Tools

    /// Invokes a tool through the engine; Ctrl-C abandons it when the session has an interrupt source.
    /// - Returns: the result, or nil when the user interrupted it.
    package func invoke(_ call: ToolCall) async -> ToolResult? {
        requestCounter += 1
        let sink = output
        let invocation = Invocation(
            origin: origin,
            requestID: "\(origin.rawValue)-\(requestCounter)",
            waitPolicy: .wait(maximumSeconds: 60),
            confirmer: confirmer,
            progress: { message in sink.writeError(message + "\n") }
        )
        let engine = self.engine
        guard let interrupts else {
            return await engine.invoke(call.toolName, arguments: call.arguments, invocation: invocation)
        }
        let waitingText = "Waiting for the exchange… (Ctrl-C to cancel)"
        let outcome = await runInterruptibly(
            interrupts: interrupts,
            prompt: promptActivity,
            onSlow: { sink.writeError(waitingText) },
            onFinish: { sink.writeError("\r\u{1B}[K") }
        ) {
            await engine.invoke(call.toolName, arguments: call.arguments, invocation: invocation)
        }
        switch outcome {
        case .finished(let result):
            return result
        case .interrupted:
            sink.writeError("\r\u{1B}[K")
            return nil
        }
    }

    private func runTool(_ call: ToolCall, line: Int) async -> Outcome {
        if loadsSymbolsOnFirstExchangeCall, renderOptions.format == .table,
            engine.tool(named: call.toolName)?.annotations.openWorld == true
        {
            loadsSymbolsOnFirstExchangeCall = false
            await loadSymbols()
        }
        guard let result = await invoke(call) else {
            if let tool = engine.tool(named: call.toolName), !tool.annotations.readOnly {
                output.writeError(
                    "Interrupted. The request may have reached the exchange before the interrupt: check with 'open' "
                        + "or 'orders <symbol>' before you retry.\n"
                )
            } else {
                output.writeError("Interrupted.\n")
            }
            return .failed
        }
        if result.isSuccess {
            output.writeOutput(render(result, toolName: call.toolName) + "\n")
            return .succeeded
        }
        if renderOptions.format == .json { output.writeOutput(result.structured.serialized() + "\n") }
        reportError(Self.message(of: result), line: line)
        return .failed
    }

    package var renderer: ResultRenderer { ResultRenderer(options: renderOptions) }

    /// Returns the text of a successful result: a form for `status` and `preview_order`, whose every member
    /// matters, and the tool's table layout otherwise.
    package func render(_ result: ToolResult, toolName: String) -> String {
        if renderOptions.format == .table, let data = result.data {
            let style = renderOptions.style
            let form: String?
            switch toolName {
            case "get_status": form = StatusView.render(data, style: style)
            case "preview_order": form = PreviewView.render(data, style: style)
            default: form = nil
            }
            if let form { return form }
        }
        return renderer.render(result, layout: parser.tool(named: toolName)?.layout)
    }

    /// Returns the text of a failed result: its message, then its hint.
    package static func message(of result: ToolResult) -> String {
        let message = result.error?["message"]?.stringValue ?? "The tool failed without a message."
        guard let hint = result.error?["hint"]?.stringValue, !hint.isEmpty else { return message }
        return message + " " + hint
    }

    // MARK: - Session commands

    private func showHelp(topic: String?, line: Int) -> Outcome {
        let isJSON = renderOptions.format == .json
        let help = HelpText(
            parser: parser,
            style: isJSON ? .plain : renderOptions.style,
            width: isJSON ? nil : renderOptions.terminalWidth()
        )
        let text: String
        if let topic {
            do {
                text = try help.page(for: topic)
            } catch {
                reportFailure(error.message, line: line)
                return .failed
            }
        } else {
            text = help.overview()
        }
        if renderOptions.format == .json {
            output.writeOutput(ToolResult.success(.object(["help": .string(text)])).structured.serialized() + "\n")
        } else {
            output.writeOutput(text + "\n")
        }
        return .succeeded
    }

    private func unavailable(_ name: String, line: Int) -> Outcome {
        reportFailure("'\(name)' is not available on this venue: it works only on the built-in simulator (sim).",
                      line: line)
        return .failed
    }

    /// Describes a halt: what is refused now, which open orders were cancelled, and what failed.
    static func describe(_ report: HaltReport) -> String {
        var lines = ["Trading halted: new orders are refused until 'resume'."]
        if let cancellation = report.cancellation {
            if cancellation.cancelledSymbols.isEmpty {
                lines.append("No open orders were cancelled.")
            } else {
                lines.append("Cancelled the open orders of " + cancellation.cancelledSymbols.joined(separator: ", ") + ".")
            }
            lines += cancellation.failures.map { "Cancel failed: " + $0 }
        }
        if !report.isPersisted {
            lines.append("The halt file could not be written, so the halt holds only in this process.")
        }
        return lines.joined(separator: "\n")
    }

    private func runHook(
        name: String,
        line: Int,
        _ hook: () async throws(ToolError) -> String
    ) async -> Outcome {
        do {
            let text = try await hook()
            if renderOptions.format == .json {
                let result = ToolResult.success(.object(["message": .string(text)]))
                output.writeOutput(result.structured.serialized() + "\n")
            } else {
                output.writeOutput(text + "\n")
            }
            return .succeeded
        } catch {
            reportFailure(error.message + (error.hint.map { " " + $0 } ?? ""), line: line, type: error.type)
            return .failed
        }
    }

    // MARK: - Messages

    /// Prints a confirmation for a session setting at the terminal, in either format; scripts stay quiet, so
    /// their output holds only results.
    private func note(_ text: String) {
        guard origin == .shell else { return }
        output.writeOutput(renderOptions.style.dim(text) + "\n")
    }

    /// Reports a failure that did not come from a tool result: in JSON mode it is also a result line.
    private func reportFailure(_ message: String, line: Int, type: ToolErrorType = .validationError) {
        let message = engine.services.redactor.redact(message)
        if renderOptions.format == .json {
            output.writeOutput(ToolResult.failure(ToolError(type, message)).structured.serialized() + "\n")
        }
        reportError(message, line: line)
    }

    /// Writes an error to stderr: `line N: message` in scripts, `error: message` at the terminal.
    package func reportError(_ message: String, line: Int) {
        // Parser errors quote what was typed, which may be a secret pasted at the wrong place or a terminal escape.
        let message = UntrustedText.escapingControls(engine.services.redactor.redact(message))
        if origin == .shell {
            output.writeError(renderOptions.style.red("error:") + " " + message + "\n")
        } else {
            output.writeError("line \(line): \(message)\n")
        }
    }
}

/// Shows a `watch` view until the user stops it.
package protocol WatchPresenter {
    func watch(_ target: WatchTarget, call: ToolCall, session: ShellSession) async
}
