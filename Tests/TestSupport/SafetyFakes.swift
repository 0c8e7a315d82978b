import BinanceAPI
import Foundation
import Tools

/// A transport that records every request and returns a scripted response to each.
package final class RecordingTransport: HTTPTransport, @unchecked Sendable {
    // The lock protects `requests` and `responder`, which concurrent sends and the test read and write.
    private let lock = NSLock()
    private var recorded: [HTTPRequest] = []
    private var responder: @Sendable (HTTPRequest) -> HTTPResponse

    /// - Parameter responder: returns the response to each request; by default `200 {}`.
    package init(responder: @escaping @Sendable (HTTPRequest) -> HTTPResponse = { _ in
        HTTPResponse(status: 200, body: Data("{}".utf8))
    }) {
        self.responder = responder
    }

    package var requests: [HTTPRequest] {
        lock.lock()
        defer { lock.unlock() }
        return recorded
    }

    package func respond(with responder: @escaping @Sendable (HTTPRequest) -> HTTPResponse) {
        lock.lock()
        defer { lock.unlock() }
        self.responder = responder
    }

    package func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
        let responder = lock.withLock {
            recorded.append(request)
            return self.responder
        }
        return responder(request)
    }
}

/// A confirmer that returns a fixed decision and records every request.
package final class FixedConfirmer: OrderConfirmer, @unchecked Sendable {
    // The lock protects `requests`, appended from the guard's task and read by the test.
    private let lock = NSLock()
    private var received: [ConfirmationRequest] = []
    package let decision: ConfirmationDecision

    package init(_ decision: ConfirmationDecision) { self.decision = decision }

    package var requests: [ConfirmationRequest] {
        lock.lock()
        defer { lock.unlock() }
        return received
    }

    package func confirm(_ request: ConfirmationRequest) async -> ConfirmationDecision {
        lock.withLock { received.append(request) }
        return decision
    }
}

/// A clock the test moves by hand.
package final class ManualClock: @unchecked Sendable {
    // The lock protects `current`, read from actors and moved by the test.
    private let lock = NSLock()
    private var current: Date

    package init(_ start: Date = Date(timeIntervalSince1970: 1_800_000_000)) { current = start }

    package var now: Date {
        lock.lock()
        defer { lock.unlock() }
        return current
    }

    package func advance(by seconds: TimeInterval) {
        lock.lock()
        defer { lock.unlock() }
        current = current.addingTimeInterval(seconds)
    }

    package var function: @Sendable () -> Date { { [self] in now } }
}

