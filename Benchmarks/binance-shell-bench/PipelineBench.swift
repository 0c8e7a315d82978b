import Foundation
import Tools

/// Whole tool calls on the in-process simulator: decoding, validation, the invocation limit, signing, the
/// exchange, parsing, redaction and the audit event. The simulator's own time is measured at the transport and
/// reported separately, so `pipeline` is what the product adds around the exchange.
enum PipelineBench {
    static func run(calls: Int) async throws {
        let venue = try BenchVenue(environment: ["MCP_MAX_REQUESTS_PER_MINUTE": "100000"])
        await venue.adoptExchangeLimits()
        defer { venue.removeHome() }
        let cases: [(label: String, tool: String, arguments: [String: JSONValue])] = [
            ("get_ticker_price (unsigned)", "get_ticker_price", ["symbol": .string("BTCUSDT")]),
            ("get_balance (signed)", "get_balance", ["asset": .string("USDT")]),
        ]
        for entry in cases {
            for _ in 0..<min(1_000, calls) { try await venue.call(entry.tool, entry.arguments) }
            _ = venue.transport.takeSpent()

            var totals: [Double] = []
            var simulator: [Double] = []
            var pipeline: [Double] = []
            totals.reserveCapacity(calls)
            let clock = ContinuousClock()
            let cpuBefore = processCPUMicroseconds()
            for _ in 0..<calls {
                let started = clock.now
                try await venue.call(entry.tool, entry.arguments)
                let total = microseconds(clock.now - started)
                let inside = microseconds(venue.transport.takeSpent())
                totals.append(total)
                simulator.append(inside)
                pipeline.append(total - inside)
            }
            let cpuPerCall = (processCPUMicroseconds() - cpuBefore) / Double(calls)
            report("pipeline \(entry.label): whole call", Sample(totals), unit: "µs", runs: "calls", showP99: true)
            report("pipeline \(entry.label): simulator share", Sample(simulator), unit: "µs", runs: "calls")
            report("pipeline \(entry.label): pipeline only", Sample(pipeline), unit: "µs", runs: "calls", showP99: true,
                   target: "≤ 50 µs")
            // Wall time waits for the CPU on a busy machine; the process's CPU time does not.
            let simulatorMedian = Sample(simulator).median
            reportValue("pipeline \(entry.label): CPU per call, whole", cpuPerCall, unit: "µs",
                        note: "process user + system time over \(calls) calls, mean")
            reportValue("pipeline \(entry.label): CPU per call, pipeline only", cpuPerCall - simulatorMedian, unit: "µs",
                        note: "the mean above minus the simulator's median wall share; target ≤ 50 µs")
        }
    }
}
