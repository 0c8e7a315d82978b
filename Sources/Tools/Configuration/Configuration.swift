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
    package var rateLimitEnabled: Bool
    package var maxRequestsPerMinute: Int
    package var inputValidation: Bool
    package var logSecurity: Bool
    /// Directory of history, audit log and paper account.
    package var home: String
    /// Path of the `.env` file the settings were read from, for the file-mode check; nil when none was read.
    package var envFilePath: String?

    /// Every variable the product reads, with its default, for `--help` and `.env.example`.
    package static let variables: [(name: String, defaultValue: String, meaning: String)] = [
        ("BINANCE_API_KEY", "", "API key; none selects the simulated exchange"),
        ("BINANCE_API_SECRET", "", "HMAC-SHA256 secret of the API key"),
        ("BINANCE_PRIVATE_KEY_FILE", "", "Ed25519 or RSA private key (PEM) used instead of a secret"),
        ("BINANCE_TESTNET", "false", "true selects Binance's spot testnet"),
        ("BINANCE_BASE_URL", "", "REST base URL of a self-hosted simulator or proxy"),
        ("BINANCE_ALLOW_TRADING", "false on live, true on sim and testnet", "allow tools that change state"),
        ("BINANCE_MAX_ORDER_NOTIONAL", "", "largest order value in the quote asset"),
        ("BINANCE_SYMBOL_ALLOWLIST", "", "comma-separated symbols orders may use; empty allows all"),
        ("BINANCE_ALLOWED_ORDER_TYPES", "", "comma-separated order types orders may use, such as LIMIT,MARKET; empty allows all"),
        ("BINANCE_DAILY_NOTIONAL_LIMIT", "", "largest total order value per UTC day in each quote asset"),
        ("BINANCE_RECV_WINDOW", "5000", "recvWindow of signed requests in milliseconds, at most 60000"),
        ("BINANCE_REQUEST_TIMEOUT", "10000", "time allowed for one HTTP request in milliseconds, 100 to 120000"),
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
    /// - Throws: `ToolError` of type `configuration_error` naming the variable and the expected form.
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
                throw ToolError(.configurationError, "Invalid \(name) '\(value)': expected true or false.")
            }
        }
        func integer(_ name: String, default defaultValue: Int, range: ClosedRange<Int>) throws(ToolError) -> Int {
            guard let value = text(name) else { return defaultValue }
            guard let number = Int(value), range.contains(number) else {
                throw ToolError(
                    .configurationError,
                    "Invalid \(name) '\(value)': expected a whole number from \(range.lowerBound) to \(range.upperBound)."
                )
            }
            return number
        }

        var configuration = Configuration(
            apiKey: text("BINANCE_API_KEY"),
            apiSecret: text("BINANCE_API_SECRET"),
            privateKeyFile: text("BINANCE_PRIVATE_KEY_FILE"),
            useTestnet: try flag("BINANCE_TESTNET", default: false),
            baseURL: text("BINANCE_BASE_URL"),
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
            home: text("BINANCE_SHELL_HOME") ?? defaultHome(environment: merged)
        )
        if let notional = text("BINANCE_MAX_ORDER_NOTIONAL") {
            guard let value = DecimalText.parse(notional), value > 0 else {
                throw ToolError(
                    .configurationError,
                    "Invalid BINANCE_MAX_ORDER_NOTIONAL '\(notional)': expected a positive decimal such as 1000."
                )
            }
            configuration.maxOrderNotional = value
        }
        if let list = text("BINANCE_SYMBOL_ALLOWLIST") {
            configuration.symbolAllowlist = commaSeparatedSet(list)
        }
        if let list = text("BINANCE_ALLOWED_ORDER_TYPES") {
            let types = commaSeparatedSet(list)
            let known: Set<String> = [
                "LIMIT", "MARKET", "STOP_LOSS", "STOP_LOSS_LIMIT", "TAKE_PROFIT", "TAKE_PROFIT_LIMIT", "LIMIT_MAKER",
            ]
            if let unknown = types.sorted().first(where: { !known.contains($0) }) {
                throw ToolError(
                    .configurationError,
                    "Invalid BINANCE_ALLOWED_ORDER_TYPES entry '\(unknown)': expected order types from "
                        + known.sorted().joined(separator: ", ") + "."
                )
            }
            configuration.allowedOrderTypes = types
        }
        if let limit = text("BINANCE_DAILY_NOTIONAL_LIMIT") {
            guard let value = DecimalText.parse(limit), value > 0 else {
                throw ToolError(
                    .configurationError,
                    "Invalid BINANCE_DAILY_NOTIONAL_LIMIT '\(limit)': expected a positive decimal such as 5000."
                )
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
            throw ToolError(.configurationError, "Cannot read the environment file '\(envFilePath)'.")
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

    /// `$XDG_STATE_HOME/binance-shell`, else `$HOME/.local/state/binance-shell`.
    ///
    /// An environment with neither variable (a test, or a stripped service environment) gets a directory under
    /// the temporary folder named after the user id, so the audit log and kill switch never land in a home
    /// the caller did not name.
    static func defaultHome(environment: [String: String]) -> String {
        if let state = environment["XDG_STATE_HOME"], !state.isEmpty { return state + "/binance-shell" }
        if let home = environment["HOME"], !home.isEmpty { return home + "/.local/state/binance-shell" }
        return FileManager.default.temporaryDirectory.appendingPathComponent("binance-shell-\(getuid())").path
    }
}
