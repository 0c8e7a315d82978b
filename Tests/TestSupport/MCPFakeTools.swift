import BinanceAPI
import Foundation
import Tools

/// A small tool engine for MCP tests: a few fake tools and a transport that never answers.
package enum MCPFakeTools {
    /// Names of the fake tools, in catalogue order.
    package static let names = ["echo_price", "slow_wait", "report_progress", "place_fake_order", "send_regardless"]

    /// Builds an engine whose tools are `echo_price` (read-only), `slow_wait` (not read-only, runs until cancelled),
    /// `report_progress` (two progress messages), `place_fake_order` (asks the confirmer) and `send_regardless`
    /// (changes state and ignores cancellation, like an order already on its way to the exchange).
    /// - Parameters:
    ///   - environment: extra configuration variables, such as `MCP_MAX_REQUESTS_PER_MINUTE`.
    ///   - clock: the time the invocation rate limiter sees.
    package static func engine(
        recorder: OrderRecorder = OrderRecorder(),
        environment: [String: String] = [:],
        clock: @escaping @Sendable () -> Date = { Date() }
    ) throws -> ToolEngine {
        // A home of its own, so the audit log and trading state never land in the shared temporary directory.
        var variables = ["BINANCE_SHELL_HOME": TemporaryHome(prefix: "bsh-mcp").path]
        variables.merge(environment) { _, new in new }
        let configuration = try Configuration.load(environment: variables, envFileText: nil)
        let client = BinanceClient(
            configuration: ClientConfiguration(spotBaseURL: "sim://spot", futuresBaseURL: "sim://futures", credentials: nil),
            transport: UnreachableTransport()
        )
        let services = ToolServices(configuration: configuration, venue: .sim, client: client)
        return ToolEngine(
            tools: [echoPrice, slowWait, reportProgress, placeFakeOrder(recorder: recorder), sendRegardless(recorder: recorder)],
            services: services,
            clock: clock
        )
    }

    static let priceSchema: JSONValue = .object([
        "type": .string("object"),
        "properties": .object([
            "symbol": .object(["type": .string("string")]),
            "price": .object(["type": .string("string")]),
        ]),
        "required": .array([.string("symbol"), .string("price")]),
    ])

    static let echoPrice = Tool(
        name: "echo_price",
        title: "Echo price",
        summary: "Returns a fixed price for a symbol.",
        group: .market,
        parameters: [
            ToolParameter("symbol", .symbol, required: true, "Trading pair such as BTCUSDT"),
            ToolParameter("limit", .integer(minimum: 1, maximum: 100), default: "5", "How many levels"),
        ],
        dataSchema: priceSchema,
        annotations: .read,
        examples: ["echo_price BTCUSDT"]
    ) { arguments, _ in
        .object(["symbol": .string(arguments.string("symbol") ?? ""), "price": .string("70000.01")])
    }

    static let slowWait = Tool(
        name: "slow_wait",
        title: "Slow wait",
        summary: "Sleeps for up to a minute, or until cancelled.",
        group: .session,
        parameters: [],
        dataSchema: .object(["type": .string("object")]),
        annotations: ToolAnnotations(readOnly: false, destructive: false, idempotent: true, openWorld: false),
        examples: []
    ) { (_, _) async throws(ToolError) -> JSONValue in
        try? await Task.sleep(for: .seconds(60))
        if Task.isCancelled { throw ToolError(.cancelled, "The call was cancelled.") }
        return .object([:])
    }

    static let reportProgress = Tool(
        name: "report_progress",
        title: "Report progress",
        summary: "Reports two progress messages, then succeeds.",
        group: .session,
        parameters: [],
        dataSchema: .object(["type": .string("object")]),
        annotations: .local,
        examples: []
    ) { _, context in
        context.invocation.progress?("waiting 1")
        try? await Task.sleep(for: .milliseconds(50))
        context.invocation.progress?("waiting 2")
        try? await Task.sleep(for: .milliseconds(50))
        return .object(["waitPolicy": .string(String(describing: context.invocation.waitPolicy))])
    }

    static func placeFakeOrder(recorder: OrderRecorder) -> Tool {
        Tool(
            name: "place_fake_order",
            title: "Place fake order",
            summary: "Asks for confirmation, then records an order.",
            group: .trading,
            parameters: [ToolParameter("symbol", .symbol, required: true, "Trading pair such as BTCUSDT")],
            dataSchema: .object(["type": .string("object")]),
            annotations: ToolAnnotations(readOnly: false, destructive: true, idempotent: false),
            examples: []
        ) { (arguments, context) async throws(ToolError) -> JSONValue in
            let symbol = arguments.string("symbol") ?? ""
            let request = ConfirmationRequest(
                summary: "BUY 0.001 \(symbol) at market",
                preview: .object(["symbol": .string(symbol)])
            )
            switch await context.invocation.confirmer.confirm(request) {
            case .accepted:
                recorder.record(symbol)
                return .object(["placed": .string(symbol)])
            case .declined:
                throw ToolError(.confirmationDeclined, "The order was declined; nothing was placed.")
            case .cancelled:
                throw ToolError(.confirmationDeclined, "The confirmation was cancelled; nothing was placed.")
            case .unavailable(let reason):
                throw ToolError(.confirmationRequired, reason)
            }
        }
    }
}

extension MCPFakeTools {
    static func sendRegardless(recorder: OrderRecorder) -> Tool {
        Tool(
            name: "send_regardless",
            title: "Send regardless",
            summary: "Records an order after 200 ms, even when the call is cancelled meanwhile. With lost=true it then "
                + "fails with order_status_unknown, like an order whose response never came.",
            group: .trading,
            parameters: [ToolParameter("lost", .boolean, "Fail with order_status_unknown after recording")],
            dataSchema: .object(["type": .string("object")]),
            annotations: ToolAnnotations(readOnly: false, destructive: true, idempotent: false),
            examples: []
        ) { (arguments, _) async throws(ToolError) -> JSONValue in
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                DispatchQueue.global().asyncAfter(deadline: .now() + 0.2) { continuation.resume() }
            }
            recorder.record("SENT")
            if arguments.boolean("lost") == true {
                throw ToolError(
                    .orderStatusUnknown,
                    "The outcome of order 'lost-1' on BTCUSDT is unknown: the response did not arrive.",
                    hint: "Check it with get_order symbol=BTCUSDT client_order_id=lost-1 before placing it again."
                )
            }
            return .object(["placed": .bool(true)])
        }
    }
}

/// Records the symbols of fake orders that were placed.
package final class OrderRecorder: @unchecked Sendable {
    // The lock protects `placed`, which tool tasks append to while tests read it.
    private let lock = NSLock()
    private var placed: [String] = []

    package init() {}

    package func record(_ symbol: String) {
        lock.lock()
        defer { lock.unlock() }
        placed.append(symbol)
    }

    package var orders: [String] {
        lock.lock()
        defer { lock.unlock() }
        return placed
    }
}

/// A transport for tests that must never reach an exchange: every request fails as not sent.
package struct UnreachableTransport: HTTPTransport {
    package init() {}

    package func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
        throw .notSent("no exchange in this test")
    }
}
