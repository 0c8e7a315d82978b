@preconcurrency import CEditLine
import Foundation

/// The completer that libedit's C callback uses. C function pointers cannot capture, so it is a global;
/// the shell sets it once before the first prompt.
nonisolated(unsafe) private var activeCompleter: Completer?
/// Matches of the completion in progress and the generator's position in them, read by the C callbacks.
nonisolated(unsafe) private var pendingMatches: [String] = []
nonisolated(unsafe) private var pendingMatchIndex = 0

/// Reads lines with libedit's readline-compatible API: editing, history and Tab completion.
///
/// Each `readline` call runs on a thread of its own, because it blocks; calls never overlap.
package final class EditLineReader: LineReader, @unchecked Sendable {
    /// History file path; nil keeps no history file.
    package let historyPath: String?
    /// Entries kept in memory and in the file.
    package let historyLimit: Int
    private let interrupts = InterruptSignal()

    package init(historyPath: String?, historyLimit: Int = 1000, completer: Completer?) {
        self.historyPath = historyPath
        self.historyLimit = historyLimit
        // libedit keeps the pointer for the life of the process, so the copy is never freed.
        rl_readline_name = UnsafePointer(strdup("binance-shell"))
        using_history()
        stifle_history(Int32(historyLimit))
        if let historyPath {
            _ = read_history(historyPath)
        }
        activeCompleter = completer
        if completer != nil {
            rl_attempted_completion_function = { text, start, end in
                rl_attempted_completion_over = 1
                prepareMatches(start: Int(start))
                guard !pendingMatches.isEmpty, let text else { return nil }
                return completion_matches(UnsafeMutablePointer(mutating: text)) { _, state in
                    if state == 0 { pendingMatchIndex = 0 }
                    guard pendingMatchIndex < pendingMatches.count else { return nil }
                    defer { pendingMatchIndex += 1 }
                    return strdup(pendingMatches[pendingMatchIndex])
                }
            }
        }
    }

    package func readLine(prompt: String) async -> LineInput {
        let interrupts = self.interrupts
        // A Ctrl-C pressed while no line was being read belongs to nothing; it must not abandon this line.
        _ = interrupts.consumeInterrupt()
        return await withCheckedContinuation { continuation in
            Thread {
                InterruptSignal.beginReading()
                let watchdog = InterruptWatchdog()
                watchdog.start()
                let result = readline(prompt)
                InterruptSignal.endReading()
                watchdog.stop()
                guard let pointer = result else {
                    if interrupts.consumeInterrupt() {
                        fputs("\n", stdout)
                        fflush(stdout)
                        continuation.resume(returning: .interrupted)
                    } else {
                        continuation.resume(returning: .endOfInput)
                    }
                    return
                }
                let line = String(cString: pointer)
                free(pointer)
                continuation.resume(returning: .line(line))
            }.start()
        }
    }

    /// Adds a line to the history and rewrites the history file (mode 0600), unless the line could carry
    /// a secret.
    package func addToHistory(_ line: String) {
        guard HistoryFilter.shouldStore(line) else { return }
        add_history(line)
        guard let historyPath else { return }
        if !FileManager.default.fileExists(atPath: historyPath) {
            _ = FileManager.default.createFile(
                atPath: historyPath,
                contents: nil,
                attributes: [.posixPermissions: 0o600]
            )
        }
        _ = write_history(historyPath)
        chmod(historyPath, 0o600)
    }
}

/// Repeats a pending Ctrl-C to the thread in `readline` every 100 ms until that call returns.
private final class InterruptWatchdog: @unchecked Sendable {
    // The lock protects `isRunning`. `wake` ends a wait early; `finished` is signalled once when the loop ends.
    private let lock = NSLock()
    private var isRunning = true
    private let wake = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)

    func start() {
        Thread { [self] in
            while lock.withLock({ isRunning }) {
                _ = wake.wait(timeout: .now() + .milliseconds(100))
                if lock.withLock({ isRunning }) { InterruptSignal.repeatPendingInterrupt() }
            }
            finished.signal()
        }.start()
    }

    /// Stops the loop and waits for it, so no repeated signal arrives after the caller reads the interrupt flag.
    func stop() {
        lock.withLock { isRunning = false }
        wake.signal()
        finished.wait()
    }
}

/// Fills `pendingMatches` with replacements for libedit's word, which starts at byte `start` of the line.
private func prepareMatches(start: Int) {
    pendingMatches = []
    guard let completer = activeCompleter, let buffer = rl_line_buffer else { return }
    let cursor = Int(rl_point)
    let lineBytes = UnsafeBufferPointer(start: UnsafeRawPointer(buffer).assumingMemoryBound(to: UInt8.self),
                                        count: strlen(buffer))
    let prefix = String(decoding: lineBytes.prefix(max(0, min(cursor, lineBytes.count))), as: UTF8.self)
    let (wordStart, candidates) = completer.complete(prefix)
    // libedit may break words at characters such as '=', so its word can start after ours.
    let skip = max(0, start - wordStart)
    pendingMatches = candidates.compactMap { candidate in
        let bytes = Array(candidate.utf8)
        guard bytes.count >= skip else { return nil }
        return String(decoding: bytes[skip...], as: UTF8.self)
    }
    let endsOpen = pendingMatches.count == 1 && pendingMatches[0].hasSuffix("=")
    rl_completion_append_character = endsOpen ? 0 : 32
}
