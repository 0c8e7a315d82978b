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
}

/// Reads lines from standard input without a line editor (pipes and files). Prints no prompt.
package struct PlainLineReader: LineReader {
    package init() {}

    package func readLine(prompt: String) async -> LineInput {
        await withCheckedContinuation { continuation in
            Thread {
                if let line = Swift.readLine(strippingNewline: true) {
                    continuation.resume(returning: .line(line))
                } else {
                    continuation.resume(returning: .endOfInput)
                }
            }.start()
        }
    }
}

/// Returns the given lines one by one, then the end of input; for `-c` and tests.
package final class ListLineReader: LineReader, @unchecked Sendable {
    // The lock protects `remaining`.
    private let lock = NSLock()
    private var remaining: [String]

    package init(lines: [String]) { remaining = lines }

    package func readLine(prompt: String) async -> LineInput {
        lock.withLock {
            remaining.isEmpty ? .endOfInput : .line(remaining.removeFirst())
        }
    }
}
