import Foundation

/// Whether a prompt inside a running command (the order confirmation) is reading a line.
///
/// While it is, the command's Ctrl-C watcher leaves Ctrl-C to the line reader, which turns it into a
/// cancelled confirmation, and the waiting message stays off the screen, so the prompt stays readable.
package final class PromptActivity: @unchecked Sendable {
    // The lock protects `depth`.
    private let lock = NSLock()
    private var depth = 0

    package init() {}

    package var isActive: Bool { lock.withLock { depth > 0 } }

    /// Runs `body` with the prompt marked active.
    package func during<Value>(_ body: () async -> Value) async -> Value {
        lock.withLock { depth += 1 }
        defer { lock.withLock { depth -= 1 } }
        return await body()
    }
}
