import Foundation

/// One read from the user or a script.
package enum LineInput: Sendable, Equatable {
    case line(String)
    /// Ctrl-C abandoned the line being typed.
    case interrupted
    /// Ctrl-D on an empty line, or the end of a script.
    case endOfInput
}

/// Reads command lines. Implementations block on a thread of their own, never on the cooperative pool.
package protocol LineReader: Sendable {
    func readLine(prompt: String) async -> LineInput
    /// True when `readLine` can return without waiting for input: a line or the end of input is at hand.
    var isInputReady: Bool { get }
}

extension LineReader {
    /// Unknown by default, so callers assume a wait.
    package var isInputReady: Bool { false }
}

/// Reads lines from standard input without a line editor (pipes and files). Prints no prompt.
///
/// One thread of its own reads ahead (at most `readAhead` lines) and hands lines over through a buffer, so a
/// script of many short commands costs no thread and no wait per line; a thread per line made script mode
/// spend more time starting threads and switching to them than running commands. A full buffer stops the
/// reader thread until half of it has been taken, so it is woken once per `readAhead / 2` lines rather than
/// once per line.
package final class PlainLineReader: LineReader, @unchecked Sendable {
    // The condition's lock protects every stored property below.
    private let condition = NSCondition()
    private var buffered: [LineInput] = []
    private var next = 0
    private var waiting: CheckedContinuation<LineInput, Never>?
    private var isStarted = false
    private var isFinished = false
    /// True while the reader thread waits for room in a full buffer; only then does taking a line wake it.
    private var isReaderWaiting = false
    private let readAhead: Int
    /// Returns the next line without its newline, or nil at the end of input; blocks.
    private let source: @Sendable () -> String?

    /// Reads standard input.
    package convenience init() {
        self.init(readAhead: 256) { Swift.readLine(strippingNewline: true) }
    }

    /// Reads lines from `source`, holding at most `readAhead` of them; tests pass a source of their own.
    package init(readAhead: Int, source: @escaping @Sendable () -> String?) {
        self.readAhead = max(readAhead, 2)
        self.source = source
    }

    package func readLine(prompt: String) async -> LineInput {
        if let line = take() { return line }
        return await withCheckedContinuation { continuation in offer(continuation) }
    }

    package var isInputReady: Bool {
        condition.lock()
        defer { condition.unlock() }
        return next < buffered.count || isFinished
    }

    /// Returns the next buffered line, or the end of input once reached. Returns nil when the reader thread must be waited for.
    private func take() -> LineInput? {
        condition.lock()
        defer { condition.unlock() }
        if let line = takeLocked() { return line }
        return isFinished ? .endOfInput : nil
    }

    /// Resumes `continuation` with a line if one arrived meanwhile, otherwise leaves it for the reader thread.
    private func offer(_ continuation: CheckedContinuation<LineInput, Never>) {
        condition.lock()
        if let line = takeLocked() ?? (isFinished ? .endOfInput : nil) {
            condition.unlock()
            continuation.resume(returning: line)
            return
        }
        waiting = continuation
        startLocked()
        condition.unlock()
    }

    /// Returns the next buffered line and lets the reader thread continue; nil when none is buffered.
    private func takeLocked() -> LineInput? {
        guard next < buffered.count else { return nil }
        let line = buffered[next]
        next += 1
        if next == buffered.count {
            buffered.removeAll(keepingCapacity: true)
            next = 0
        } else if next >= readAhead {
            // The reader thread may keep the buffer from ever emptying; dropping taken lines bounds its size.
            buffered.removeFirst(next)
            next = 0
        }
        if isReaderWaiting, buffered.count - next <= readAhead / 2 { condition.signal() }
        return line
    }

    private func startLocked() {
        guard !isStarted else { return }
        isStarted = true
        let thread = Thread { [self] in readLines() }
        thread.start()
    }

    private func readLines() {
        while true {
            let input: LineInput = source().map { .line($0) } ?? .endOfInput
            condition.lock()
            if let waiter = waiting {
                waiting = nil
                if input == .endOfInput { isFinished = true }
                condition.unlock()
                waiter.resume(returning: input)
            } else if input == .endOfInput {
                isFinished = true
                condition.unlock()
            } else {
                buffered.append(input)
                if buffered.count - next >= readAhead {
                    isReaderWaiting = true
                    // Woken when half the buffer has been taken; the loop guards against spurious wake-ups.
                    while buffered.count - next > readAhead / 2 { condition.wait() }
                    isReaderWaiting = false
                }
                condition.unlock()
            }
            if input == .endOfInput { return }
        }
    }
}

/// Returns the given lines one by one, then the end of input; for `-c` and tests.
package final class ListLineReader: LineReader, @unchecked Sendable {
    // The lock protects `remaining`.
    private let lock = NSLock()
    private var remaining: [String]

    package init(lines: [String]) { remaining = lines }

    package var isInputReady: Bool { true }

    package func readLine(prompt: String) async -> LineInput {
        lock.withLock {
            remaining.isEmpty ? .endOfInput : .line(remaining.removeFirst())
        }
    }
}
