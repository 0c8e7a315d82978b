import Foundation

/// Why and since when new orders are refused.
package struct HaltState: Sendable, Equatable {
    package var reason: String
    package var since: Date

    package init(reason: String, since: Date) {
        self.reason = reason
        self.since = since
    }
}

/// The kill switch: a file in the state directory whose presence refuses new orders.
///
/// Being a file, it survives restarts and reaches every process that shares the directory (a shell and an MCP
/// server started by the same user see the same switch). It is read on every order, so a halt set by one
/// process stops the next order of another.
package struct KillSwitch: Sendable {
    /// Path of the switch file; nil keeps the switch in memory only (the state directory is unusable).
    package let path: String?

    package static let fileName = "halt.json"

    package init(directory: String?) {
        path = directory.map { ($0 as NSString).appendingPathComponent(Self.fileName) }
    }

    /// The current halt, or nil when orders are allowed. A switch file that cannot be parsed still halts.
    package func read() -> HaltState? {
        guard let path, let data = FileManager.default.contents(atPath: path) else { return nil }
        let fallback = HaltState(reason: "the halt file '\(path)' exists", since: Date(timeIntervalSince1970: 0))
        guard let json = try? JSONValue.parse(data) else { return fallback }
        let reason = json["reason"]?.stringValue ?? fallback.reason
        let milliseconds = json["since_ms"]?.decimalValue.map { NSDecimalNumber(decimal: $0).doubleValue } ?? 0
        return HaltState(reason: reason, since: Date(timeIntervalSince1970: milliseconds / 1000))
    }

    /// Writes the switch file with mode 0600, replacing an earlier one.
    /// - Throws: `ToolError` of type `internal_error` when the file cannot be written.
    package func write(_ state: HaltState) throws(ToolError) {
        guard let path else { return }
        let json: JSONValue = .object([
            "reason": .string(state.reason),
            "since_ms": .int64(Int64((state.since.timeIntervalSince1970 * 1000).rounded())),
        ])
        do {
            try SecureFile.createDirectory(atPath: (path as NSString).deletingLastPathComponent)
            try SecureFile.replaceContents(ofPath: path, with: Data((json.serialized() + "\n").utf8))
        } catch {
            throw ToolError(.internalError, "Cannot write the halt file '\(path)': \(error.description).")
        }
    }

    /// Removes the switch file.
    /// - Throws: `ToolError` of type `internal_error` when the file exists and cannot be removed.
    package func clear() throws(ToolError) {
        guard let path, FileManager.default.fileExists(atPath: path) else { return }
        guard unlink(path) == 0 || errno == ENOENT else {
            throw ToolError(.internalError, "Cannot remove the halt file '\(path)': \(String(cString: strerror(errno))).")
        }
    }
}
