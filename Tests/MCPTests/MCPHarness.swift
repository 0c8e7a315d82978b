import Foundation
import MCP
import TestSupport
import Tools

/// A server over in-memory streams, with the fake tools, for dispatcher tests.
struct MCPHarness {
    let server: MCPServer
    let sink = MemorySink()
    let recorder = OrderRecorder()

    init(
        pageSize: Int = 100,
        environment: [String: String] = [:],
        clock: ManualClock? = nil,
        taskExecutor: (any TaskExecutor)? = nil
    ) throws {
        var options = MCPServerOptions(version: "9.9.9-test")
        options.maximumRateLimitWaitSeconds = 120
        options.toolsPageSize = pageSize
        // Long periods, so a busy machine cannot end a drain early; tests never wait for them to run out.
        options.drainPeriod = .seconds(60)
        options.cancellationGracePeriod = .seconds(10)
        var now: @Sendable () -> Date = { Date() }
        if let clock { now = clock.function }
        let engine = try MCPFakeTools.engine(recorder: recorder, environment: environment, clock: now)
        server = MCPServer(engine: engine, output: sink, options: options, taskExecutor: taskExecutor)
    }

    /// Delivers one raw line.
    func send(_ line: String) async {
        await server.receive(.line(Data(line.utf8)))
    }

    /// Sends a request and waits for its response.
    @discardableResult
    func request(_ id: Int, _ method: String, _ params: String = "{}") async throws -> JSONValue {
        await send(#"{"jsonrpc":"2.0","id":\#(id),"method":"\#(method)","params":\#(params)}"#)
        return try await sink.response(id: .int(id))
    }

    /// Waits up to 60 seconds for every running call to end.
    func waitForNoRunningCalls() async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while await server.runningCallCount > 0, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    /// Runs the handshake at 2025-11-25 with the given client capabilities.
    func initialize(capabilities: String = "{}", version: String = "2025-11-25") async throws {
        try await request(
            0,
            "initialize",
            #"{"protocolVersion":"\#(version)","capabilities":\#(capabilities),"clientInfo":{"name":"test","version":"1"}}"#
        )
        await send(#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#)
    }
}

/// The `_meta` of a stateless 2026-07-28 request.
func statelessMeta(capabilities: String = "{}", version: String = "2026-07-28", extra: String = "") -> String {
    #"{"io.modelcontextprotocol/protocolVersion":"\#(version)","io.modelcontextprotocol/clientCapabilities":\#(capabilities),"io.modelcontextprotocol/clientInfo":{"name":"test","version":"1"}\#(extra)}"#
}