/// Fixed values and builders for safety tests.
package enum SafetyFixtures {
    /// A 64-character key and secret never used anywhere else, so any occurrence in output is a leak.
    package static let canaryKey = "CanaryKey7Qx2Lm9Vb4Nc8Zr1Ws5Ty3Ud6Ef0Gh2Jk4Mn7Pq9Rs1Tu3Vw5Xy8Za0"
    package static let canarySecret = "CanarySecret3Hj8Kl2Mn5Bv7Cx9Zq1Wr4Ty6Ui8Op0As2Df4Gh6Jk8Lz1Xc3Vb5"

    /// Creates a fresh temporary directory for one test's state (`BINANCE_SHELL_HOME`), removed when the test
    /// process exits at the latest.
    package static func temporaryDirectory() -> String {
        TemporaryHome().path
    }

    /// Returns the first run of 8 bytes of any of `secrets` that occurs in `text`, or nil: a leak as the redactor
    /// defines it (its minimum fragment length is 8). One pass over `text` with the windows packed into integers,
    /// so large outputs such as an audit log are checked quickly.
    package static func leakedFragment(of secrets: [String], in text: String) -> String? {
        var windows: [UInt64: String] = [:]
        for secret in secrets {
            let bytes = Array(secret.utf8)
            guard bytes.count >= 8 else { continue }
            for start in 0...(bytes.count - 8) {
                let window = bytes[start..<(start + 8)].reduce(UInt64(0)) { ($0 << 8) | UInt64($1) }
                windows[window] = String(decoding: bytes[start..<(start + 8)], as: UTF8.self)
            }
        }
        var window: UInt64 = 0
        for (index, byte) in text.utf8.enumerated() {
            window = (window << 8) | UInt64(byte)
            if index >= 7, let fragment = windows[window] { return fragment }
        }
        return nil
    }

    /// A configuration read from `environment`, with the state directory `home`.
    package static func configuration(_ environment: [String: String] = [:], home: String) throws(ToolError)
        -> Configuration
    {
        var environment = environment
        environment["BINANCE_SHELL_HOME"] = home
        environment["MCP_LOG_SECURITY"] = environment["MCP_LOG_SECURITY"] ?? "false"
        return try Configuration.load(environment: environment, envFileText: nil)
    }

    /// The environment of a live venue with the canary credentials.
    package static let liveEnvironment: [String: String] = [
        "BINANCE_API_KEY": canaryKey,
        "BINANCE_API_SECRET": canarySecret,
    ]

    /// An invocation from `origin` with the given confirmer.
    package static func invocation(
        _ origin: Origin = .shell,
        confirmer: any OrderConfirmer = FixedConfirmer(.accepted),
        requestID: String = "1"
    ) -> Invocation {
        Invocation(origin: origin, requestID: requestID, waitPolicy: .failFast, confirmer: confirmer)
    }

    /// Builds a client for `configuration` that sends through `transport` with the canary credentials.
    package static func client(_ configuration: Configuration, transport: any HTTPTransport) -> BinanceClient {
        BinanceClient(
            configuration: ClientConfiguration(
                spotBaseURL: "https://api.binance.com",
                futuresBaseURL: "https://fapi.binance.com",
                credentials: Credentials(apiKey: Secret(canaryKey), signer: HMACSigner(secret: Secret(canarySecret)))
            ),
            transport: transport
        )
    }

    /// An order tool for pipeline tests: it builds an intent from its arguments, calls the guard, then sends
    /// `POST /api/v3/order`, as the real order tool does.
    package static let orderTool = Tool(
        name: "test_order",
        title: "Test order",
        summary: "Places a LIMIT or MARKET order after the trading guard allows it.",
        group: .trading,
        parameters: [
            ToolParameter("symbol", .symbol, required: true, "Trading pair"),
            ToolParameter("side", .enumeration(["BUY", "SELL"]), required: true, "Side"),
            ToolParameter("order_type", .enumeration(["LIMIT", "MARKET"]), required: true, "Type"),
            ToolParameter("quantity", .decimal, "Quantity"),
            ToolParameter("price", .decimal, "Limit price"),
            ToolParameter("client_order_id", .clientOrderID, "Client order id"),
        ],
        dataSchema: .object([:]),
        annotations: ToolAnnotations(readOnly: false, destructive: false, idempotent: false),
        examples: []
    ) { arguments, context throws(ToolError) in
        let symbol = arguments.string("symbol") ?? ""
        let quantity = arguments.decimal("quantity")
        let price = arguments.decimal("price")
        let intent = OrderIntent(
            symbol: symbol,
            side: arguments.string("side") ?? "",
            type: arguments.string("order_type") ?? "",
            quantity: quantity,
            price: price,
            notional: price.flatMap { price in quantity.map { $0 * price } },
            quoteAsset: "USDT",
            clientOrderID: arguments.string("client_order_id") ?? "test-order-1"
        )
        try await context.services.tradingGuard.authorize(intent, preview: intent.json, invocation: context.invocation)
        var parameters = RequestParameters([("symbol", symbol), ("side", intent.side), ("type", intent.type)])
        parameters.set("quantity", quantity.map { DecimalText.format($0) })
        parameters.set("price", price.map { DecimalText.format($0) })
        parameters.set("newClientOrderId", intent.clientOrderID)
        do {
            let response = try await context.services.client.send(.newOrder, parameters)
            return try JSONValue.parse(response.body)
        } catch let error as BinanceError {
            if case .rejected(_, let code, let message) = error {
                throw ToolError(.binanceAPIError, message, code: code)
            }
            throw ToolError(.networkError, "The order request failed.")
        } catch {
            throw ToolError(.internalError, "The order response could not be read.")
        }
    }

    /// A cancel tool for pipeline tests: calls the guard, then sends `DELETE /api/v3/openOrders`.
    package static let cancelTool = Tool(
        name: "test_cancel",
        title: "Test cancel",
        summary: "Cancels the open orders of a symbol after the trading guard allows it.",
        group: .trading,
        parameters: [ToolParameter("symbol", .symbol, required: true, "Trading pair")],
        dataSchema: .object([:]),
        annotations: ToolAnnotations(readOnly: false, destructive: true, idempotent: true),
        examples: []
    ) { arguments, context throws(ToolError) in
        let symbol = arguments.string("symbol") ?? ""
        try await context.services.tradingGuard.authorizeCancel(symbol: symbol, invocation: context.invocation)
        do {
            _ = try await context.services.client.send(.cancelOpenOrders, ["symbol": symbol])
            return .object(["symbol": .string(symbol)])
        } catch {
            throw ToolError(.binanceAPIError, "The cancel failed.")
        }
    }

    /// A read-only tool that echoes a text argument, for redaction and rate-limit tests.
    package static let echoTool = Tool(
        name: "test_echo",
        title: "Test echo",
        summary: "Returns its text argument, or fails with it as the error message.",
        group: .session,
        parameters: [
            ToolParameter("text", .string, required: true, "Text to return"),
            ToolParameter("fail", .boolean, "Fail with the text as the message"),
        ],
        dataSchema: .object([:]),
        annotations: .local,
        examples: []
    ) { arguments, _ throws(ToolError) in
        let text = arguments.string("text") ?? ""
        if arguments.boolean("fail") == true { throw ToolError(.binanceAPIError, text, code: -1022) }
        return .object(["text": .string(text)])
    }

    /// An engine with the test tools, its audit log and guard state in `home`.
    package static func engine(
        _ configuration: Configuration,
        transport: any HTTPTransport,
        clock: ManualClock = ManualClock(),
        securityEventSink: (@Sendable (String) -> Void)? = nil
    ) -> ToolEngine {
        let redactor = Redactor(configuration: configuration)
        let audit = AuditLog(directory: configuration.home, redactor: redactor, securityEventSink: securityEventSink)
        let services = ToolServices(
            configuration: configuration,
            venue: configuration.venue,
            client: client(configuration, transport: transport),
            tradingGuard: TradingGuard(
                configuration: configuration,
                stateDirectory: configuration.home,
                audit: audit,
                clock: clock.function
            ),
            audit: audit,
            redactor: redactor
        )
        return ToolEngine(tools: [orderTool, cancelTool, echoTool], services: services, clock: clock.function)
    }
}

