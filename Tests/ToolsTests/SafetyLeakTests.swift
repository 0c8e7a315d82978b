import BinanceAPI
import Foundation
import Testing
import TestSupport

@testable import Tools

/// How the hostile exchange of these tests responds: it echoes each request, signature and API key included.
enum EchoMode: String, CaseIterable, Sendable {
    /// A Binance error body whose message quotes the request.
    case errorBody
    /// A 200 response whose JSON members quote the request.
    case successBody
    /// A transport failure whose reason quotes the request, for orders, cancels and the first ticker read;
    /// other reads get the scripted exchange's responses, because the client retries reads with back-off.
    case transportFailure
    /// Reads get the scripted exchange's normal responses, so orders and cancels are built and sent; those
    /// state changes get an error body quoting the request.
    case stateChangeRejection
}

/// A transport that records every request and quotes it back in the chosen way.
final class EchoingTransport: HTTPTransport, @unchecked Sendable {
    // The lock protects `recorded`, appended by concurrent sends and read by the test.
    private let lock = NSLock()
    private var recorded: [HTTPRequest] = []
    private var failedTickerRead = false
    let mode: EchoMode
    private let scripted = ToolsFakeExchange()

    init(mode: EchoMode) { self.mode = mode }

    var requests: [HTTPRequest] { lock.withLock { recorded } }

    func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
        let failsThisRead = lock.withLock {
            recorded.append(request)
            let fails = request.path == "/api/v3/ticker/price" && !failedTickerRead
            if fails { failedTickerRead = true }
            return fails
        }
        let echo = "\(request.method.rawValue) \(request.target) body=\(String(decoding: request.body, as: UTF8.self)) "
            + "X-MBX-APIKEY: \(request.headers["X-MBX-APIKEY"] ?? "")"
        switch mode {
        case .stateChangeRejection where request.method == .get || request.path == "/api/v3/order/test":
            return try await scripted.send(request)
        case .transportFailure where request.method == .get && !failsThisRead:
            return try await scripted.send(request)
        case .transportFailure where request.path == "/api/v3/order/test":
            return try await scripted.send(request)
        case .errorBody, .stateChangeRejection:
            let body = JSONValue.object(["code": .int(-1022), "msg": .string("Signature for this request is not valid. \(echo)")])
            return HTTPResponse(status: 400, body: Data(body.serialized().utf8))
        case .successBody:
            let body = JSONValue.object([
                "symbol": .string("BTCUSDT"),
                "msg": .string(echo),
                "apiKey": .string(request.headers["X-MBX-APIKEY"] ?? ""),
                "price": .string(echo),
            ])
            return HTTPResponse(status: 200, body: Data(body.serialized().utf8))
        case .transportFailure:
            throw .outcomeUnknown("connection lost after sending \(echo)")
        }
    }
}

/// Collects log records as text.
final class LogCollector: @unchecked Sendable {
    // The lock protects `stored`, appended from any task that logs.
    private let lock = NSLock()
    private var stored: [String] = []

    var text: String { lock.withLock { stored.joined(separator: "\n") } }

    var logger: Logger {
        Logger(label: "leak-test", minimumLevel: .trace) { [self] level, message, metadata in
            let line = "\(level.name) \(message) \(metadata.sorted { $0.key < $1.key })"
            lock.withLock { stored.append(line) }
        }
    }
}

/// Returns a sample value for each kind of parameter, so every tool can be called.
private func sampleValue(for kind: ParameterKind) -> JSONValue {
    switch kind {
    case .string: return .string("x")
    case .symbol: return .string("BTCUSDT")
    case .asset: return .string("BTC")
    case .decimal, .quantity: return .string("0.01")
    case .integer(let minimum, _): return .int(minimum)
    case .boolean: return .bool(true)
    case .enumeration(let values): return .string(values.first ?? "")
    case .timestamp: return .string("1700000000000")
    case .clientOrderID: return .string("leak-test-1")
    case .orderID: return .string("12345")
    }
}

/// Request paths that move funds out of the account or between accounts.
private func movesFunds(_ request: HTTPRequest) -> Bool {
    let path = request.path.lowercased()
    if path.contains("transfer") { return true }
    if path.contains("withdraw") { return request.method != .get || !path.hasSuffix("/history") }
    return false
}

@Suite struct SafetyLeakTests {
    /// Every form in which the canary credentials could leak.
    static let canaryForms: [String] = {
        let key = SafetyFixtures.canaryKey
        let secret = SafetyFixtures.canarySecret
        var forms = [key, secret, String(key.prefix(16)), String(secret.prefix(16)), String(key.suffix(16)),
                     String(secret.suffix(16))]
        for text in [key, secret] {
            forms.append(HexEncoding.encode(Array(text.utf8)))
            forms.append(Data(text.utf8).base64EncodedString())
        }
        return forms
    }()

