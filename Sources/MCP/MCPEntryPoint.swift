import BinanceAPI
import Foundation
import Tools

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs the MCP stdio server until stdin closes.
package enum MCPEntryPoint {
    /// Version reported in `serverInfo` when the caller gives none.
    package static let defaultVersion = "0.1.0"

    /// Serves JSON-RPC on stdin and stdout; returns the process exit status.
    ///
    /// Returns 0 within about two seconds of end of input or SIGTERM. At end of input, read-only calls still running
    /// get one second to send their results and every other call is cancelled; SIGTERM cancels every call at once.
    /// No call starts afterwards and pending order confirmations are withdrawn. Nothing but JSON-RPC messages is written to stdout; `logger` should write to stderr.
    package static func run(engine: ToolEngine, logger: Logger) async -> Int32 {
        await run(engine: engine, logger: logger, version: defaultVersion)
    }

    /// Serves JSON-RPC on stdin and stdout, reporting `version` in `serverInfo`; returns the process exit status.
    package static func run(engine: ToolEngine, logger: Logger, version: String) async -> Int32 {
        // A client that closes our stdout must not kill the process with SIGPIPE: writes then fail with EPIPE.
        signal(SIGPIPE, SIG_IGN)

        let reader = LineReader()
        let sink = FileDescriptorSink(
            fileDescriptor: STDOUT_FILENO,
            logger: logger,
            redactor: engine.services.redactor
        )
        let server = MCPServer(engine: engine, output: sink, logger: logger, options: MCPServerOptions(version: version))

        signal(SIGTERM, SIG_IGN)
        let termination = DispatchSource.makeSignalSource(signal: SIGTERM, queue: .global())
        termination.setEventHandler {
            logger.info("SIGTERM received; stopping the MCP server")
            Task {
                await server.beginTermination()
                reader.stop()
            }
        }
        termination.resume()
        defer { termination.cancel() }

        logger.info("MCP server listening on stdio", ["mcp.venue": engine.services.venue.rawValue])
        reader.start(fileDescriptor: STDIN_FILENO)
        await server.serve(reader.lines)
        logger.info("MCP server stopped")
        return 0
    }
}
