import Foundation
@preconcurrency import Glibc
import Tools

/// Redraws a `watch` view in place every few seconds until a key is pressed or Ctrl-C.
package struct TerminalWatchPresenter: WatchPresenter {
    var output: any OutputSink
    var interrupts: any InterruptSource
    /// Time between refreshes. Two seconds keeps even the order book far below Binance's weight limit.
    var interval: Duration = .seconds(2)

    package func watch(_ target: WatchTarget, call: ToolCall, session: ShellSession) async {
        let symbol = call.arguments["symbol"]?.stringValue?.uppercased() ?? "all symbols"
        let terminal = RawKeyboard()
        defer { terminal.restore() }
        var drawnLines = 0
        var update = 0
        _ = interrupts.consumeInterrupt()

        while true {
            guard let result = await session.invoke(call) else { break }
            update += 1
            let time = session.renderer.formatTime(Decimal(Int64(Date().timeIntervalSince1970 * 1000))) ?? ""
            let title = "Watching \(target.rawValue) of \(symbol) every \(interval.components.seconds) s, "
                + "update \(update) at \(time.split(separator: " ").last ?? ""): press any key or Ctrl-C to stop."
            let body = result.isSuccess
                ? session.render(result, toolName: call.toolName) : "error: " + ShellSession.message(of: result)
            let frame = Self.fitting(session.renderOptions.style.dim(title) + "\n" + body, rows: TerminalSize.rows())
            if drawnLines > 0 { output.writeOutput("\u{1B}[\(drawnLines)A\u{1B}[J") }
            output.writeOutput(frame)
            drawnLines = frame.reduce(0) { $1 == "\n" ? $0 + 1 : $0 }

            if await waitForStop(terminal) { break }
        }
    }

    /// Cuts a frame to the terminal's height, so moving the cursor up to redraw it never passes the top of the
    /// screen; the last line then says how many lines are hidden. Returns the frame ending in a newline.
    package static func fitting(_ frame: String, rows: Int?) -> String {
        var lines = frame.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if let rows, rows >= 3, lines.count > rows - 1 {
            let hidden = lines.count - (rows - 2)
            lines = Array(lines.prefix(rows - 2)) + ["(\(hidden) more lines: enlarge the window to see them)"]
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Waits one interval; returns true when a key press or Ctrl-C requests a stop.
    private func waitForStop(_ terminal: RawKeyboard) async -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: interval)
        while clock.now < deadline {
            if interrupts.consumeInterrupt() || terminal.consumeKey() { return true }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return false
    }
}

/// Puts the terminal in non-canonical mode without echo, so one key press can be read; Ctrl-C still signals.
private struct RawKeyboard {
    private var saved = termios()
    private let isActive: Bool

    init() {
        var current = termios()
        guard isatty(0) == 1, tcgetattr(0, &current) == 0 else {
            isActive = false
            return
        }
        saved = current
        current.c_lflag &= ~tcflag_t(ICANON | ECHO)
        isActive = tcsetattr(0, TCSANOW, &current) == 0
    }

    func restore() {
        guard isActive else { return }
        var original = saved
        tcsetattr(0, TCSANOW, &original)
    }

    /// Returns true when a key was pressed, and reads what was typed.
    func consumeKey() -> Bool {
        guard isActive else { return false }
        var descriptor = pollfd(fd: 0, events: Int16(POLLIN), revents: 0)
        guard poll(&descriptor, 1, 0) > 0 else { return false }
        var buffer = [UInt8](repeating: 0, count: 64)
        _ = read(0, &buffer, buffer.count)
        return true
    }
}
