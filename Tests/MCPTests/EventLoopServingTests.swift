import BinanceAPI
import Foundation
import MCP
import Testing
import Tools

/// The server with its input and tool calls on a `CurlEventLoop`, as `MCPEntryPoint` runs it.
@Suite struct EventLoopServingTests {
    @Test func cancellationOnLoopStopsCall() async throws {
        let loop = CurlEventLoop(name: "test-mcp-loop")
        defer { loop.stop() }
        let harness = try MCPHarness(taskExecutor: loop)
        try await harness.initialize()

        await harness.send(#"{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"slow_wait"}}"#)
        let ping = try await harness.request(6, "ping")
        await harness.send(#"{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":5}}"#)
        try await harness.waitForNoRunningCalls()
        await harness.send(#"{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"echo_price","arguments":{"symbol":"BNBUSDT"}}}"#)
        let echo = try await harness.sink.response(id: .int(7))

        #expect(ping["result"] == .object([:]))
        #expect(await harness.server.runningCallCount == 0)
        #expect(!harness.sink.all.contains { $0["id"] == .int(5) })
        #expect(echo["result"]?["structuredContent"]?["data"]?["symbol"] == .string("BNBUSDT"))
    }

    @Test func burstFromPipeOnLoopAnswersAll() async throws {
        let loop = CurlEventLoop(name: "test-mcp-loop")
        defer { loop.stop() }
        let harness = try MCPHarness(environment: ["MCP_MAX_REQUESTS_PER_MINUTE": "100000"], taskExecutor: loop)
        let pipe = Pipe()
        let reader = LineReader()
        reader.start(fileDescriptor: pipe.fileHandleForReading.fileDescriptor, on: loop)

        var input = #"{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25"}}"# + "\n"
        for id in 1...100 {
            let call = id % 2 == 0
                ? #"{"name":"report_progress"}"#
                : #"{"name":"echo_price","arguments":{"symbol":"BTCUSDT"}}"#
            input += #"{"jsonrpc":"2.0","id":\#(id),"method":"tools/call","params":\#(call)}"# + "\n"
        }
        try pipe.fileHandleForWriting.write(contentsOf: Data(input.utf8))
        try pipe.fileHandleForWriting.close()
        await withTaskExecutorPreference(loop) {
            await harness.server.serve(reader.lines)
        }

        let ids = Set(harness.sink.all.compactMap { $0["id"]?.decimalValue })
        let expected = Set((0...100).map { Decimal($0) })
        #expect(ids == expected, "missing replies: \(expected.subtracting(ids).sorted())")
        let errors = harness.sink.all.filter { $0["result"]?["isError"] == .bool(true) }
        #expect(errors.isEmpty, "\(errors.count) errors, such as \(errors.first?.serialized() ?? "")")
    }
}
