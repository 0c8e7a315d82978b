import Foundation
import MCP
import Tools

/// Collects the server's messages in memory and lets a test wait for one.
final class MemorySink: MessageSink, @unchecked Sendable {
    // The lock protects `messages`, which the server appends to from its tasks.
    private let lock = NSLock()
    private var messages: [JSONValue] = []

    func send(_ message: JSONValue) {
        lock.lock()
        defer { lock.unlock() }
        messages.append(message)
    }

    func flush() async {}

    var all: [JSONValue] {
        lock.lock()
        defer { lock.unlock() }
        return messages
    }

    /// Waits up to 60 seconds for a message that matches, and returns it. The deadline only ends a failing test;
    /// a passing one returns as soon as the message arrives, however busy the machine is.
    func waitFor(_ description: String, where matches: (JSONValue) -> Bool) async throws -> JSONValue {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if let message = all.first(where: matches) { return message }
            try await Task.sleep(for: .milliseconds(5))
        }
        if let message = all.first(where: matches) { return message }
        throw SinkTimeout(description: description, seen: all.map { $0.serialized() })
    }

    /// Waits for the response with the given id.
    func response(id: JSONValue) async throws -> JSONValue {
        try await waitFor("response to \(id.serialized())") { $0["id"] == id && $0["method"] == nil }
    }
}

struct SinkTimeout: Error, CustomStringConvertible {
    var description: String
    var seen: [String]
}
