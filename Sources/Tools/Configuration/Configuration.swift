import BinanceAPI
import Foundation

/// Settings from the environment and the `.env` file; the real environment wins over the file.
///
/// Secrets enter the product only through this type (and the key file it names), never through a command
/// line argument, a tool argument or an MCP message.
package struct Configuration: Sendable {
    package var apiKey: String?
    package var apiSecret: String?
    package var privateKeyFile: String?
    package var useTestnet: Bool
    package var baseURL: String?
    /// Venue forced by `--venue`; nil lets the credentials decide.
    package var venueOverride: Venue?
    /// Explicit `BINANCE_ALLOW_TRADING`; nil means the venue's default (on for sim and testnet, off for live).
    package var allowTrading: Bool?
    package var maxOrderNotional: Decimal?
    /// Upper-cased symbols orders may use; empty means all.
    package var symbolAllowlist: Set<String>
    /// Upper-cased order types orders may use (`BINANCE_ALLOWED_ORDER_TYPES`); empty means all.
    package var allowedOrderTypes: Set<String> = []
    /// Largest total notional of orders per UTC day, per quote asset (`BINANCE_DAILY_NOTIONAL_LIMIT`); nil means none.
    package var dailyNotionalLimit: Decimal?
    package var recvWindowMilliseconds: Int
    /// Time allowed for one HTTP exchange with Binance (`BINANCE_REQUEST_TIMEOUT`), in milliseconds.
    package var requestTimeoutMilliseconds: Int = 10_000
    /// Time allowed for all exchange requests of one tool call, retries included (`BINANCE_CALL_TIMEOUT`), in
    /// milliseconds. Waits for rate limits and confirmations do not count.
    package var callTimeoutMilliseconds: Int = 30_000
    package var rateLimitEnabled: Bool
    package var maxRequestsPerMinute: Int
    package var inputValidation: Bool
    package var logSecurity: Bool
    /// PEM file of certificate authorities to trust for HTTPS (`BINANCE_CA_FILE`, else `SSL_CERT_FILE`). libcurl
    /// reads it in place of its default bundle file, and nil keeps that default.
    package var certificateAuthorityFile: String?
    /// Directory of history, audit log and paper account.
    package var home: String
    /// Path of the `.env` file the settings were read from, for the file-mode check; nil when none was read.
    package var envFilePath: String?
    /// Level of the stderr log (`BINANCE_SHELL_LOG_LEVEL`).
    package var logLevel: Logger.Level = .warning
    /// Problems that do not stop the program, such as a misspelt variable name; shown and audited at start.
    package var warnings: [String] = []

    /// Every variable the product reads, with its default, for `--help` and `.env.example`.
    package static let variables: [(name: String, defaultValue: String, meaning: String)] = [
        ("BINANCE_API_KEY", "", "API key; none selects the simulated exchange"),
        ("BINANCE_API_SECRET", "", "HMAC-SHA256 secret of the API key"),
        ("BINANCE_PRIVATE_KEY_FILE", "", "Ed25519 or RSA private key (PEM) used instead of a secret"),
        ("BINANCE_TESTNET", "false", "true selects Binance's spot testnet"),
        ("BINANCE_BASE_URL", "", "REST base URL of a self-hosted simulator or proxy"),
        (
            "BINANCE_CA_FILE", "",
            "PEM file of certificate authorities to trust for HTTPS; empty reads SSL_CERT_FILE, then libcurl's default"
        ),
        ("BINANCE_ALLOW_TRADING", "false on live, true on sim and testnet", "allow tools that change state"),
        ("BINANCE_MAX_ORDER_NOTIONAL", "", "largest order value in the quote asset"),
        ("BINANCE_SYMBOL_ALLOWLIST", "", "comma-separated symbols orders may use; empty allows all"),
        ("BINANCE_ALLOWED_ORDER_TYPES", "", "comma-separated order types orders may use, such as LIMIT,MARKET; empty allows all"),
        ("BINANCE_DAILY_NOTIONAL_LIMIT", "", "largest total order value per UTC day in each quote asset"),
        ("BINANCE_RECV_WINDOW", "5000", "recvWindow of signed requests in milliseconds, at most 60000"),
        ("BINANCE_REQUEST_TIMEOUT", "10000", "time allowed for one HTTP request in milliseconds, 100 to 120000"),
        (
            "BINANCE_CALL_TIMEOUT", "30000",
            "time allowed for all requests of one command or tool call, retries included, in milliseconds, 100 to 600000"
        ),
        ("MCP_RATE_LIMIT_ENABLED", "true", "limit tool invocations per minute"),
        ("MCP_MAX_REQUESTS_PER_MINUTE", "60", "tool invocations allowed per minute"),
        ("MCP_INPUT_VALIDATION", "true", "accepted for compatibility with the Python server; validation always runs"),
        ("MCP_LOG_SECURITY", "true", "also write each audit event to stderr as SECURITY_EVENT"),
        ("BINANCE_SHELL_HOME", "$XDG_STATE_HOME/binance-shell", "history, audit log and paper account"),
        ("BINANCE_SHELL_LOG_LEVEL", "warning", "stderr log level: trace, debug, info, notice, warning, error, critical"),
        ("BINANCE_SIM_FAULTS", "", "faults the simulated exchange injects, for tests and demos (environment only)"),
        ("BINANCE_SIM_RATE_LIMITS", "binance", "rate limits of the simulated exchange: binance, or unlimited for benchmarks"),
        ("BINANCE_SIM_CLOCK", "", "fixed time of the simulated exchange in milliseconds, for repeatable tests (environment only)"),
    ]

    /// Reads the configuration from `environment`, falling back to `KEY=value` lines of `envFileText`.
    ///
    /// Every variable the product reads is checked here, before anything else starts, except the key and secret
    /// (checked by `CredentialLoader`, which never quotes them) and `BINANCE_SIM_FAULTS` (parsed by the
    /// simulator when the paper venue opens).
    /// - Throws: `ToolError` of type `configuration_error` naming the variable, the value and the expected form.
    package static func load(environment: [String: String], envFileText: String?) throws(ToolError) -> Configuration {
        var merged = envFileText.map(parseEnvFile) ?? [:]
        for (key, value) in environment { merged[key] = value }

        func text(_ name: String) -> String? {
            guard let value = merged[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
            return value
        }
        func flag(_ name: String, default defaultValue: Bool) throws(ToolError) -> Bool {
            guard let value = text(name) else { return defaultValue }
            switch value.lowercased() {
            case "true", "1", "yes", "on": return true
            case "false", "0", "no", "off": return false
            default:
                throw invalid(name, value, expected: "true or false")
            }
        }
        func integer(_ name: String, default defaultValue: Int, range: ClosedRange<Int>) throws(ToolError) -> Int {
            guard let value = text(name) else { return defaultValue }
            guard let number = Int(value), range.contains(number) else {
                throw invalid(name, value, expected: "a whole number from \(range.lowerBound) to \(range.upperBound)")
            }
            return number
        }
        if let url = text("BINANCE_BASE_URL") { try checkBaseURL(url) }

        var configuration = Configuration(
            apiKey: text("BINANCE_API_KEY"),
            apiSecret: text("BINANCE_API_SECRET"),
            privateKeyFile: text("BINANCE_PRIVATE_KEY_FILE"),
            useTestnet: try flag("BINANCE_TESTNET", default: false),
            baseURL: text("BINANCE_BASE_URL").map(Self.normalizedBaseURL),
            venueOverride: nil,
            allowTrading: text("BINANCE_ALLOW_TRADING") == nil ? nil : try flag("BINANCE_ALLOW_TRADING", default: false),
            maxOrderNotional: nil,
            symbolAllowlist: [],
            recvWindowMilliseconds: try integer("BINANCE_RECV_WINDOW", default: 5000, range: 1...60000),
            requestTimeoutMilliseconds: try integer("BINANCE_REQUEST_TIMEOUT", default: 10_000, range: 100...120_000),
            rateLimitEnabled: try flag("MCP_RATE_LIMIT_ENABLED", default: true),
            maxRequestsPerMinute: try integer("MCP_MAX_REQUESTS_PER_MINUTE", default: 60, range: 1...100_000),
            inputValidation: try flag("MCP_INPUT_VALIDATION", default: true),
            logSecurity: try flag("MCP_LOG_SECURITY", default: true),
            home: try stateHome(explicit: text("BINANCE_SHELL_HOME"), environment: merged)
        )
        configuration.callTimeoutMilliseconds = try integer("BINANCE_CALL_TIMEOUT", default: 30_000, range: 100...600_000)
        if let level = text("BINANCE_SHELL_LOG_LEVEL") {
            guard let parsed = Logger.Level.allCases.first(where: { $0.name == level.lowercased() }) else {
                let names = Logger.Level.allCases.map(\.name).joined(separator: ", ")
                throw invalid("BINANCE_SHELL_LOG_LEVEL", level, expected: "one of \(names)")
            }
            configuration.logLevel = parsed
        }
        // The simulator reads this variable from the real environment only, never from the `.env` file.
        if let limits = environment["BINANCE_SIM_RATE_LIMITS"]?.trimmingCharacters(in: .whitespaces), !limits.isEmpty,
            !["binance", "unlimited"].contains(limits.lowercased())
        {
            throw invalid("BINANCE_SIM_RATE_LIMITS", limits, expected: "binance or unlimited")
        }
        var warnings = misspeltNameWarnings(Set(merged.keys))
        configuration.certificateAuthorityFile = try certificateAuthorityFile(
            explicit: text("BINANCE_CA_FILE"),
            standard: environment["SSL_CERT_FILE"]?.trimmingCharacters(in: .whitespaces),
            warnings: &warnings
        )
        configuration.warnings = warnings
        if let notional = text("BINANCE_MAX_ORDER_NOTIONAL") {
            guard let value = DecimalText.parse(notional), value > 0 else {
                throw invalid("BINANCE_MAX_ORDER_NOTIONAL", notional, expected: "a positive decimal such as 1000")
            }
            configuration.maxOrderNotional = value
        }
        if let list = text("BINANCE_SYMBOL_ALLOWLIST") {
            let symbols = commaSeparatedSet(list)
            if let bad = symbols.sorted().first(where: { !isSymbol($0) }) {
                throw invalid(
                    "BINANCE_SYMBOL_ALLOWLIST",
                    bad,
                    expected: "comma-separated symbols of 2 to 20 letters and digits, such as BTCUSDT,ETHUSDT",
                    entry: true
                )
            }
            configuration.symbolAllowlist = symbols
        }
        if let list = text("BINANCE_ALLOWED_ORDER_TYPES") {
            let types = commaSeparatedSet(list)
            let known: Set<String> = [
                "LIMIT", "MARKET", "STOP_LOSS", "STOP_LOSS_LIMIT", "TAKE_PROFIT", "TAKE_PROFIT_LIMIT", "LIMIT_MAKER",
            ]
            if let unknown = types.sorted().first(where: { !known.contains($0) }) {
                throw invalid(
                    "BINANCE_ALLOWED_ORDER_TYPES",
                    unknown,
                    expected: "order types from " + known.sorted().joined(separator: ", "),
                    entry: true
                )
            }
            configuration.allowedOrderTypes = types
        }
        if let limit = text("BINANCE_DAILY_NOTIONAL_LIMIT") {
            guard let value = DecimalText.parse(limit), value > 0 else {
                throw invalid("BINANCE_DAILY_NOTIONAL_LIMIT", limit, expected: "a positive decimal such as 5000")
            }
            configuration.dailyNotionalLimit = value
        }
        return configuration
    }

    /// Reads the configuration from `environment` and the `.env` file at `envFilePath`, when it exists.
    /// - Throws: `ToolError` of type `configuration_error` when the file exists but cannot be read, or a value
    ///   is invalid.
    package static func load(environment: [String: String], envFilePath: String?) throws(ToolError) -> Configuration {
        guard let envFilePath, FileManager.default.fileExists(atPath: envFilePath) else {
            return try load(environment: environment, envFileText: nil)
        }
        let text: String
        do {
            text = try String(contentsOfFile: envFilePath, encoding: .utf8)
        } catch {
            throw ToolError(.configurationError, "Cannot read the environment file \(UntrustedText.quoted(envFilePath, maximumLength: 256)).")
        }
        var configuration = try load(environment: environment, envFileText: text)
        configuration.envFilePath = envFilePath
        return configuration
    }

    private static func commaSeparatedSet(_ list: String) -> Set<String> {
        Set(list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).uppercased() }.filter { !$0.isEmpty })
    }

    /// The venue these settings select: an override, then `BINANCE_BASE_URL`, then the key and testnet flag.
    package var venue: Venue {
        if let venueOverride { return venueOverride }
        if baseURL != nil { return .custom }
        guard apiKey != nil else { return .sim }
        return useTestnet ? .testnet : .live
    }

    /// Whether tools that change state may run on the selected venue.
    package var isTradingAllowed: Bool {
        allowTrading ?? !venue.isRealMoney(baseURL: baseURL)
    }

    /// Parses `KEY=value` lines; `#` starts a comment line, `export ` is ignored, quotes around values are removed.
    package static func parseEnvFile(_ text: String) -> [String: String] {
        var values: [String: String] = [:]
        for rawLine in text.split(whereSeparator: \.isNewline) {
            var line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("export ") { line.removeFirst("export ".count) }
            guard let equals = line.firstIndex(of: "=") else { continue }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces)
            var value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, let first = value.first, first == value.last, first == "\"" || first == "'" {
                value = String(value.dropFirst().dropLast())
            }
            values[key] = value
        }
        return values
    }

    /// Returns `BINANCE_SHELL_HOME`, else `$XDG_STATE_HOME/binance-shell`, else `$HOME/.local/state/binance-shell`.
    ///
    /// There is no fallback beyond these: an environment without any of them (a stripped service environment,
    /// or a test that forgot its home) gets an error instead of a directory the user never chose, because the audit
    /// log and the kill switch must be where the user looks for them.
    /// - Throws: `configuration_error` when `BINANCE_SHELL_HOME` is not an absolute path, or no variable gives
    ///   a home.
    static func stateHome(explicit: String?, environment: [String: String]) throws(ToolError) -> String {
        if let explicit {
            guard explicit.hasPrefix("/"), !explicit.unicodeScalars.contains(where: { $0.value < 0x20 }) else {
                throw invalid("BINANCE_SHELL_HOME", explicit, expected: "an absolute directory path such as /home/me/.binance-shell")
            }
            return explicit
        }
        // The XDG Base Directory Specification (0.8) declares relative values invalid, to be ignored.
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") { return state + "/binance-shell" }
        if let home = environment["HOME"], home.hasPrefix("/") { return home + "/.local/state/binance-shell" }
        throw ToolError(
            .configurationError,
            "BINANCE_SHELL_HOME is not set, and neither XDG_STATE_HOME nor HOME gives a default: set "
                + "BINANCE_SHELL_HOME to a directory for the audit log, history and paper account."
        )
    }

    // MARK: - Checks

    /// Returns the CA file to trust: `BINANCE_CA_FILE`, else `SSL_CERT_FILE` (the variable OpenSSL's own tools
    /// read), else nil. libcurl reads neither variable by itself, so the transport is given the file.
    ///
    /// An unreadable `SSL_CERT_FILE` only adds a warning, because other programs share that variable and a session
    /// on the simulated exchange never uses TLS.
    /// - Throws: `configuration_error` when the file `BINANCE_CA_FILE` names cannot be read.
    static func certificateAuthorityFile(
        explicit: String?,
        standard: String?,
        warnings: inout [String]
    ) throws(ToolError) -> String? {
        let expected = "a readable PEM file of CA certificates, such as /etc/ssl/certs/ca-certificates.crt"
        if let explicit {
            guard isCertificateFile(explicit) else {
                throw invalid("BINANCE_CA_FILE", explicit, expected: expected)
            }
            return explicit
        }
        guard let standard, !standard.isEmpty else { return nil }
        guard isCertificateFile(standard) else {
            warnings.append(
                "SSL_CERT_FILE \(UntrustedText.quoted(standard)) cannot be read as certificates, so it is ignored and libcurl's default "
                    + "certificate authorities are trusted: expected \(expected)."
            )
            return nil
        }
        return standard
    }

    /// Returns whether `path` is a readable file, not a directory, that contains at least one PEM certificate. A
    /// private key or any other file would otherwise pass here and fail every HTTPS request.
    private static func isCertificateFile(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
            let contents = FileManager.default.contents(atPath: path)
        else { return false }
        return contents.range(of: Data("-----BEGIN CERTIFICATE-----".utf8)) != nil
    }

    /// Builds the error for an invalid value, `Invalid NAME 'value': expected …`, with the value quoted and bounded.
    static func invalid(_ name: String, _ value: String, expected: String, entry: Bool = false) -> ToolError {
        ToolError(
            .configurationError,
            "Invalid \(name)\(entry ? " entry" : "") \(UntrustedText.quoted(value)): expected \(expected)."
        )
    }

    private static func isSymbol(_ text: String) -> Bool {
        (2...20).contains(text.utf8.count)
            && text.utf8.allSatisfy { ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) }
    }

    /// Accepts `http://` or `https://` followed by a host and an optional port (1 to 65535), and nothing a URL cannot
    /// contain unescaped (spaces, control characters). Request paths such as `/api/v3/order` are appended to the base
    /// URL, so a path other than `/` (which would double as in `/api/api/v3/order`), a query and a fragment are
    /// rejected. A user name or password before `@` is rejected too, because it would travel with every request
    /// (in clear over http) and could show in proxy logs. Messages never quote that part.
    static func checkBaseURL(_ url: String) throws(ToolError) {
        let quotable = maskingUserInfo(url)
        let lower = url.lowercased()
        let scheme = ["http://", "https://"].first { lower.hasPrefix($0) }
        let rest = scheme.map { url.dropFirst($0.count) } ?? ""
        let parts = rest.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        let host = parts.first ?? ""
        let isClean = !url.unicodeScalars.contains { $0.value <= 0x20 || $0.value == 0x7F || $0.value > 0x7E }
        guard scheme != nil, !host.isEmpty, !host.hasPrefix(":"), isClean else {
            throw invalid("BINANCE_BASE_URL", quotable, expected: "an http:// or https:// URL such as http://127.0.0.1:8080")
        }
        guard !host.contains("@") else {
            throw invalid(
                "BINANCE_BASE_URL",
                quotable,
                expected: "no user name or password before '@', because they would be sent with every request and "
                    + "could leak; give the address alone, such as http://127.0.0.1:8080"
            )
        }
        guard !url.contains("?"), !url.contains("#") else {
            throw invalid("BINANCE_BASE_URL", quotable, expected: "a URL without a query or fragment, such as http://127.0.0.1:8080")
        }
        if parts.count > 1, !parts[1].allSatisfy({ $0 == "/" }) {
            let origin = String(url.prefix(scheme!.count + host.count))
            throw invalid(
                "BINANCE_BASE_URL",
                quotable,
                expected: "scheme, host and port only, such as \(origin), because request paths such as /api/v3/order "
                    + "are added to it"
            )
        }
        // The port follows the last colon outside an IPv6 literal's brackets.
        if let colon = host.lastIndex(of: ":"), !host[colon...].contains("]") {
            let port = host[host.index(after: colon)...]
            guard let number = Int(port), (1...65535).contains(number), port.allSatisfy(\.isASCII) else {
                throw invalid("BINANCE_BASE_URL", quotable, expected: "a port from 1 to 65535, such as http://127.0.0.1:8080")
            }
        }
    }

    /// Returns `url` with any user name and password before `@` replaced by `…`, so an error can quote it.
    static func maskingUserInfo(_ url: String) -> String {
        let authorityStart = url.range(of: "://")?.upperBound ?? url.startIndex
        let authorityEnd = url[authorityStart...].firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? url.endIndex
        guard let at = url[authorityStart..<authorityEnd].lastIndex(of: "@") else { return url }
        return String(url[..<authorityStart]) + "…" + String(url[at...])
    }

    /// Returns a checked base URL with its scheme lowercased and its trailing slashes dropped. A scheme may be
    /// written in any case, but the transport matches `http://` and `https://`, and request paths add their own slash.
    static func normalizedBaseURL(_ url: String) -> String {
        var trimmed = Substring(url)
        while trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        guard let separator = trimmed.range(of: "://") else { return String(trimmed) }
        return trimmed[..<separator.lowerBound].lowercased() + trimmed[separator.lowerBound...]
    }

    /// Returns a warning for each variable whose name is one or two edits away from a variable the product reads,
    /// such as `BINANCE_ALLOW_TRADNIG`: the misspelt setting would otherwise be ignored without a word.
    static func misspeltNameWarnings(_ names: Set<String>) -> [String] {
        let known = Set(variables.map(\.name))
        var warnings: [String] = []
        for name in names.sorted() where !known.contains(name) && (name.hasPrefix("BINANCE") || name.hasPrefix("MCP")) {
            guard let nearest = known.sorted().first(where: { editDistance(name, $0, atMost: 2) <= 2 }) else { continue }
            warnings.append(
                "The variable \(UntrustedText.quoted(name)) is not one binance-shell reads, so it is ignored: did you "
                    + "mean \(nearest)?"
            )
        }
        return warnings
    }

    /// Levenshtein distance of two ASCII names, or `limit + 1` as soon as it exceeds `limit`.
    static func editDistance(_ first: String, _ second: String, atMost limit: Int) -> Int {
        let a = Array(first.utf8)
        let b = Array(second.utf8)
        guard abs(a.count - b.count) <= limit else { return limit + 1 }
        guard !a.isEmpty, !b.isEmpty else { return max(a.count, b.count) }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
            }
            if current.min()! > limit { return limit + 1 }
            previous = current
        }
        return previous[b.count]
    }
}
