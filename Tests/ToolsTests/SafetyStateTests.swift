import BinanceAPI
import Foundation
import Testing
import TestSupport

@testable import Tools

private let limitOrder: [String: JSONValue] = [
    "symbol": .string("BTCUSDT"),
    "side": .string("BUY"),
    "order_type": .string("LIMIT"),
    "quantity": .string("0.01"),
    "price": .string("50000"),
]

private let rejection = HTTPResponse(
    status: 400,
    body: Data(#"{"code":-2010,"msg":"Account has insufficient balance for requested action."}"#.utf8)
)

/// Returns a transport that responds to every order with a `FILLED` order that traded `spent` USDT.
private func filling(spent: String) -> RecordingTransport {
    RecordingTransport { request in
        let form = request.query + "&" + String(decoding: request.body, as: UTF8.self)
        let pair = form.split(separator: "&").first { $0.hasPrefix("newClientOrderId=") }
        let clientOrderID = pair.map { String($0.dropFirst("newClientOrderId=".count)) } ?? ""
        let body: JSONValue = .object([
            "symbol": "BTCUSDT",
            "clientOrderId": .string(clientOrderID),
            "status": "FILLED",
            "cummulativeQuoteQty": .string(spent),
        ])
        return HTTPResponse(status: 200, body: Data(body.serialized().utf8))
    }
}

@Suite struct SafetyStateTests {
    // MARK: - Daily budget

    @Test func concurrentReservationsNeverExceedTheBudget() throws {
        let home = TemporaryHome()
        defer { home.remove() }
        let accepted = LockedValue(0)
        let now = Date(timeIntervalSince1970: 1_800_000_000)

        // Each worker has its own ledger and so its own lock descriptor, exactly like a separate process.
        DispatchQueue.concurrentPerform(iterations: 4) { worker in
            var ledger = DailyNotionalLedger(directory: home.path)
            for attempt in 0..<60 {
                let outcome = try? ledger.reserve(1, of: "USDT", clientOrderID: "w\(worker)-\(attempt)", limit: 150, at: now)
                if case .reserved = outcome { accepted.withLock { $0 += 1 } }
            }
        }

        let ledger = DailyNotionalLedger(directory: home.path)
        #expect(accepted.withLock { $0 } == 150)
        #expect(ledger.total(of: "USDT", at: now) == 150)
        #expect(SecureFile.mode(ofPath: home.path + "/" + DailyNotionalLedger.fileName) == 0o600)
    }

    @Test func twoProcessesRacingShareOneBudget() throws {
        let home = TemporaryHome()
        defer { home.remove() }
        let environment = BinaryRunner.cleanEnvironment(
            home: home.path,
            extra: ["BINANCE_DAILY_NOTIONAL_LIMIT": "55", "MCP_LOG_SECURITY": "false"]
        )
        let order = "create_order symbol=BTCUSDT side=BUY order_type=MARKET quote_order_qty=10"
        let script = Array(repeating: order, count: 6).joined(separator: "\n") + "\n"
        // The first run creates the paper account, so the racing runs below only trade.
        _ = try BinaryRunner.run(["-c", "balance"], environment: environment)
        let outputs = LockedValue<[BinaryRunner.Output]>([])

        DispatchQueue.concurrentPerform(iterations: 2) { _ in
            if let output = try? BinaryRunner.run(["--json"], input: script, environment: environment) {
                outputs.withLock { $0.append(output) }
            }
        }

        let finished = outputs.withLock { $0 }
        #expect(finished.count == 2)
        let text = finished.map { $0.stdout + $0.stderr }.joined(separator: "\n")
        let placed = finished.flatMap { $0.stdout.split(separator: "\n") }.filter { $0.contains(#""success":true"#) }
        // Each order reserves 10 USDT of 55, so at most 5 of the 12 fit, while each run alone would place 5.
        #expect(placed.count <= 5, "\(text.prefix(2000))")
        #expect(placed.count >= 1, "\(text.prefix(2000))")
        #expect(text.contains("over BINANCE_DAILY_NOTIONAL_LIMIT"))
        let used = DailyNotionalLedger(directory: home.path).total(of: "USDT", at: Date())
        #expect(used <= 55)
        #expect(used > 0)
    }

    @Test func fillForLessGivesTheRestBack() async throws {
        let home = TemporaryHome()
        defer { home.remove() }
        let configuration = try SafetyFixtures.configuration(["BINANCE_DAILY_NOTIONAL_LIMIT": "900"], home: home.path)
        let clock = ManualClock()
        let engine = SafetyFixtures.engine(configuration, transport: filling(spent: "300"), clock: clock)

        let first = await engine.invoke("test_order", arguments: limitOrder, invocation: SafetyFixtures.invocation())

        #expect(first.isSuccess)
        #expect(DailyNotionalLedger(directory: home.path).total(of: "USDT", at: clock.now) == 300)
    }

    @Test func rejectedOrderReleasesItsReservation() async throws {
        let home = TemporaryHome()
        defer { home.remove() }
        let configuration = try SafetyFixtures.configuration(["BINANCE_DAILY_NOTIONAL_LIMIT": "900"], home: home.path)
        let clock = ManualClock()
        let engine = SafetyFixtures.engine(configuration, transport: RecordingTransport { _ in rejection }, clock: clock)

        let result = await engine.invoke("test_order", arguments: limitOrder, invocation: SafetyFixtures.invocation())

        #expect(result.error?["code"] == .int(-2010))
        #expect(DailyNotionalLedger(directory: home.path).total(of: "USDT", at: clock.now) == 0)
    }

    @Test func canceledOrderSettlesToWhatItTraded() async throws {
        let home = TemporaryHome()
        defer { home.remove() }
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let configuration = try SafetyFixtures.configuration(["BINANCE_DAILY_NOTIONAL_LIMIT": "1000"], home: home.path)
        let audit = AuditLog(directory: home.path)
        let guardian = TradingGuard(configuration: configuration, stateDirectory: home.path, audit: audit, clock: { now })
        var ledger = DailyNotionalLedger(directory: home.path)
        _ = try ledger.reserve(400, of: "USDT", clientOrderID: "resting-1", limit: 1000, at: now)
        _ = try ledger.reserve(200, of: "USDT", clientOrderID: "open-2", limit: 1000, at: now)
        let cancel: JSONValue = .object([
            "order": .object([
                "clientOrderId": "cancel-request-9",
                "origClientOrderId": "resting-1",
                "status": "CANCELED",
                "cummulativeQuoteQty": "150.5",
            ]),
            "others": .array([.object(["clientOrderId": "open-2", "status": "PARTIALLY_FILLED"])]),
        ])

        await guardian.recordOrderUpdates(in: cancel)

        #expect(ledger.total(of: "USDT", at: now) == Decimal(string: "350.5"))
    }

    @Test func newDayStartsAnEmptyBudget() throws {
        let home = TemporaryHome()
        defer { home.remove() }
        let today = Date(timeIntervalSince1970: 1_800_000_000)
        var ledger = DailyNotionalLedger(directory: home.path)

        let first = try ledger.reserve(90, of: "USDT", clientOrderID: "a", limit: 100, at: today)
        let second = try ledger.reserve(20, of: "USDT", clientOrderID: "b", limit: 100, at: today)
        let tomorrow = try ledger.reserve(20, of: "USDT", clientOrderID: "c", limit: 100, at: today.addingTimeInterval(86_400))

        #expect(first == .reserved(total: 90))
        #expect(second == .exceeded(total: 110))
        #expect(tomorrow == .reserved(total: 20))
    }

    @Test func unwritableLedgerRefusesTheOrder() async throws {
        let home = TemporaryHome()
        defer { home.remove() }
        // A directory in place of the ledger file makes the rename fail for any user, root included.
        try FileManager.default.createDirectory(
            atPath: home.path + "/" + DailyNotionalLedger.fileName + "/blocker",
            withIntermediateDirectories: true
        )
        let transport = RecordingTransport()
        let configuration = try SafetyFixtures.configuration(["BINANCE_DAILY_NOTIONAL_LIMIT": "900"], home: home.path)
        let engine = SafetyFixtures.engine(configuration, transport: transport)

        let result = await engine.invoke("test_order", arguments: limitOrder, invocation: SafetyFixtures.invocation())

        #expect(result.error?["type"] == .string("internal_error"))
        #expect(result.error?["message"]?.stringValue?.hasPrefix("The daily notional ledger") == true)
        #expect(transport.requests.isEmpty)
    }

    // MARK: - Circuit breaker

    @Test func pauseReachesANewProcessUntilItExpires() async throws {
        let home = TemporaryHome()
        defer { home.remove() }
        let clock = ManualClock()
        let configuration = try SafetyFixtures.configuration(home: home.path)
        let first = SafetyFixtures.engine(configuration, transport: RecordingTransport { _ in rejection }, clock: clock)
        for _ in 0..<3 {
            _ = await first.invoke("test_order", arguments: limitOrder, invocation: SafetyFixtures.invocation())
        }
        let transport = RecordingTransport()
        let second = SafetyFixtures.engine(configuration, transport: transport, clock: clock)

        let refused = await second.invoke("test_order", arguments: limitOrder, invocation: SafetyFixtures.invocation())
        let status = await second.services.tradingGuard.status()
        clock.advance(by: 301)
        let allowed = await second.invoke("test_order", arguments: limitOrder, invocation: SafetyFixtures.invocation())

        #expect(refused.error?["rule"] == .string("circuit_breaker"))
        #expect(status["paused_symbols"]?.arrayValue?.count == 1)
        #expect(allowed.isSuccess)
        #expect(transport.requests.count == 1)
        #expect(SecureFile.mode(ofPath: home.path + "/order-pauses.json") == 0o600)
    }

    @Test func rejectionsFromTwoProcessesAddUp() async throws {
        let home = TemporaryHome()
        defer { home.remove() }
        let clock = ManualClock()
        let configuration = try SafetyFixtures.configuration(home: home.path)
        let first = SafetyFixtures.engine(configuration, transport: RecordingTransport { _ in rejection }, clock: clock)
        let second = SafetyFixtures.engine(configuration, transport: RecordingTransport { _ in rejection }, clock: clock)

        _ = await first.invoke("test_order", arguments: limitOrder, invocation: SafetyFixtures.invocation())
        _ = await second.invoke("test_order", arguments: limitOrder, invocation: SafetyFixtures.invocation())
        let third = await first.invoke("test_order", arguments: limitOrder, invocation: SafetyFixtures.invocation())
        let fourth = await second.invoke("test_order", arguments: limitOrder, invocation: SafetyFixtures.invocation())

        #expect(third.error?["hint"]?.stringValue?.contains("paused") == true)
        #expect(fourth.error?["rule"] == .string("circuit_breaker"))
    }

    @Test func resumeInAnotherProcessEndsThePause() async throws {
        let home = TemporaryHome()
        defer { home.remove() }
        let clock = ManualClock()
        let configuration = try SafetyFixtures.configuration(home: home.path)
        let first = SafetyFixtures.engine(configuration, transport: RecordingTransport { _ in rejection }, clock: clock)
        for _ in 0..<3 {
            _ = await first.invoke("test_order", arguments: limitOrder, invocation: SafetyFixtures.invocation())
        }
        let second = SafetyFixtures.engine(configuration, transport: RecordingTransport(), clock: clock)

        try await second.services.tradingGuard.resume()
        let status = await first.services.tradingGuard.status()

        #expect(status["paused_symbols"] == .array([]))
    }

    // MARK: - Venue rule text

    @Test func simulatorWithTradingOffNamesThePaperAccount() async throws {
        let home = TemporaryHome()
        defer { home.remove() }
        let transport = RecordingTransport()
        let engine = SafetyFixtures.engine(
            try SafetyFixtures.configuration(["BINANCE_ALLOW_TRADING": "false"], home: home.path),
            transport: transport
        )

        let result = await engine.invoke("test_order", arguments: limitOrder, invocation: SafetyFixtures.invocation())

        #expect(
            result.error?["message"]?.stringValue
                == "Trading is disabled on the sim venue by BINANCE_ALLOW_TRADING=false: 'test_order' would change the "
                + "paper account."
        )
        #expect(result.error?["hint"]?.stringValue == "Remove BINANCE_ALLOW_TRADING or set it to true to enable orders and cancels.")
        #expect(transport.requests.isEmpty)
    }

    // MARK: - Configuration

    @Test(arguments: [
        ("BINANCE_SYMBOL_ALLOWLIST", "BTC/USDT",
         "Invalid BINANCE_SYMBOL_ALLOWLIST entry 'BTC/USDT': expected comma-separated symbols of 2 to 20 letters and "
            + "digits, such as BTCUSDT,ETHUSDT."),
        ("BINANCE_SHELL_LOG_LEVEL", "loud",
         "Invalid BINANCE_SHELL_LOG_LEVEL 'loud': expected one of trace, debug, info, notice, warning, error, critical."),
        ("BINANCE_BASE_URL", "ftp://127.0.0.1",
         "Invalid BINANCE_BASE_URL 'ftp://127.0.0.1': expected an http:// or https:// URL such as http://127.0.0.1:8080."),
        ("BINANCE_BASE_URL", "http://",
         "Invalid BINANCE_BASE_URL 'http://': expected an http:// or https:// URL such as http://127.0.0.1:8080."),
        ("BINANCE_BASE_URL", "http://127.0.0.1:99999",
         "Invalid BINANCE_BASE_URL 'http://127.0.0.1:99999': expected a port from 1 to 65535, such as "
            + "http://127.0.0.1:8080."),
        ("BINANCE_BASE_URL", "http://127.0.0.1:80x",
         "Invalid BINANCE_BASE_URL 'http://127.0.0.1:80x': expected a port from 1 to 65535, such as "
            + "http://127.0.0.1:8080."),
        ("BINANCE_BASE_URL", "http://127.0.0.1:8080?x=1",
         "Invalid BINANCE_BASE_URL 'http://127.0.0.1:8080?x=1': expected a URL without a query or fragment, such as "
            + "http://127.0.0.1:8080."),
        ("BINANCE_BASE_URL", "http://127.0.0.1:8080/api",
         "Invalid BINANCE_BASE_URL 'http://127.0.0.1:8080/api': expected scheme, host and port only, such as "
            + "http://127.0.0.1:8080, because request paths such as /api/v3/order are added to it."),
        ("BINANCE_BASE_URL", "https://api.binance.com/api/v3/",
         "Invalid BINANCE_BASE_URL 'https://api.binance.com/api/v3/': expected scheme, host and port only, such as "
            + "https://api.binance.com, because request paths such as /api/v3/order are added to it."),
        ("BINANCE_BASE_URL", "http://user:hunter2@127.0.0.1:8080",
         "Invalid BINANCE_BASE_URL 'http://…@127.0.0.1:8080': expected no user name or password before '@', because "
            + "they would be sent with every request and could leak; give the address alone, such as "
            + "http://127.0.0.1:8080."),
        ("BINANCE_BASE_URL", "https://hunter2@proxy.example/api",
         "Invalid BINANCE_BASE_URL 'https://…@proxy.example/api': expected no user name or password before '@', "
            + "because they would be sent with every request and could leak; give the address alone, such as "
            + "http://127.0.0.1:8080."),
        ("BINANCE_CA_FILE", "/nonexistent/ca.pem",
         "Invalid BINANCE_CA_FILE '/nonexistent/ca.pem': expected a readable PEM file of CA certificates, such as "
            + "/etc/ssl/certs/ca-certificates.crt."),
        ("BINANCE_SHELL_HOME", "state",
         "Invalid BINANCE_SHELL_HOME 'state': expected an absolute directory path such as /home/me/.binance-shell."),
        ("BINANCE_TESTNET", "maybe", "Invalid BINANCE_TESTNET 'maybe': expected true or false."),
        ("BINANCE_ALLOW_TRADING", "perhaps", "Invalid BINANCE_ALLOW_TRADING 'perhaps': expected true or false."),
        ("MCP_RATE_LIMIT_ENABLED", "sometimes", "Invalid MCP_RATE_LIMIT_ENABLED 'sometimes': expected true or false."),
        ("MCP_INPUT_VALIDATION", "2", "Invalid MCP_INPUT_VALIDATION '2': expected true or false."),
        ("MCP_LOG_SECURITY", "loud", "Invalid MCP_LOG_SECURITY 'loud': expected true or false."),
        ("BINANCE_RECV_WINDOW", "60001", "Invalid BINANCE_RECV_WINDOW '60001': expected a whole number from 1 to 60000."),
        ("BINANCE_CALL_TIMEOUT", "99",
         "Invalid BINANCE_CALL_TIMEOUT '99': expected a whole number from 100 to 600000."),
        ("BINANCE_CALL_TIMEOUT", "30s",
         "Invalid BINANCE_CALL_TIMEOUT '30s': expected a whole number from 100 to 600000."),
        ("MCP_MAX_REQUESTS_PER_MINUTE", "lots",
         "Invalid MCP_MAX_REQUESTS_PER_MINUTE 'lots': expected a whole number from 1 to 100000."),
        ("BINANCE_MAX_ORDER_NOTIONAL", "-5",
         "Invalid BINANCE_MAX_ORDER_NOTIONAL '-5': expected a positive decimal such as 1000."),
        ("BINANCE_DAILY_NOTIONAL_LIMIT", "1e3",
         "Invalid BINANCE_DAILY_NOTIONAL_LIMIT '1e3': expected a positive decimal such as 5000."),
        ("BINANCE_ALLOWED_ORDER_TYPES", "LIMIT,OCO",
         "Invalid BINANCE_ALLOWED_ORDER_TYPES entry 'OCO': expected order types from LIMIT, LIMIT_MAKER, MARKET, "
            + "STOP_LOSS, STOP_LOSS_LIMIT, TAKE_PROFIT, TAKE_PROFIT_LIMIT."),
        ("BINANCE_SIM_RATE_LIMITS", "fast", "Invalid BINANCE_SIM_RATE_LIMITS 'fast': expected binance or unlimited."),
        ("BINANCE_SHELL_LOG_LEVEL", "\u{1B}[2Jloud",
         "Invalid BINANCE_SHELL_LOG_LEVEL '\\u{1B}[2Jloud': expected one of trace, debug, info, notice, warning, error, "
            + "critical."),
    ])
    func invalidSettingIsNamed(variable: String, value: String, message: String) {
        #expect(throws: ToolError(.configurationError, message)) {
            try Configuration.load(environment: ["HOME": "/home/test", variable: value], envFileText: nil)
        }
    }

    @Test func validSettingsAreRead() throws {
        let configuration = try Configuration.load(
            environment: [
                "HOME": "/home/test",
                "BINANCE_SYMBOL_ALLOWLIST": "btcusdt, ETHUSDT,",
                "BINANCE_SHELL_LOG_LEVEL": "DEBUG",
                "BINANCE_BASE_URL": "http://127.0.0.1:8080/",
                "BINANCE_SIM_RATE_LIMITS": "unlimited",
                "BINANCE_CALL_TIMEOUT": "45000",
            ],
            envFileText: nil
        )

        #expect(configuration.symbolAllowlist == ["BTCUSDT", "ETHUSDT"])
        #expect(configuration.callTimeoutMilliseconds == 45_000)
        #expect(configuration.baseURL == "http://127.0.0.1:8080")
        #expect(configuration.logLevel == .debug)
        #expect(configuration.home == "/home/test/.local/state/binance-shell")
        #expect(configuration.warnings.isEmpty)
    }

    @Test(arguments: [("HTTP://127.0.0.1:8080", "http://127.0.0.1:8080"), ("HttpS://Example.test//", "https://Example.test")])
    func baseURLSchemeIsLowercased(_ given: String, _ expected: String) throws {
        let configuration = try Configuration.load(
            environment: ["HOME": "/home/test", "BINANCE_BASE_URL": given],
            envFileText: nil
        )
        #expect(configuration.baseURL == expected)
    }

    /// No check of the base URL may quote a password, whichever check fails first.
    @Test(arguments: [
        "http://user:hunter2@127.0.0.1", "http://user:hunter2@127.0.0.1:99999", "http://user:hunter2@host/x?y",
        "ftp://user:hunter2@127.0.0.1", "http://us er:hunter2@127.0.0.1", "http://user:hunter2@",
    ])
    func baseURLPasswordIsNeverQuoted(_ url: String) {
        do {
            _ = try Configuration.load(environment: ["HOME": "/home/test", "BINANCE_BASE_URL": url], envFileText: nil)
            Issue.record("'\(url)' was accepted")
        } catch {
            #expect(!error.message.contains("hunter2"), "\(error.message)")
            #expect(error.message.hasPrefix("Invalid BINANCE_BASE_URL "), "\(error.message)")
        }
    }

    @Test func caFileComesFromOwnVariableFirst() throws {
        let home = try BinaryRunner.temporaryHome()
        let own = home + "/own.pem"
        let standard = home + "/standard.pem"
        for path in [own, standard] {
            #expect(FileManager.default.createFile(atPath: path, contents: Data("-----BEGIN CERTIFICATE-----\n".utf8)))
        }

        let both = try Configuration.load(
            environment: ["HOME": home, "BINANCE_CA_FILE": own, "SSL_CERT_FILE": standard],
            envFileText: nil
        )
        let standardOnly = try Configuration.load(environment: ["HOME": home, "SSL_CERT_FILE": standard], envFileText: nil)
        let neither = try Configuration.load(environment: ["HOME": home], envFileText: nil)

        #expect(both.certificateAuthorityFile == own)
        #expect(standardOnly.certificateAuthorityFile == standard)
        #expect(neither.certificateAuthorityFile == nil)
    }

    @Test func caFileWithoutCertificateIsRejected() throws {
        let home = try BinaryRunner.temporaryHome()
        let key = home + "/key.pem"
        #expect(FileManager.default.createFile(atPath: key, contents: Data("-----BEGIN PRIVATE KEY-----\n".utf8)))

        for path in [key, home] {
            #expect(throws: ToolError.self, "\(path)") {
                try Configuration.load(environment: ["HOME": home, "BINANCE_CA_FILE": path], envFileText: nil)
            }
            let standard = try Configuration.load(environment: ["HOME": home, "SSL_CERT_FILE": path], envFileText: nil)
            #expect(standard.certificateAuthorityFile == nil, "\(path)")
            #expect(standard.warnings.count == 1, "\(path)")
        }
    }

    @Test func unreadableStandardCAFileIsWarned() throws {
        let configuration = try Configuration.load(
            environment: ["HOME": "/home/test", "SSL_CERT_FILE": "/nonexistent/ca.pem"],
            envFileText: nil
        )

        #expect(configuration.certificateAuthorityFile == nil)
        #expect(configuration.warnings == [
            "SSL_CERT_FILE '/nonexistent/ca.pem' cannot be read as certificates, so it is ignored and libcurl's default certificate "
                + "authorities are trusted: expected a readable PEM file of CA certificates, such as "
                + "/etc/ssl/certs/ca-certificates.crt.",
        ])
    }

    @Test func baseURLTrailingSlashesAreDropped() throws {
        let configuration = try Configuration.load(
            environment: ["HOME": "/home/test", "BINANCE_BASE_URL": "https://testnet.binance.vision//"],
            envFileText: nil
        )

        #expect(configuration.baseURL == "https://testnet.binance.vision")
    }

    @Test func missingHomeIsAnError() {
        #expect(throws: ToolError(
            .configurationError,
            "BINANCE_SHELL_HOME is not set, and neither XDG_STATE_HOME nor HOME gives a default: set "
                + "BINANCE_SHELL_HOME to a directory for the audit log, history and paper account."
        )) {
            try Configuration.load(environment: ["XDG_STATE_HOME": "relative/state"], envFileText: nil)
        }
    }

    @Test func misspeltVariableIsWarned() throws {
        let configuration = try Configuration.load(
            environment: ["HOME": "/home/test", "BINANCE_ALLOW_TRADNIG": "false", "BINANCE_SHELL_BINARY": "/bin/x"],
            envFileText: "BINANCE_MAX_ORDER_NOTIONL=10\n"
        )

        #expect(configuration.warnings == [
            "The variable 'BINANCE_ALLOW_TRADNIG' is not one binance-shell reads, so it is ignored: did you mean "
                + "BINANCE_ALLOW_TRADING?",
            "The variable 'BINANCE_MAX_ORDER_NOTIONL' is not one binance-shell reads, so it is ignored: did you mean "
                + "BINANCE_MAX_ORDER_NOTIONAL?",
        ])
    }

    @Test func unwritableHomeIsRefusedAtStart() throws {
        let home = TemporaryHome()
        defer { home.remove() }
        let file = home.path + "/plain-file"
        try Data("x".utf8).write(to: URL(fileURLWithPath: file))
        let configuration = try SafetyFixtures.configuration(home: file + "/state")

        #expect(throws: ToolError.self) {
            try SafetyStartup.prepare(arguments: [], configuration: configuration)
        }
        do {
            _ = try SafetyStartup.prepare(arguments: [], configuration: configuration)
        } catch {
            #expect(error.type == .configurationError)
            #expect(error.message.hasPrefix("BINANCE_SHELL_HOME '\(file)/state' is not a writable directory ("))
            #expect(error.message.contains("Not a directory"))
        }
    }

    @Test func startCreatesTheHomeOwnerOnly() throws {
        let home = TemporaryHome()
        defer { home.remove() }
        let configuration = try SafetyFixtures.configuration(home: home.path + "/nested/state")

        _ = try SafetyStartup.prepare(arguments: [], configuration: configuration)

        #expect(SecureFile.mode(ofPath: home.path + "/nested/state") == 0o700)
        #expect(try FileManager.default.contentsOfDirectory(atPath: home.path + "/nested/state").isEmpty)
    }
}
