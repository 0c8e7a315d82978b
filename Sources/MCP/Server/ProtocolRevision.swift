/// The MCP protocol revisions this server speaks.
package enum ProtocolRevision {
    /// Revisions that open with the `initialize` handshake, oldest first.
    package static let handshake = ["2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25"]
    /// Stateless revisions, where every request carries its version in `_meta`.
    package static let stateless = ["2026-07-28"]
    package static let latestHandshake = "2025-11-25"
    /// Every revision, newest first, as `server/discover` and `UnsupportedProtocolVersionError` list them.
    package static let all: [String] = (handshake + stateless).reversed()

    /// Returns the revision the server uses for an `initialize` that asked for `requested`: the same one when it is
    /// a handshake revision, otherwise the newest handshake revision.
    package static func negotiate(requested: String) -> String {
        handshake.contains(requested) ? requested : latestHandshake
    }

    /// Whether the revision accepts JSON-RPC batches (arrays of messages). Only 2025-03-26 does: batches arrived in
    /// that revision and were removed in 2025-06-18.
    package static func acceptsBatches(_ revision: String) -> Bool {
        revision == "2025-03-26"
    }

    /// Whether tool results may carry `structuredContent` and tools an `outputSchema` (2025-06-18 and later).
    package static func hasStructuredContent(_ revision: String) -> Bool {
        revision >= "2025-06-18"
    }
}

/// Keys of the `_meta` object that the 2026-07-28 revision reserves.
package enum MetaKey {
    package static let protocolVersion = "io.modelcontextprotocol/protocolVersion"
    package static let clientCapabilities = "io.modelcontextprotocol/clientCapabilities"
    package static let clientInfo = "io.modelcontextprotocol/clientInfo"
    package static let logLevel = "io.modelcontextprotocol/logLevel"
    package static let serverInfo = "io.modelcontextprotocol/serverInfo"
}