/// A fresh state directory (`BINANCE_SHELL_HOME`) for one test, under the system's temporary directory.
///
/// A test removes it with `remove()`, usually in a `defer`. Every directory made here that still exists when the
/// test process exits is removed then, so no test leaves state behind or writes to a shared path.
package final class TemporaryHome: Sendable {
    package let path: String

    package init(prefix: String = "bsh-test") {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        // Creating a fresh directory under /tmp fails only when /tmp itself is unusable, which no test survives.
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        path = url.path
        Self.register(path)
    }

    /// Removes the directory and everything in it.
    package func remove() {
        try? FileManager.default.removeItem(atPath: path)
        _ = Self.registry.withLock { $0.paths.remove(path) }
    }

    /// Schedules `path`, a directory a test created, for removal when the test process exits.
    package static func register(_ path: String) {
        registry.withLock { state in
            state.paths.insert(path)
            if !state.isHandlerInstalled {
                state.isHandlerInstalled = true
                atexit { TemporaryHome.removeRegistered() }
            }
        }
    }

    private struct Registry {
        var paths: Set<String> = []
        var isHandlerInstalled = false
    }

    private static let registry = LockedValue(Registry())

    private static func removeRegistered() {
        let paths = registry.withLock { $0.paths }
        for path in paths { try? FileManager.default.removeItem(atPath: path) }
    }
}

/// A value guarded by a lock, for state shared between test threads.
package final class LockedValue<Value>: @unchecked Sendable {
    // The lock protects `value`.
    private let lock = NSLock()
    private var value: Value

    package init(_ value: Value) { self.value = value }

    package func withLock<Result>(_ body: (inout Value) -> Result) -> Result {
        lock.lock()
        defer { lock.unlock() }
        return body(&value)
    }
}