    @Test(arguments: EchoMode.allCases)
    func canaryNeverLeavesThePipeline(mode: EchoMode) async throws {
        let home = SafetyFixtures.temporaryDirectory()
        let transport = EchoingTransport(mode: mode)
        let logs = LogCollector()
        let securityLines = LineCollector()
        let configuration = try SafetyFixtures.configuration(
            SafetyFixtures.liveEnvironment.merging([
                "BINANCE_ALLOW_TRADING": "true",
                "MCP_RATE_LIMIT_ENABLED": "false",
            ]) { _, new in new },
            home: home
        )
        let credentials = try #require(try CredentialLoader.load(configuration))
        let logger = logs.logger.redacting(with: Redactor(configuration: configuration))
        let catalogueEngine = try ToolEngine.make(configuration: configuration, transport: transport, credentials: credentials, logger: logger)
        var services = catalogueEngine.services
        services.audit = AuditLog(directory: home, redactor: services.redactor, securityEventSink: securityLines.append)
        services.tradingGuard = TradingGuard(configuration: configuration, stateDirectory: home, audit: services.audit)
        let engine = ToolEngine(tools: catalogueEngine.tools, services: services)

        var outputs: [String] = []
        for tool in engine.tools {
            let required = Dictionary(uniqueKeysWithValues: tool.parameters.filter(\.isRequired).map { ($0.name, sampleValue(for: $0.kind)) })
            let all = Dictionary(uniqueKeysWithValues: tool.parameters.map { ($0.name, sampleValue(for: $0.kind)) })
            var leaking = required
            leaking["api_key"] = .string(SafetyFixtures.canaryKey)
            let orderValues: [String: JSONValue] = ["quantity": .string("0.001"), "price": .string("65000")]
            let order = required.merging(orderValues.filter { tool.parameter(named: $0.key) != nil }) { _, new in new }
            let byID = required.merging(["order_id": .string("12345")].filter { tool.parameter(named: $0.key) != nil }) { _, new in new }
            // A client order id made of the secret's first 36 characters passes validation and reaches the wire.
            var fragmentID = order
            if tool.parameter(named: "client_order_id") != nil {
                fragmentID["client_order_id"] = .string(String(SafetyFixtures.canarySecret.prefix(36)))
            }
            let cases = [required, order, byID].flatMap { arguments in Origin.allCases.map { (arguments, $0) } }
                + [(all, Origin.mcp), (leaking, Origin.mcp), (fragmentID, Origin.mcp), (fragmentID, Origin.shell)]
            for (arguments, origin) in cases {
                let invocation = SafetyFixtures.invocation(origin, confirmer: FixedConfirmer(.accepted))
                let result = await engine.invoke(tool.name, arguments: arguments, invocation: invocation)
                outputs.append(result.structured.serialized())
            }
        }
        let auditText = AuditLog.auditFiles(in: home)
            .compactMap { try? String(contentsOfFile: $0, encoding: .utf8) }
            .joined(separator: "\n")
        outputs += [auditText, logs.text] + securityLines.lines

        let signatures = transport.requests.compactMap { request -> String? in
            let text = request.query + "&" + String(decoding: request.body, as: UTF8.self)
            return text.split(separator: "&").first { $0.hasPrefix("signature=") }.map { String($0.dropFirst(10)) }
        }
        #expect(!transport.requests.isEmpty)
        #expect(!signatures.isEmpty)
        if mode == .stateChangeRejection || mode == .transportFailure {
            #expect(transport.requests.contains { $0.path == "/api/v3/order" && $0.method == .post })
        }
        if mode == .stateChangeRejection {
            #expect(transport.requests.contains { $0.method == .delete })
        }
        for form in Self.canaryForms + signatures {
            let hits = outputs.filter { $0.contains(form) }
            #expect(hits.isEmpty, "'\(form.prefix(6))…' leaked in \(hits.count) output(s): \(hits.first?.prefix(300) ?? "")")
        }
        // Any 8 characters of the key or secret count as a leak, as in the redactor.
        for output in outputs {
            let fragment = SafetyFixtures.leakedFragment(of: [SafetyFixtures.canaryKey, SafetyFixtures.canarySecret], in: output)
            #expect(fragment == nil, "'\(fragment?.prefix(3) ?? "")…' leaked in: \(output.prefix(300))")
        }
        #expect(transport.requests.filter(movesFunds).isEmpty)
        #expect(AuditLog.verify(path: home).isValid)
    }

    @Test func catalogueHoldsNoFundMovingEndpoint() {
        let offending = Endpoint.catalogue.filter { endpoint in
            movesFunds(HTTPRequest(method: endpoint.method, baseURL: "https://api.binance.com", path: endpoint.path))
        }

        #expect(offending.isEmpty)
        #expect(Endpoint.catalogue.contains(.withdrawHistory))
    }

    @Test func clientRefusesEndpointsOutsideTheCatalogue() async throws {
        let transport = RecordingTransport()
        let configuration = try SafetyFixtures.configuration(SafetyFixtures.liveEnvironment, home: SafetyFixtures.temporaryDirectory())
        let client = SafetyFixtures.client(configuration, transport: transport)
        let withdrawals = [
            Endpoint(.post, "/sapi/v1/capital/withdraw/apply", market: .wallet, security: .signed),
            Endpoint(.post, "/sapi/v1/asset/transfer", market: .wallet, security: .signed),
            Endpoint(.post, "/sapi/v1/futures/transfer", market: .wallet, security: .signed),
        ]

        for endpoint in withdrawals {
            await #expect(throws: BinanceError.self) { _ = try await client.send(endpoint) }
        }

        #expect(transport.requests.isEmpty)
    }

    @Test func sourcesNameNoFundMovingPath() throws {
        let sources = BinaryRunner.packageRoot.appendingPathComponent("Sources")
        let enumerator = try #require(FileManager.default.enumerator(atPath: sources.path))
        var offending: [String] = []
        for case let relative as String in enumerator where relative.hasSuffix(".swift") {
            let text = try String(contentsOfFile: sources.appendingPathComponent(relative).path, encoding: .utf8)
            for pattern in ["withdraw/apply", "/asset/transfer", "futures/transfer", "universalTransfer", "margin/transfer",
                            "sub-account/transfer", "capital/withdraw\""]
            where text.contains(pattern) {
                offending.append("\(relative): \(pattern)")
            }
        }

        #expect(offending.isEmpty)
    }
}
