import BinanceAPI
import Foundation
import Tools

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Set by the SIGTERM handler; read by the watcher thread of `MCPEntryPoint.run`.
nonisolated(unsafe) private var sigtermReceived: sig_atomic_t = 0

/// Runs the MCP stdio server until stdin closes.
package enum MCPEntryPoint {
    /// Version reported in `serverInfo` when the caller gives none.
    package static let defaultVersion = "0.1.0"

    /// Serves JSON-RPC on stdin and stdout; returns the process exit status.
    ///
    /// At end of input, read-only calls still running get up to `MCPServerOptions.drainPeriod` (60 s) to finish and
    /// every other call is cancelled. Every request read before end of input gets a reply, the cancelled ones
    /// included, and then the function returns 0. SIGTERM cancels every call at once and ends the process with status
    /// 0 within about two seconds, also during a drain. No call starts after either, and pending order
    /// confirmations are withdrawn. Nothing but JSON-RPC messages is written to stdout; `logger` should write to
    /// stderr.
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
        // One thread reads stdin and runs the server, and a tool call that starts while no other runs, with its HTTP
        // transfers. Such a call goes from its request line to its reply without a hand-off between threads.
        let loop = CurlEventLoop(name: "mcp-loop")
        let server = MCPServer(
            engine: engine,
            output: sink,
            logger: logger,
            options: MCPServerOptions(version: version),
            taskExecutor: loop
        )

        // A sigaction handler only sets a flag, which a watcher thread polls. When the graceful stop has not ended
        // the process 1.5 s after SIGTERM, the watcher exits with status 0, so SIGTERM always ends it within 2 s.
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in sigtermReceived = 1 }
        sigemptyset(&action.sa_mask)
        sigaction(SIGTERM, &action, nil)
        let watcher = Thread {
            while sigtermReceived == 0 { usleep(50_000) }
            logger.info("SIGTERM received; stopping the MCP server")
            Task {
                await server.beginTermination()
                reader.stop()
            }
            usleep(1_500_000)
            fflush(nil)
            _exit(0)
        }
        watcher.name = "mcp-sigterm"
        watcher.start()

        logger.info("MCP server listening on stdio", ["mcp.venue": engine.services.venue.rawValue])
        reader.start(fileDescriptor: STDIN_FILENO, on: loop)
        await withTaskExecutorPreference(loop) {
            await server.serve(reader.lines)
        }
        logger.info("MCP server stopped")
        if sigtermReceived != 0 {
            // After SIGTERM the reader and watcher threads are still running; ending here skips the exit-time
            // destructors that `exit` would run beside them.
            fflush(nil)
            _exit(0)
        }
        return 0
    }
}
