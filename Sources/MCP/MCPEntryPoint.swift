import BinanceAPI
import Tools

/// Runs the MCP stdio server until stdin closes.
package enum MCPEntryPoint {
    /// Serves JSON-RPC on stdin and stdout; returns the process exit status.
    package static func run(engine: ToolEngine, logger: Logger) async -> Int32 {
        // TODO: placeholder until the MCP server lands.
        0
    }
}
